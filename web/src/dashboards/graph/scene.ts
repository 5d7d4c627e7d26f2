// A view ready to draw: nodes with their nesting depth, drawable edges, and a grid index
// for viewport culling and hit tests.

import type { Box } from "./camera";
import type { GraphView, ViewEdge, ViewNode } from "./types";

const CELL = 256;
const BIG_CELLS = 16; // boxes covering more cells than this are checked one by one

export interface DrawNode extends Box {
  data: ViewNode;
  index: number;
  depth: number;
  /** Where the node starts an animation from (its box in the previous view), if it moved. */
  from: Box | null;
  /** The label fitted to the box, cached by the renderer. */
  fitted?: string;
}

export interface DrawEdge {
  data: ViewEdge;
  index: number;
  box: Box;
}

class GridIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly big: number[] = [];
  private stamp = 0;
  private readonly seen: Uint32Array;

  constructor(boxes: Box[]) {
    this.seen = new Uint32Array(boxes.length);
    boxes.forEach((box, i) => {
      const [x0, y0, x1, y1] = this.range(box);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > BIG_CELLS) this.big.push(i);
      else
        for (let cx = x0; cx <= x1; cx++)
          for (let cy = y0; cy <= y1; cy++) {
            const key = cx * 131072 + cy;
            const cell = this.cells.get(key);
            if (cell) cell.push(i);
            else this.cells.set(key, [i]);
          }
    });
  }

  private range(box: Box): [number, number, number, number] {
    return [
      Math.floor(box.x / CELL),
      Math.floor(box.y / CELL),
      Math.floor((box.x + box.w) / CELL),
      Math.floor((box.y + box.h) / CELL),
    ];
  }

  /** Indices of the boxes that may meet `box`, in ascending order. */
  query(box: Box, boxes: Box[]): number[] {
    this.stamp++;
    const found: number[] = [];
    const take = (i: number) => {
      if (this.seen[i] === this.stamp) return;
      this.seen[i] = this.stamp;
      const b = boxes[i];
      if (b.x <= box.x + box.w && b.x + b.w >= box.x && b.y <= box.y + box.h && b.y + b.h >= box.y) found.push(i);
    };
    const [x0, y0, x1, y1] = this.range(box);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.cells.size) {
      boxes.forEach((_, i) => take(i));
    } else {
      for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) this.cells.get(cx * 131072 + cy)?.forEach(take);
      this.big.forEach(take);
    }
    return found.sort((a, b) => a - b);
  }
}

function routeBox(route: [number, number][]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of route) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

function segmentDistance(px: number, py: number, a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length = dx * dx + dy * dy;
  const t = length ? Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / length)) : 0;
  return Math.hypot(px - a[0] - t * dx, py - a[1] - t * dy);
}

/** The box of a node with its annotations (drawn outside the box, left and right). */
export function outerBox(node: DrawNode): Box {
  const side = (n: number) => (n ? 130 : 0);
  const left = side(node.data.annotations.in.length);
  const right = side(node.data.annotations.out.length);
  return { x: node.x - left, y: node.y - 8, w: node.w + left + right, h: node.h + 16 };
}

export class Scene {
  readonly nodes: DrawNode[];
  readonly edges: DrawEdge[];
  readonly byName = new Map<string, DrawNode>();
  readonly width: number;
  readonly height: number;
  private readonly nodeIndex: GridIndex;
  private readonly edgeIndex: GridIndex;
  private readonly outer: Box[];
  private readonly edgeBoxes: Box[];

  constructor(readonly view: GraphView) {
    this.width = view.width;
    this.height = view.height;
    this.nodes = view.nodes.map((data, index) => {
      const depth = data.parent ? (this.byName.get(data.parent)?.depth ?? 0) + 1 : 0;
      const node: DrawNode = { data, index, depth, x: data.x, y: data.y, w: data.width, h: data.height, from: null };
      this.byName.set(data.name, node);
      return node;
    });
    this.edges = view.edges
      .filter((e) => !e.hidden && e.route.length >= 2)
      .map((data, index) => ({ data, index, box: routeBox(data.route) }));
    this.outer = this.nodes.map(outerBox);
    this.nodeIndex = new GridIndex(this.outer);
    this.edgeBoxes = this.edges.map((e) => e.box);
    this.edgeIndex = new GridIndex(this.edgeBoxes);
  }

  nodesIn(box: Box): DrawNode[] {
    return this.nodeIndex.query(box, this.outer).map((i) => this.nodes[i]);
  }

  edgesIn(box: Box): DrawEdge[] {
    return this.edgeIndex.query(box, this.edgeBoxes).map((i) => this.edges[i]);
  }

  /** The edge passing within `reach` of the world point, the nearest first. */
  edgeAt(wx: number, wy: number, reach: number): DrawEdge | null {
    let best: DrawEdge | null = null;
    let bestDistance = reach;
    for (const edge of this.edgesIn({ x: wx - reach, y: wy - reach, w: 2 * reach, h: 2 * reach })) {
      const r = edge.data.route;
      for (let i = 1; i < r.length; i++) {
        const d = segmentDistance(wx, wy, r[i - 1], r[i]);
        if (d <= bestDistance) {
          bestDistance = d;
          best = edge;
        }
      }
    }
    return best;
  }

  /** The innermost node whose box holds the world point. */
  hit(wx: number, wy: number): DrawNode | null {
    let best: DrawNode | null = null;
    for (const node of this.nodesIn({ x: wx, y: wy, w: 0, h: 0 })) {
      if (wx >= node.x && wx <= node.x + node.w && wy >= node.y && wy <= node.y + node.h) {
        if (!best || node.depth >= best.depth) best = node;
      }
    }
    return best;
  }
}
