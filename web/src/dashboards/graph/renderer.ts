// Draws a scene with Canvas 2D: only what the viewport shows, with less detail when
// zoomed out (no text below a readable size, plain boxes for tiny nodes).

import { ease, lerp, type Box, type Camera } from "./camera";
import type { Palette } from "./palette";
import type { DrawEdge, DrawNode, Scene } from "./scene";

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const OP_FONT = 10;
const GROUP_FONT = 11;
const SMALL_FONT = 8;
const HEADER = 24;
const ANNOTATION_HEIGHT = 12;
const ANNOTATION_CHARS = 22; // the server leaves about this much room beside a node
const MIN_TEXT_PX = 5.5; // labels smaller than this on screen are not drawn
const TINY_PX = 4; // nodes smaller than this on screen are drawn as plain boxes

export interface DrawOptions {
  palette: Palette;
  selected: string | null;
  hovered: string | null;
  /** Names of the nodes a trace highlights; the rest fades. */
  traced: Set<string> | null;
  /** Animation progress from the previous view, 1 when still. */
  progress: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
}

function boxAt(node: DrawNode, t: number): Box {
  if (!node.from || t >= 1) return node;
  const e = ease(t);
  const f = node.from;
  return { x: lerp(f.x, node.x, e), y: lerp(f.y, node.y, e), w: lerp(f.w, node.w, e), h: lerp(f.h, node.h, e) };
}

function fit(ctx: CanvasRenderingContext2D, node: DrawNode, room: number): string {
  if (node.fitted !== undefined) return node.fitted;
  const label = node.data.label;
  let text = label;
  if (ctx.measureText(text).width > room) {
    let lo = 0, hi = label.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(label.slice(0, mid) + "…").width <= room) lo = mid;
      else hi = mid - 1;
    }
    text = lo > 0 ? label.slice(0, lo) + "…" : "";
  }
  node.fitted = text;
  return text;
}

function shapePath(ctx: CanvasRenderingContext2D, node: DrawNode, b: Box): void {
  ctx.beginPath();
  if (node.data.kind === "op" && !node.data.expanded) ctx.ellipse(b.x + b.w / 2, b.y + b.h / 2, b.w / 2, b.h / 2, 0, 0, 2 * Math.PI);
  else ctx.roundRect(b.x, b.y, b.w, b.h, node.data.expanded ? 6 : 5);
}

export class Renderer {
  /** Nodes drawn by the last frame, in drawing order. */
  drawn: DrawNode[] = [];
  frames = 0;

  draw(ctx: CanvasRenderingContext2D, scene: Scene | null, camera: Camera, width: number, height: number, o: DrawOptions): void {
    const { palette: p, ratio } = o;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, width, height);
    this.drawn = [];
    if (!scene) return;
    this.frames++;
    const k = camera.k;
    ctx.setTransform(ratio * k, 0, 0, ratio * k, ratio * camera.x, ratio * camera.y);
    const view = camera.visible(width, height);
    const animating = o.progress < 1;
    const nodes = animating ? scene.nodes : scene.nodesIn(view);
    const boxes = new Map<DrawNode, Box>();
    for (const node of nodes) boxes.set(node, boxAt(node, o.progress));
    const faded = (name: string) => o.traced !== null && !o.traced.has(name);

    const frames = nodes.filter((n) => n.data.expanded);
    const leaves = nodes.filter((n) => !n.data.expanded);
    this.drawFrames(ctx, frames, boxes, k, o, faded);
    const edgeAlpha = animating ? Math.max(0, (o.progress - 0.7) / 0.3) : 1;
    if (edgeAlpha > 0) this.drawEdges(ctx, scene.edgesIn(view), k, p, edgeAlpha, o.traced);
    this.drawLeaves(ctx, leaves, boxes, k, o, faded);
    this.drawn = [...frames, ...leaves];
    for (const name of [o.hovered, o.selected]) {
      const node = name ? scene.byName.get(name) : undefined;
      const box = node && boxes.get(node);
      if (!node || !box) continue;
      ctx.strokeStyle = p.select;
      ctx.lineWidth = (name === o.selected ? 2.5 : 1.5) / k;
      shapePath(ctx, node, box);
      ctx.stroke();
    }
  }

  private drawFrames(ctx: CanvasRenderingContext2D, frames: DrawNode[], boxes: Map<DrawNode, Box>, k: number, o: DrawOptions, faded: (n: string) => boolean): void {
    const p = o.palette;
    const text = GROUP_FONT * k >= MIN_TEXT_PX;
    ctx.font = `${GROUP_FONT}px ${FONT}`;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    for (const node of frames) {
      const b = boxes.get(node)!;
      ctx.globalAlpha = faded(node.data.name) ? 0.35 : 1;
      const colour = p.fill(node.data.colour);
      ctx.fillStyle = p.frame;
      ctx.strokeStyle = colour === p.fill("#ffffff") || colour === p.fill("#d9d9d9") ? p.frameStroke : colour;
      ctx.lineWidth = Math.max(1.5, 1 / k);
      shapePath(ctx, node, b);
      ctx.fill();
      ctx.stroke();
      if (text && b.w * k > 30) {
        ctx.fillStyle = p.muted;
        ctx.beginPath(); // a small "expanded" triangle before the label
        ctx.moveTo(b.x + 7, b.y + HEADER / 2 - 3);
        ctx.lineTo(b.x + 15, b.y + HEADER / 2 - 3);
        ctx.lineTo(b.x + 11, b.y + HEADER / 2 + 3);
        ctx.fill();
        ctx.fillStyle = p.text;
        ctx.fillText(fit(ctx, node, node.w - 28), b.x + 19, b.y + HEADER / 2);
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawEdges(ctx: CanvasRenderingContext2D, edges: DrawEdge[], k: number, p: Palette, alpha: number, traced: Set<string> | null): void {
    const buckets = new Map<string, DrawEdge[]>();
    for (const edge of edges) {
      const e = edge.data;
      const lit = traced === null || (traced.has(e.source) && traced.has(e.target));
      const width = Math.max(e.width, 0.8 / k);
      const key = `${e.reference ? "r" : "d"}${e.control_only ? "c" : "s"}${lit ? 1 : 0}${width.toFixed(2)}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(edge);
      else buckets.set(key, [edge]);
    }
    const arrows = k >= 0.2;
    for (const [key, bucket] of buckets) {
      const reference = key[0] === "r";
      const colour = reference ? p.reference : p.edge;
      ctx.globalAlpha = alpha * (key[2] === "1" ? 1 : 0.15);
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = Number(key.slice(3));
      ctx.setLineDash(key[1] === "c" ? [4, 3] : []);
      ctx.beginPath();
      for (const { data } of bucket) traceCurve(ctx, data.route);
      ctx.stroke();
      if (!arrows) continue;
      ctx.setLineDash([]);
      ctx.beginPath();
      for (const { data } of bucket) {
        const r = data.route;
        arrowHead(ctx, r[r.length - 2], r[r.length - 1], 4 + data.width);
        if (data.reference) arrowHead(ctx, r[1], r[0], 4 + data.width);
      }
      ctx.fill();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = alpha;
    if (SMALL_FONT * k >= MIN_TEXT_PX) {
      ctx.font = `${SMALL_FONT}px ${FONT}`;
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillStyle = p.muted;
      for (const { data } of edges) {
        const box = data.label_box; // placed by the server clear of boxes, edges and labels
        if (!box) continue;
        const lit = traced === null || (traced.has(data.source) && traced.has(data.target));
        ctx.globalAlpha = alpha * (lit ? 1 : 0.15);
        ctx.fillText(data.label, box[0], (box[1] + box[3]) / 2);
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawLeaves(ctx: CanvasRenderingContext2D, leaves: DrawNode[], boxes: Map<DrawNode, Box>, k: number, o: DrawOptions, faded: (n: string) => boolean): void {
    const p = o.palette;
    ctx.lineWidth = 1 / Math.max(k, 1);
    ctx.strokeStyle = p.nodeStroke;
    for (const node of leaves) {
      const b = boxes.get(node)!;
      const fill = p.fill(node.data.colour);
      ctx.globalAlpha = faded(node.data.name) ? 0.2 : 1;
      ctx.fillStyle = fill;
      if (Math.min(b.w, b.h) * k < TINY_PX) {
        ctx.fillRect(b.x, b.y, b.w, b.h);
        continue;
      }
      if (node.data.kind === "series") {
        for (const shift of [6, 3]) {
          ctx.beginPath();
          ctx.roundRect(b.x + shift, b.y - shift, b.w, b.h, 5);
          ctx.fill();
          ctx.stroke();
        }
      }
      ctx.setLineDash(node.data.kind === "chunk" ? [4, 3] : []);
      shapePath(ctx, node, b);
      ctx.fill();
      ctx.stroke();
    }
    ctx.setLineDash([]);
    if (SMALL_FONT * k * 1.4 >= MIN_TEXT_PX) this.drawAnnotations(ctx, leaves, boxes, k, o, faded);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const [font, ops] of [[OP_FONT, true], [GROUP_FONT, false]] as const) {
      if (font * k < MIN_TEXT_PX) continue;
      ctx.font = `${font}px ${FONT}`;
      for (const node of leaves) {
        if ((node.data.kind === "op") !== ops) continue;
        const b = boxes.get(node)!;
        const text = fit(ctx, node, node.w - (ops ? 8 : 10));
        if (!text) continue;
        ctx.globalAlpha = faded(node.data.name) ? 0.3 : 1;
        ctx.fillStyle = p.textOn(p.fill(node.data.colour));
        ctx.fillText(text, b.x + b.w / 2, b.y + b.h / 2 + 0.5);
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawAnnotations(ctx: CanvasRenderingContext2D, leaves: DrawNode[], boxes: Map<DrawNode, Box>, k: number, o: DrawOptions, faded: (n: string) => boolean): void {
    const p = o.palette;
    const labels = SMALL_FONT * k >= MIN_TEXT_PX;
    ctx.font = `${SMALL_FONT}px ${FONT}`;
    ctx.textBaseline = "middle";
    ctx.lineWidth = 0.8 / Math.max(k, 1);
    for (const node of leaves) {
      const b = boxes.get(node)!;
      ctx.globalAlpha = faded(node.data.name) ? 0.2 : 1;
      for (const [side, notes] of [[-1, node.data.annotations.in], [1, node.data.annotations.out]] as const) {
        if (!notes.length) continue;
        const top = b.y + b.h / 2 - ((notes.length - 1) * ANNOTATION_HEIGHT) / 2;
        const edgeX = side < 0 ? b.x : b.x + b.w;
        ctx.textAlign = side < 0 ? "right" : "left";
        notes.forEach((a, i) => {
          const y = top + i * ANNOTATION_HEIGHT;
          if (a.kind !== "elided") {
            ctx.strokeStyle = a.kind === "shortcut" ? p.edge : p.frameStroke;
            ctx.setLineDash(a.control ? [2, 2] : []);
            ctx.beginPath();
            ctx.moveTo(edgeX, b.y + b.h / 2);
            ctx.lineTo(edgeX + side * 10, y);
            ctx.stroke();
          }
          if (labels) {
            ctx.fillStyle = a.kind === "shortcut" ? p.text : p.muted;
            const text = a.label.length > ANNOTATION_CHARS ? a.label.slice(0, ANNOTATION_CHARS - 1) + "…" : a.label;
            ctx.fillText(text, edgeX + side * 12, y);
          }
        });
      }
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }
}

/** Adds a route to the path as a uniform cubic B-spline from its first to its last point,
 * pulled towards the points between (the server's SVG draws the same curve). */
export function traceCurve(ctx: CanvasRenderingContext2D, route: [number, number][]): void {
  ctx.moveTo(route[0][0], route[0][1]);
  if (route.length < 3) {
    for (let i = 1; i < route.length; i++) ctx.lineTo(route[i][0], route[i][1]);
    return;
  }
  let [ax, ay] = route[0];
  let [bx, by] = route[1];
  ctx.lineTo((5 * ax + bx) / 6, (5 * ay + by) / 6);
  for (let i = 2; i <= route.length; i++) {
    const [x, y] = route[Math.min(i, route.length - 1)];
    ctx.bezierCurveTo((2 * ax + bx) / 3, (2 * ay + by) / 3, (ax + 2 * bx) / 3, (ay + 2 * by) / 3, (ax + 4 * bx + x) / 6, (ay + 4 * by + y) / 6);
    [ax, ay, bx, by] = [bx, by, x, y];
  }
  ctx.lineTo(bx, by);
}

function arrowHead(ctx: CanvasRenderingContext2D, from: [number, number], to: [number, number], size: number): void {
  const angle = Math.atan2(to[1] - from[1], to[0] - from[0]);
  const spread = 0.45;
  ctx.moveTo(to[0], to[1]);
  ctx.lineTo(to[0] - size * Math.cos(angle - spread), to[1] - size * Math.sin(angle - spread));
  ctx.lineTo(to[0] - size * Math.cos(angle + spread), to[1] - size * Math.sin(angle + spread));
  ctx.closePath();
}
