// The graph view's state, kept in the URL hash so that a reload or a shared link
// reopens the same view: graph, expansions, choices, selection, colour mode, trace.

import { readState, updateState } from "../../state";
import type { CameraSpot } from "./graphcanvas";
import { COLOUR_MODES, type ColourMode, type GraphSource } from "./types";

export interface GraphState {
  run: string | null;
  tag: string | null;
  upload: string | null;
  expanded: Set<string>;
  ungrouped: Set<string>;
  include: Set<string>;
  exclude: Set<string>;
  selected: string | null;
  colour: ColourMode;
  trace: boolean;
  /** Where the camera was: the world point at the view's centre and the zoom. */
  camera: CameraSpot | null;
}

const KEYS = {
  run: "grun",
  tag: "gtag",
  upload: "gupload",
  expanded: "gexpand",
  ungrouped: "gungroup",
  include: "ginclude",
  exclude: "gexclude",
  selected: "gselect",
  colour: "gcolour",
  trace: "gtrace",
  camera: "gcam",
} as const;

function parseSpot(text: string | null): CameraSpot | null {
  const parts = (text ?? "").split(",").map(Number);
  if (parts.length !== 3 || !parts.every(Number.isFinite) || parts[2] <= 0) return null;
  return { cx: parts[0], cy: parts[1], k: parts[2] };
}

const spotText = (s: CameraSpot) => `${Math.round(s.cx)},${Math.round(s.cy)},${Number(s.k.toPrecision(3))}`;

export function loadState(): GraphState {
  const params = readState();
  const colour = params.get(KEYS.colour) as ColourMode | null;
  return {
    run: params.get(KEYS.run),
    tag: params.get(KEYS.tag),
    upload: params.get(KEYS.upload),
    expanded: new Set(params.getAll(KEYS.expanded)),
    ungrouped: new Set(params.getAll(KEYS.ungrouped)),
    include: new Set(params.getAll(KEYS.include)),
    exclude: new Set(params.getAll(KEYS.exclude)),
    selected: params.get(KEYS.selected),
    colour: colour && COLOUR_MODES.includes(colour) ? colour : "structure",
    trace: params.get(KEYS.trace) === "1",
    camera: parseSpot(params.get(KEYS.camera)),
  };
}

/** Writes `state` to the hash; `push` makes a history entry (for graph changes). */
export function saveState(state: GraphState, push = false): void {
  const list = (set: Set<string>) => (set.size ? [...set].sort() : null);
  updateState(
    {
      [KEYS.run]: state.upload ? null : state.run,
      [KEYS.tag]: state.upload ? null : state.tag,
      [KEYS.upload]: state.upload,
      [KEYS.expanded]: list(state.expanded),
      [KEYS.ungrouped]: list(state.ungrouped),
      [KEYS.include]: list(state.include),
      [KEYS.exclude]: list(state.exclude),
      [KEYS.selected]: state.selected,
      [KEYS.colour]: state.colour === "structure" ? null : state.colour,
      [KEYS.trace]: state.trace ? "1" : null,
      [KEYS.camera]: state.camera ? spotText(state.camera) : null,
    },
    !push,
  );
}

/** Forgets what belongs to one graph (when another graph is opened). */
export function resetView(state: GraphState): void {
  for (const set of [state.expanded, state.ungrouped, state.include, state.exclude]) set.clear();
  state.selected = null;
  state.trace = false;
  state.camera = null;
}

export function sourceOf(state: GraphState): GraphSource {
  if (state.upload) return { upload: state.upload };
  return { run: state.run ?? undefined, tag: state.tag ?? undefined };
}
