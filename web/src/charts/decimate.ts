// Min/max decimation for drawing: per horizontal pixel only the first, lowest, highest
// and last points matter to a line's shape, so a series of any length is drawn with at
// most four points a pixel and looks exactly as if every point were drawn.

import { lowerBound, type Numbers } from "./stats";

/**
 * Indices of the points of `ys` (over ascending `xs`) to draw in [x0, x1] at `pixels`
 * wide, plus one point on each side so the line runs to the edges; null when the series
 * is short enough to draw whole.
 */
export function decimationIndices(xs: Numbers, ys: Numbers, x0: number, x1: number, pixels: number): Uint32Array | null {
  const n = xs.length;
  if (n <= pixels * 4 || !(x1 > x0)) return null;
  const keep = new Uint32Array(Math.min(n, pixels * 4 + 8));
  let count = 0;
  const push = (i: number) => {
    if (count === 0 || keep[count - 1] !== i) keep[count++] = i;
  };
  let i = lowerBound(xs, x0);
  if (i > 0) push(i - 1);
  const scale = pixels / (x1 - x0);
  while (i < n && xs[i] <= x1) {
    const bucket = Math.floor((xs[i] - x0) * scale);
    const first = i;
    let low = i;
    let high = i;
    for (i++; i < n && xs[i] <= x1 && Math.floor((xs[i] - x0) * scale) === bucket; i++) {
      if (ys[i] < ys[low]) low = i;
      if (ys[i] > ys[high]) high = i;
    }
    const last = i - 1;
    push(first);
    if (low < high) {
      push(low);
      push(high);
    } else {
      push(high);
      push(low);
    }
    push(last);
  }
  if (i < n) push(i);
  return keep.subarray(0, count);
}

export function pick(values: Numbers, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}
