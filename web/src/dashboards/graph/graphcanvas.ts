// The drawing surface: a canvas with pan (drag), zoom (wheel), hover and click, the
// minimap, and a short animation from one view to the next in which the clicked node
// stays where it was on screen.

import { Camera, ease, lerp, MAX_ZOOM, MIN_ZOOM, type Box } from "./camera";
import { Minimap } from "./minimap";
import { readPalette, type Palette } from "./palette";
import { Renderer } from "./renderer";
import type { DrawNode, Scene } from "./scene";

const ANIMATION_MS = 220;
const CLICK_SLOP = 4; // pixels a press may move and still be a click
const HEADER = 24;
const EXPORT_PIXELS = 40e6; // PNG exports stay below this many pixels
const EXPORT_SIDE = 16000;
const EXPORT_MARGIN = 20;
const EDGE_REACH_PX = 4; // how near an edge the pointer must be for its tooltip
const READABLE_ZOOM = 0.6; // a new graph opens no smaller than this, so that labels read
const OPEN_MAX_ZOOM = 2; // a small graph opens up to this size, not tiny in a big canvas
const FRAME_MARGIN = 24;
const FRAME_MAX_ZOOM = 1; // an expanded group is framed no closer than 1:1 // screen pixels kept around a group the camera frames

export interface CanvasEvents {
  /** A node was clicked; `header` is true on an expanded node's title bar. */
  nodeClick(node: DrawNode, header: boolean): void;
  backgroundClick(): void;
}

export interface SceneChange {
  /** A node to keep in place on screen while the view changes. */
  anchor?: string | null;
  /** The anchor was just expanded: frame it once it has grown. */
  expanded?: boolean;
  /** The anchor was just collapsed: go back to where the camera was before it expanded. */
  collapsed?: boolean;
  fit?: boolean;
  /** Where to put the camera (a restored view), instead of fitting. */
  camera?: CameraSpot | null;
}

/** A camera as the URL keeps it: the world point at the centre of the view, and the zoom. */
export interface CameraSpot {
  cx: number;
  cy: number;
  k: number;
}

interface Animation {
  start: number;
  anchor: { name: string; screen: [number, number]; from: Box } | null;
  /** What to do once the nodes have moved (frame the expanded group). */
  then: (() => void) | null;
}

export class GraphCanvas {
  readonly camera = new Camera();
  readonly renderer = new Renderer();
  scene: Scene | null = null;
  selected: string | null = null;
  traced: Set<string> | null = null;
  private hovered: string | null = null;
  private readonly canvas = document.createElement("canvas");
  private readonly tooltip = document.createElement("div");
  private readonly minimap: Minimap;
  private palette: Palette;
  private animation: Animation | null = null;
  private progress = 1;
  private pending = false;
  private cameraTween: { from: Camera; to: Camera; start: number } | null = null;
  private sceneDrawn = false;
  /** The camera before each group was expanded, to return to when it collapses. */
  private readonly beforeExpand = new Map<string, Camera>();
  private spotTimer = 0;
  /** How long the last frame took to draw, in milliseconds. */
  frameMs = 0;
  /** Told where the camera rests after it moved (to keep it in the URL). */
  onCameraRest: ((spot: CameraSpot) => void) | null = null;

  constructor(private readonly stage: HTMLElement, private readonly events: CanvasEvents) {
    this.canvas.className = "graph-canvas";
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", "Graph: drag to pan, wheel to zoom, click a group to expand it");
    this.tooltip.className = "graph-tooltip";
    this.tooltip.hidden = true;
    this.minimap = new Minimap((wx, wy) => this.moveCamera(Camera.centredOn(wx, wy, this.camera.k, ...this.size()), false));
    stage.append(this.canvas, this.tooltip, this.minimap.canvas);
    this.palette = readPalette(stage);
    new ResizeObserver(() => this.resize()).observe(stage);
    new MutationObserver(() => this.themeChanged()).observe(document.documentElement, { attributeFilter: ["data-theme"] });
    this.listen();
  }

  /** Whether an animation is running. */
  get moving(): boolean {
    return this.progress < 1 || this.cameraTween !== null;
  }

  /** Whether the current scene is drawn and still. */
  get settled(): boolean {
    return this.sceneDrawn && !this.moving && !this.pending;
  }

  size(): [number, number] {
    return [this.stage.clientWidth, this.stage.clientHeight];
  }

  /** The view's width / height, within the range the server takes. */
  aspect(): number {
    const [w, h] = this.size();
    return w > 0 && h > 0 ? Math.min(4, Math.max(0.25, Math.round((w / h) * 10) / 10)) : 1.6;
  }

  setScene(scene: Scene | null, change: SceneChange = {}): void {
    const old = this.scene;
    this.scene = scene;
    this.sceneDrawn = false;
    this.minimap.setScene(scene, this.palette);
    this.animation = null;
    this.progress = 1;
    if (!scene) this.beforeExpand.clear();
    const anchor = change.anchor ?? null;
    if (scene && change.camera) {
      this.moveCamera(this.spotCamera(change.camera), false);
    } else if (scene && old && !change.fit) {
      if (anchor && change.expanded) this.beforeExpand.set(anchor, this.copyCamera());
      const back = anchor && change.collapsed ? this.beforeExpand.get(anchor) : undefined;
      if (anchor && change.collapsed) this.beforeExpand.delete(anchor);
      this.animateFrom(old, scene, back ? null : anchor);
      if (back) this.moveCamera(back, true);
      else if (anchor && change.expanded) {
        const frame = () => this.frameNode(anchor);
        const running = this.animation as Animation | null; // set by animateFrom
        if (running) running.then = frame;
        else frame();
      }
    } else if (scene) {
      this.beforeExpand.clear();
      this.openAt(scene);
    }
    this.tooltip.hidden = true;
    this.requestDraw();
  }

  private copyCamera(): Camera {
    const camera = new Camera();
    camera.set(this.camera);
    return camera;
  }

  /** Where the camera is, as the URL keeps it. */
  spot(): CameraSpot {
    const [w, h] = this.size();
    const [cx, cy] = this.camera.toWorld(w / 2, h / 2);
    return { cx, cy, k: this.camera.k };
  }

  private spotCamera(spot: CameraSpot): Camera {
    const [w, h] = this.size();
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, spot.k));
    return Camera.centredOn(spot.cx, spot.cy, k, w, h);
  }

  /** Brings an expanded group into view: whole if it fits at a readable zoom (no closer than
   * now, nor than 1:1), else its top (the outputs, as the flow goes up) across the view's
   * width. */
  private frameNode(name: string): void {
    const node = this.scene?.byName.get(name);
    if (!node) return;
    const [w, h] = this.size();
    const box = { x: node.x, y: node.y, w: node.w, h: node.h };
    const most = Math.min(this.camera.k, FRAME_MAX_ZOOM);
    const whole = Camera.fitting(box, w, h, most, FRAME_MARGIN);
    if (whole.k >= Math.min(READABLE_ZOOM, this.camera.k)) {
      this.moveCamera(this.nearestShowing(box, whole.k), true);
      return;
    }
    const k = Math.max(Math.min(READABLE_ZOOM, this.camera.k), (w - 2 * FRAME_MARGIN) / Math.max(node.w, 1));
    const camera = new Camera();
    camera.k = Math.min(k, most);
    camera.x = node.w * camera.k + 2 * FRAME_MARGIN <= w ? (w - node.w * camera.k) / 2 - node.x * camera.k : FRAME_MARGIN - node.x * camera.k;
    camera.y = FRAME_MARGIN - node.y * camera.k;
    this.moveCamera(camera, true);
  }

  /** The camera at zoom `k` that shows `box` whole with the least panning from now. */
  private nearestShowing(box: Box, k: number): Camera {
    const [w, h] = this.size();
    const camera = new Camera();
    camera.k = k;
    const [cx, cy] = this.camera.toWorld(w / 2, h / 2);
    camera.x = w / 2 - cx * k;
    camera.y = h / 2 - cy * k;
    const shift = (low: number, size: number, room: number) => {
      const high = low + size;
      if (size + 2 * FRAME_MARGIN > room) return (room - size) / 2 - low;
      if (low < FRAME_MARGIN) return FRAME_MARGIN - low;
      if (high > room - FRAME_MARGIN) return room - FRAME_MARGIN - high;
      return 0;
    };
    const [sx, sy] = camera.toScreen(box.x, box.y);
    camera.x += shift(sx, box.w * k, w);
    camera.y += shift(sy, box.h * k, h);
    return camera;
  }

  private animateFrom(old: Scene, scene: Scene, anchorName: string | null): void {
    let moved = false;
    for (const node of scene.nodes) {
      const before = old.byName.get(node.data.name);
      if (before) {
        if (before.x !== node.x || before.y !== node.y || before.w !== node.w || before.h !== node.h) {
          node.from = { x: before.x, y: before.y, w: before.w, h: before.h };
          moved = true;
        }
        continue;
      }
      // A new child grows out of its parent's old box, in proportion.
      const parent = scene.byName.get(node.data.parent);
      const pOld = parent && old.byName.get(parent.data.name);
      if (parent && pOld) {
        const sx = pOld.w / parent.w, sy = pOld.h / parent.h;
        node.from = { x: pOld.x + (node.x - parent.x) * sx, y: pOld.y + (node.y - parent.y) * sy, w: node.w * sx, h: node.h * sy };
        moved = true;
      }
    }
    if (!moved) return;
    const before = anchorName ? old.byName.get(anchorName) : undefined;
    this.animation = {
      start: performance.now(),
      anchor: before && scene.byName.has(anchorName!)
        ? { name: anchorName!, screen: this.camera.toScreen(before.x, before.y), from: { x: before.x, y: before.y, w: before.w, h: before.h } }
        : null,
      then: null,
    };
    this.progress = 0;
  }

  /** Shows a new drawing whole if it reads well so (a small one enlarged up to
   * `OPEN_MAX_ZOOM`), else from its top-left corner at a readable zoom, centred along the
   * sides that fit. */
  private openAt(scene: Scene): void {
    const [w, h] = this.size();
    const whole = Camera.fitting({ x: 0, y: 0, w: scene.width, h: scene.height }, w, h, OPEN_MAX_ZOOM);
    if (whole.k >= READABLE_ZOOM) {
      this.moveCamera(whole, false);
      return;
    }
    const camera = new Camera();
    camera.k = READABLE_ZOOM;
    const place = (size: number, room: number) => (size * camera.k + 48 <= room ? (room - size * camera.k) / 2 : 24);
    camera.x = place(scene.width, w);
    camera.y = place(scene.height, h);
    this.moveCamera(camera, false);
  }

  /** Shows the whole drawing (no closer than 1:1). */
  fit(animated = true): void {
    if (!this.scene) return;
    const [w, h] = this.size();
    this.moveCamera(Camera.fitting({ x: 0, y: 0, w: this.scene.width, h: this.scene.height }, w, h), animated);
  }

  /** Centres a node, zooming in so that it reads well. */
  centreOn(name: string, animated = true): void {
    const node = this.scene?.byName.get(name);
    if (!node) return;
    const [w, h] = this.size();
    const k = Math.min(Math.max(this.camera.k, 1), Math.max(0.05, Math.min(w / (node.w * 1.5), h / (node.h * 1.5))));
    this.moveCamera(Camera.centredOn(node.x + node.w / 2, node.y + node.h / 2, k, w, h), animated);
  }

  zoom(factor: number): void {
    const [w, h] = this.size();
    this.camera.zoomAt(factor, w / 2, h / 2);
    this.cameraMoved();
    this.requestDraw();
  }

  /** Tells `onCameraRest` where the camera is once it has stopped moving for a moment. */
  private cameraMoved(): void {
    clearTimeout(this.spotTimer);
    this.spotTimer = window.setTimeout(() => {
      if (this.scene && !this.moving) this.onCameraRest?.(this.spot());
    }, 150);
  }

  private moveCamera(target: Camera, animated: boolean): void {
    if (!animated) {
      this.cameraTween = null;
      this.camera.set(target);
      this.cameraMoved();
    } else {
      const from = new Camera();
      from.set(this.camera);
      this.cameraTween = { from, to: target, start: performance.now() };
    }
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.frame();
    });
  }

  private frame(): void {
    const now = performance.now();
    if (this.animation) {
      this.progress = Math.min(1, (now - this.animation.start) / ANIMATION_MS);
      const anchor = this.animation.anchor;
      const node = anchor && this.scene?.byName.get(anchor.name);
      if (anchor && node) {
        const e = ease(this.progress);
        this.camera.x = anchor.screen[0] - lerp(anchor.from.x, node.x, e) * this.camera.k;
        this.camera.y = anchor.screen[1] - lerp(anchor.from.y, node.y, e) * this.camera.k;
      }
      if (this.progress >= 1) {
        const then = this.animation.then;
        this.animation = null;
        then?.();
        if (!this.cameraTween) this.cameraMoved();
      }
    }
    if (this.cameraTween) {
      const t = Math.min(1, (now - this.cameraTween.start) / ANIMATION_MS);
      this.camera.set(Camera.between(this.cameraTween.from, this.cameraTween.to, ease(t)));
      if (t >= 1) {
        this.cameraTween = null;
        this.cameraMoved();
      }
    }
    const [w, h] = this.size();
    const ctx = this.canvas.getContext("2d")!;
    const started = performance.now();
    this.renderer.draw(ctx, this.scene, this.camera, w, h, {
      palette: this.palette,
      selected: this.selected,
      hovered: this.hovered,
      traced: this.traced,
      progress: this.progress,
      ratio: devicePixelRatio || 1,
    });
    this.frameMs = performance.now() - started;
    const visible = this.camera.visible(w, h);
    const whole = this.scene !== null && visible.x <= 0 && visible.y <= 0 && visible.x + visible.w >= this.scene.width && visible.y + visible.h >= this.scene.height;
    this.minimap.canvas.hidden = !this.scene || whole;
    this.minimap.draw(visible, this.palette);
    if (this.moving) this.requestDraw();
    else this.sceneDrawn = this.scene !== null;
  }

  private resize(): void {
    const ratio = devicePixelRatio || 1;
    const [w, h] = this.size();
    this.canvas.width = Math.max(1, Math.round(w * ratio));
    this.canvas.height = Math.max(1, Math.round(h * ratio));
    this.requestDraw();
  }

  private themeChanged(): void {
    this.palette = readPalette(this.stage);
    this.minimap.setScene(this.scene, this.palette);
    this.requestDraw();
  }

  private listen(): void {
    const c = this.canvas;
    let press: { x: number; y: number; cx: number; cy: number; dragged: boolean } | null = null;
    const local = (event: MouseEvent): [number, number] => {
      const rect = c.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };
    c.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      c.setPointerCapture(event.pointerId);
      press = { x: event.clientX, y: event.clientY, cx: this.camera.x, cy: this.camera.y, dragged: false };
    });
    c.addEventListener("pointermove", (event) => {
      if (press) {
        const dx = event.clientX - press.x, dy = event.clientY - press.y;
        if (!press.dragged && Math.hypot(dx, dy) < CLICK_SLOP) return;
        press.dragged = true;
        this.cameraTween = null;
        c.classList.add("dragging");
        this.camera.x = press.cx + dx;
        this.camera.y = press.cy + dy;
        this.cameraMoved();
        this.requestDraw();
        return;
      }
      this.hover(...local(event));
    });
    c.addEventListener("pointerup", (event) => {
      const wasClick = press && !press.dragged;
      press = null;
      c.classList.remove("dragging");
      if (!wasClick || !this.scene) return;
      const [wx, wy] = this.camera.toWorld(...local(event));
      const node = this.scene.hit(wx, wy);
      if (node) this.events.nodeClick(node, node.data.expanded && wy - node.y <= HEADER);
      else this.events.backgroundClick();
    });
    c.addEventListener("pointerleave", () => this.setHover(null));
    c.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        this.cameraTween = null;
        const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
        const speed = event.ctrlKey ? 0.01 : 0.0015;
        this.camera.zoomAt(Math.exp(-event.deltaY * scale * speed), ...local(event));
        this.cameraMoved();
        this.requestDraw();
      },
      { passive: false },
    );
  }

  private hover(sx: number, sy: number): void {
    const [wx, wy] = this.camera.toWorld(sx, sy);
    const node = this.scene?.hit(wx, wy) ?? null;
    const edge = node === null || node.data.expanded ? (this.scene?.edgeAt(wx, wy, EDGE_REACH_PX / this.camera.k) ?? null) : null;
    this.setHover(edge ? null : node);
    if (edge) {
      const e = edge.data;
      const what = e.label || (e.control_only ? "control dependency" : `${e.count} edge${e.count > 1 ? "s" : ""}`);
      this.tooltip.textContent = `${e.source} → ${e.target}: ${what}`;
      this.tooltip.hidden = false;
    } else if (node) {
      const d = node.data;
      const what = d.kind === "op" ? d.op : d.kind === "meta" ? `${d.stats.op_count} ops` : `${d.members} ${d.kind === "series" ? "members" : "nodes"}`;
      const hint = d.kind === "op" ? "" : d.expanded ? " · click the title to collapse" : " · click to expand";
      this.tooltip.textContent = `${d.name} (${what})${hint}`;
    } else return;
    this.tooltip.style.left = `${Math.min(sx + 14, this.stage.clientWidth - 200)}px`;
    this.tooltip.style.top = `${sy + 16}px`;
  }

  private setHover(node: DrawNode | null): void {
    const name = node?.data.name ?? null;
    this.tooltip.hidden = !node;
    if (name === this.hovered) return;
    this.hovered = name;
    this.canvas.classList.toggle("pointing", !!node);
    this.requestDraw();
  }

  /** Screen boxes (page CSS pixels) of the nodes the last frame drew. */
  drawnBoxes(): { name: string; kind: string; expanded: boolean; x: number; y: number; width: number; height: number }[] {
    const rect = this.canvas.getBoundingClientRect();
    const k = this.camera.k;
    return this.renderer.drawn.map((n) => {
      const [x, y] = this.camera.toScreen(n.x, n.y);
      return { name: n.data.name, kind: n.data.kind, expanded: n.data.expanded, x: rect.left + x, y: rect.top + y, width: n.w * k, height: n.h * k };
    });
  }

  /** The whole drawing as a PNG, at up to twice its size. */
  exportPng(): Promise<Blob> {
    const scene = this.scene;
    if (!scene) return Promise.reject(new Error("nothing to export"));
    const [W, H] = [scene.width + 2 * EXPORT_MARGIN, scene.height + 2 * EXPORT_MARGIN];
    const s = Math.min(2, Math.sqrt(EXPORT_PIXELS / (W * H)), EXPORT_SIDE / W, EXPORT_SIDE / H);
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(W * s);
    canvas.height = Math.ceil(H * s);
    const camera = new Camera();
    camera.k = s;
    camera.x = camera.y = EXPORT_MARGIN * s;
    new Renderer().draw(canvas.getContext("2d")!, scene, camera, canvas.width, canvas.height, {
      palette: this.palette,
      selected: null,
      hovered: null,
      traced: this.traced,
      progress: 1,
      ratio: 1,
    });
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG export failed"))), "image/png"));
  }
}
