// Point colours from a metadata column, the 3-D camera, and sprite thumbnails.

const CATEGORY_COLORS = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  "#3b5bdb", "#f76707", "#2b8a3e", "#c2255c", "#5f3dc4", "#0b7285", "#e8590c", "#5c940d", "#862e9c", "#1864ab",
];
const DEFAULT_COLOR = "#1f77b4";

/** A colour per shown point: by category when the column has few distinct values,
 * on a blue-to-red scale when it is numeric, else one colour. */
export function pointColors(indices: number[], values: string[] | null): string[] {
  if (!values) return indices.map(() => DEFAULT_COLOR);
  const distinct = [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const numbers = values.map(Number);
  if (distinct.length > CATEGORY_COLORS.length && numbers.every(Number.isFinite)) {
    const lo = Math.min(...numbers);
    const span = Math.max(...numbers) - lo || 1;
    return indices.map((row) => {
      const t = (numbers[row] - lo) / span;
      return `rgb(${Math.round(40 + 200 * t)}, ${Math.round(90 + 40 * (1 - Math.abs(2 * t - 1)))}, ${Math.round(220 - 180 * t)})`;
    });
  }
  const index = new Map(distinct.map((value, i) => [value, i]));
  return indices.map((row) => CATEGORY_COLORS[(index.get(values[row]) ?? 0) % CATEGORY_COLORS.length]);
}

export interface Camera {
  yaw: number;
  pitch: number;
}

/** Points `n x 3` turned by the camera and seen in perspective: 2-D positions, a size
 * factor (nearer is bigger) and the drawing order (far to near). */
export function project3d(coords: Float32Array, n: number, camera: Camera): { xy: Float32Array; scale: Float32Array; order: number[]; axes: number[][] } {
  const center = [0, 1, 2].map((k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += coords[3 * i + k];
    return sum / (n || 1);
  });
  let radius = 0;
  for (let i = 0; i < n; i++) {
    radius = Math.max(radius, Math.hypot(coords[3 * i] - center[0], coords[3 * i + 1] - center[1], coords[3 * i + 2] - center[2]));
  }
  radius ||= 1;
  const [cy, sy, cp, sp] = [Math.cos(camera.yaw), Math.sin(camera.yaw), Math.cos(camera.pitch), Math.sin(camera.pitch)];
  /** Screen x, y, a perspective factor and the depth of a centred, scaled point. */
  const view = (x: number, y: number, z: number): [number, number, number, number] => {
    const x1 = cy * x + sy * z;
    const z1 = -sy * x + cy * z;
    const y1 = cp * y - sp * z1;
    const z2 = sp * y + cp * z1;
    const perspective = 3 / (3 - z2);
    return [x1 * perspective, y1 * perspective, perspective, z2];
  };
  const xy = new Float32Array(2 * n);
  const scale = new Float32Array(n);
  const depth = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [0, 1, 2].map((k) => (coords[3 * i + k] - center[k]) / radius);
    [xy[2 * i], xy[2 * i + 1], scale[i], depth[i]] = view(x, y, z);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => depth[a] - depth[b]);
  const axes = [view(1, 0, 0), view(0, 1, 0), view(0, 0, 1)].map(([x, y]) => [x, y]);
  return { xy, scale, order, axes };
}

/** Data URLs of the first `count` thumbnails of a sprite sheet (row by row). */
export async function spriteImages(url: string, size: { width: number; height: number }, count: number): Promise<string[]> {
  const image = new Image();
  image.src = url;
  await image.decode();
  const columns = Math.max(1, Math.floor(image.naturalWidth / size.width));
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext("2d")!;
  return Array.from({ length: count }, (_, i) => {
    context.clearRect(0, 0, size.width, size.height);
    const [col, row] = [i % columns, Math.floor(i / columns)];
    context.drawImage(image, col * size.width, row * size.height, size.width, size.height, 0, 0, size.width, size.height);
    return canvas.toDataURL();
  });
}
