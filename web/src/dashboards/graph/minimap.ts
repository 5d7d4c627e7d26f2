// The minimap: the whole drawing in small, with the viewport as a rectangle; click or
// drag in it to move there.

import type { Box } from "./camera";
import type { Palette } from "./palette";
import type { Scene } from "./scene";

const MAX_WIDTH = 220;
const MAX_HEIGHT = 150;

export class Minimap {
  readonly canvas = document.createElement("canvas");
  private picture: HTMLCanvasElement | null = null;
  private scale = 1;

  constructor(private readonly moveTo: (wx: number, wy: number) => void) {
    this.canvas.className = "graph-minimap";
    this.canvas.setAttribute("aria-label", "Minimap: click to move there");
    let dragging = false;
    const go = (event: PointerEvent) => {
      const rect = this.canvas.getBoundingClientRect();
      this.moveTo((event.clientX - rect.left) / this.scale, (event.clientY - rect.top) / this.scale);
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      dragging = true;
      this.canvas.setPointerCapture(event.pointerId);
      go(event);
    });
    this.canvas.addEventListener("pointermove", (event) => dragging && go(event));
    this.canvas.addEventListener("pointerup", () => (dragging = false));
  }

  /** Draws the scene's nodes once, into a picture reused by every frame. */
  setScene(scene: Scene | null, palette: Palette): void {
    this.canvas.hidden = !scene;
    if (!scene) return;
    this.scale = Math.min(MAX_WIDTH / Math.max(scene.width, 1), MAX_HEIGHT / Math.max(scene.height, 1));
    const ratio = devicePixelRatio || 1;
    const [w, h] = [Math.max(20, Math.ceil(scene.width * this.scale)), Math.max(12, Math.ceil(scene.height * this.scale))];
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = w * ratio;
    this.canvas.height = h * ratio;
    const picture = document.createElement("canvas");
    picture.width = this.canvas.width;
    picture.height = this.canvas.height;
    const ctx = picture.getContext("2d")!;
    ctx.setTransform(ratio * this.scale, 0, 0, ratio * this.scale, 0, 0);
    ctx.lineWidth = 1 / this.scale;
    for (const node of scene.nodes) {
      ctx.fillStyle = node.data.expanded ? palette.frame : palette.fill(node.data.colour);
      ctx.strokeStyle = palette.frameStroke;
      ctx.fillRect(node.x, node.y, node.w, node.h);
      ctx.strokeRect(node.x, node.y, node.w, node.h);
    }
    this.picture = picture;
  }

  /** Shows the picture and the world rectangle `view`. */
  draw(view: Box, palette: Palette): void {
    if (!this.picture) return;
    const ctx = this.canvas.getContext("2d")!;
    const ratio = devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.picture, 0, 0);
    ctx.setTransform(ratio * this.scale, 0, 0, ratio * this.scale, 0, 0);
    ctx.strokeStyle = palette.select;
    ctx.lineWidth = 1.5 / this.scale;
    ctx.strokeRect(view.x, view.y, view.w, view.h);
  }
}
