// A read-only hook for tests and benchmarks: `window.__flowscope_graph` tells what the
// dashboard shows and where each drawn node is on screen.

import type { GraphCanvas } from "./graphcanvas";
import type { GraphState } from "./urlstate";
import type { GraphView } from "./types";

export interface DebugSource {
  canvas: GraphCanvas;
  state(): GraphState;
  view(): GraphView | null;
  busy(): boolean;
  /** Views shown since the page opened. */
  views(): number;
}

export function installDebugHook(source: DebugSource): void {
  const { canvas } = source;
  const hook = {
    /** True once a view is drawn, no request is pending and nothing moves. */
    get ready(): boolean {
      return source.view() !== null && !source.busy() && canvas.settled;
    },
    get views(): number {
      return source.views();
    },
    get frames(): number {
      return canvas.renderer.frames;
    },
    /** Milliseconds the last frame took to draw. */
    get frameMs(): number {
      return canvas.frameMs;
    },
    drawn: () => canvas.drawnBoxes(),
    nodes: () => source.view()?.nodes.map((n) => ({ name: n.name, kind: n.kind, expanded: n.expanded, column: n.column, colour: n.colour })) ?? [],
    edges: () => canvas.scene?.edges.length ?? 0,
    traced: () => (canvas.traced ? [...canvas.traced] : null),
    camera: () => ({ k: canvas.camera.k, x: canvas.camera.x, y: canvas.camera.y }),
    state: () => {
      const s = source.state();
      return {
        run: s.run, tag: s.tag, upload: s.upload, selected: s.selected, colour: s.colour, trace: s.trace,
        expanded: [...s.expanded].sort(), ungrouped: [...s.ungrouped].sort(),
        include: [...s.include].sort(), exclude: [...s.exclude].sort(),
      };
    },
  };
  Object.defineProperty(window, "__flowscope_graph", { value: Object.freeze(hook), configurable: true });
}
