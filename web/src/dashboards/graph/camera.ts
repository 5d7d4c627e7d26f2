// Pan and zoom: a screen point is `world * k + (x, y)`, in CSS pixels of the canvas.

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const MIN_ZOOM = 0.001;
export const MAX_ZOOM = 6;

export class Camera {
  k = 1;
  x = 0;
  y = 0;

  toWorld(sx: number, sy: number): [number, number] {
    return [(sx - this.x) / this.k, (sy - this.y) / this.k];
  }

  toScreen(wx: number, wy: number): [number, number] {
    return [wx * this.k + this.x, wy * this.k + this.y];
  }

  /** Zooms by `factor` keeping the screen point (sx, sy) fixed. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.k * factor));
    const [wx, wy] = this.toWorld(sx, sy);
    this.k = k;
    this.x = sx - wx * k;
    this.y = sy - wy * k;
  }

  /** The camera that shows `box` whole in a `width` × `height` view, at most at `maxZoom`. */
  static fitting(box: Box, width: number, height: number, maxZoom = 1, margin = 24): Camera {
    const camera = new Camera();
    const k = Math.min((width - 2 * margin) / Math.max(box.w, 1), (height - 2 * margin) / Math.max(box.h, 1), maxZoom);
    camera.k = Math.max(MIN_ZOOM, k);
    camera.x = (width - box.w * camera.k) / 2 - box.x * camera.k;
    camera.y = (height - box.h * camera.k) / 2 - box.y * camera.k;
    return camera;
  }

  /** The camera with the world point (wx, wy) at the centre of the view, at zoom `k`. */
  static centredOn(wx: number, wy: number, k: number, width: number, height: number): Camera {
    const camera = new Camera();
    camera.k = k;
    camera.x = width / 2 - wx * k;
    camera.y = height / 2 - wy * k;
    return camera;
  }

  /** The world rectangle the view shows. */
  visible(width: number, height: number): Box {
    const [x, y] = this.toWorld(0, 0);
    return { x, y, w: width / this.k, h: height / this.k };
  }

  set(other: Camera): void {
    this.k = other.k;
    this.x = other.x;
    this.y = other.y;
  }

  /** Interpolates between two cameras, zooming geometrically. */
  static between(a: Camera, b: Camera, t: number): Camera {
    const camera = new Camera();
    camera.k = a.k * Math.pow(b.k / a.k, t);
    // Interpolate the world point at the view's origin so that zoom and pan stay in step.
    const [ax, ay] = [-a.x / a.k, -a.y / a.k];
    const [bx, by] = [-b.x / b.k, -b.y / b.k];
    camera.x = -(ax + (bx - ax) * t) * camera.k;
    camera.y = -(ay + (by - ay) * t) * camera.k;
    return camera;
  }
}

export const ease = (t: number) => (t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2);
export const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
