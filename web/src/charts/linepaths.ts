// uPlot line paths for long series. Per canvas pixel column only what shapes the line
// is kept (the first, lowest, highest and last point: M4), so a path has a few vertices
// per column however many points there are. Over dense points a line is filled as the
// band it covers rather than stroked: Skia strokes wide paths with many joins tens of
// times slower than it fills a polygon, and that raster time dominated opening a
// dashboard. The band is filled with the series' `fill`: give lines their colour there.

import uPlot from "uplot";
import { lowerBound, upperBound, type Numbers } from "./stats";

/** Per column, in canvas pixels: x, the y of the first, extreme and last points in
 * index order (repeats possible), and the top and bottom of the span. */
const FIELDS = 7;

/** A path builder for faceted series ([x, y] per series, x ascending or else every point
 * is used) on a linear x scale; NaN values are skipped, so gaps are spanned. */
export const linePaths: uPlot.Series.PathBuilder = (u, seriesIndex, first, last) => {
  const [xs, ys] = u.data[seriesIndex] as unknown as [Numbers, Numbers];
  const { min, max } = u.scales.x;
  if (min === undefined || max === undefined || !(min < max)) return null;
  const sorted = sortedOnce(xs);
  if (sorted) {
    first = Math.max(0, lowerBound(xs, min) - 1);
    last = Math.min(xs.length - 1, upperBound(xs, max));
  }
  if (last < first) return null;
  const columns = pixelColumns(u, xs, ys, sorted, first, last);
  if (sorted && last - first + 1 >= 2 * u.bbox.width) {
    const half = Math.max(1, (u.series[seriesIndex].width ?? 1) * uPlot.pxRatio) / 2;
    return { stroke: null, fill: band(columns, half), clip: null, flags: 0 };
  }
  return { stroke: polyline(columns), fill: null, clip: null, flags: 0 };
};

/** The columns' data (`FIELDS` numbers each). A lone point keeps its exact x, several
 * share the column's. Ascending x gives each column an index range (see
 * `columnStarts`), so the loop over the points reads y only; else each point is a
 * column of its own. */
function pixelColumns(u: uPlot, xs: Numbers, ys: Numbers, sorted: boolean, first: number, last: number): Float64Array {
  const toX = xPixels(u);
  const toY = yPixels(u);
  const starts = sorted ? columnStarts(u, xs, first, last) : null;
  const count = starts ? starts.length - 1 : last - first + 1;
  const out = new Float64Array(count * FIELDS);
  let n = 0;
  for (let k = 0; k < count; k++) {
    let a = starts ? starts[k] : first + k;
    let b = starts ? starts[k + 1] - 1 : a;
    while (a <= b && !(ys[a] - ys[a] === 0)) a++; // gaps (NaN) are skipped
    while (b > a && !(ys[b] - ys[b] === 0)) b--;
    if (a > b) continue;
    let low = ys[a];
    let lowAt = a;
    let high = low;
    let highAt = a;
    for (let i = a + 1; i <= b; i++) {
      const y = ys[i]; // NaN fails both tests
      if (y < low) {
        low = y;
        lowAt = i;
      } else if (y > high) {
        high = y;
        highAt = i;
      }
    }
    const top = toY(high);
    const bottom = toY(low);
    const at = n * FIELDS;
    out[at] = a === b ? toX(xs[a]) : Math.round(toX(xs[a]));
    out[at + 1] = toY(ys[a]);
    out[at + 2] = lowAt < highAt ? bottom : top;
    out[at + 3] = lowAt < highAt ? top : bottom;
    out[at + 4] = toY(ys[b]);
    out[at + 5] = top;
    out[at + 6] = bottom;
    n++;
  }
  return out.subarray(0, n * FIELDS);
}

/** Index where each pixel column of the points first..last starts, and last + 1; shared
 * by the series drawn over the same x array (a run's raw and smoothed lines, runs
 * logged alike). */
const startsCache = new WeakMap<object, { key: string; starts: Int32Array }>();
function columnStarts(u: uPlot, xs: Numbers, first: number, last: number): Int32Array {
  const { min, max } = u.scales.x as { min: number; max: number };
  const { left, width } = u.bbox;
  const key = `${first} ${last} ${min} ${max} ${left} ${width}`;
  const cached = startsCache.get(xs);
  if (cached?.key === key) return cached.starts;
  const scale = width / (max - min);
  const found = [first];
  for (let start = first; start <= last; ) {
    const column = Math.round((xs[start] - min) * scale + left);
    start = lowerBound(xs, min + (column + 0.5 - left) / scale, start + 1, last + 1);
    found.push(start);
  }
  const starts = Int32Array.from(found);
  startsCache.set(xs, { key, starts });
  return starts;
}

/** Whole pixels, as uPlot's own line paths: one-pixel lines stay crisp. */
function polyline(columns: Float64Array): Path2D {
  const path = new Path2D();
  let lastX = NaN;
  let lastY = NaN;
  for (let at = 0; at < columns.length; at += FIELDS) {
    const x = Math.round(columns[at]);
    for (let field = 1; field <= 4; field++) {
      const y = Math.round(columns[at + field]);
      if (x !== lastX || y !== lastY) path.lineTo((lastX = x), (lastY = y));
    }
  }
  return path;
}

/** The area a line `2 * half` pixels wide covers: the columns' spans swept by a round
 * pen, sampled at five points of its rim (exact for flat lines, within 8% for steep ones). */
function band(columns: Float64Array, half: number): Path2D {
  const n = columns.length / FIELDS;
  const xs = new Float64Array(n);
  const tops = new Float64Array(n);
  const bottoms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = columns[k * FIELDS];
    tops[k] = columns[k * FIELDS + 5];
    bottoms[k] = columns[k * FIELDS + 6];
  }
  const path = new Path2D();
  for (let k = 0; k < n; k++) path.lineTo(xs[k], swept(xs, tops, k, half, -1));
  for (let k = n - 1; k >= 0; k--) path.lineTo(xs[k], swept(xs, bottoms, k, half, 1));
  path.closePath();
  return path;
}

/** The edge `ys` (at `xs`) moved by the pen of radius `half` at vertex `k`, upwards
 * (`side` -1, the least y) or downwards (1, the greatest). */
function swept(xs: Float64Array, ys: Float64Array, k: number, half: number, side: number): number {
  const x = xs[k];
  const diagonal = half * Math.SQRT1_2;
  const extreme = side < 0 ? Math.min : Math.max;
  return extreme(
    ys[k] + side * half,
    along(xs, ys, k, x - half),
    along(xs, ys, k, x + half),
    along(xs, ys, k, x - diagonal) + side * diagonal,
    along(xs, ys, k, x + diagonal) + side * diagonal,
  );
}

/** `values` (given at ascending `xs`) interpolated at `x`, searching from index `k`;
 * past either end, the end value. */
function along(xs: Float64Array, values: Float64Array, k: number, x: number): number {
  while (k > 0 && x < xs[k]) k--;
  while (k < xs.length - 1 && x > xs[k + 1]) k++;
  if (x <= xs[k] || k === xs.length - 1) return values[k];
  return values[k] + ((values[k + 1] - values[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
}

/** Canvas pixel x of a value on the (linear) x scale. */
function xPixels(u: uPlot): (value: number) => number {
  const { min, max } = u.scales.x as { min: number; max: number };
  const { left, width } = u.bbox;
  const scale = width / (max - min);
  return (value) => (value - min) * scale + left;
}

/** Canvas pixel y of a value on the y scale (linear or log10, as the charts use). */
function yPixels(u: uPlot): (value: number) => number {
  const { min, max, distr } = u.scales.y as { min: number; max: number; distr: number };
  const { top, height } = u.bbox;
  if (distr === 3) {
    const low = Math.log10(min);
    const scale = height / (Math.log10(max) - low);
    return (value) => top + height - (Math.log10(value) - low) * scale;
  }
  const scale = height / (max - min);
  return (value) => top + height - (value - min) * scale;
}

const sortedCache = new WeakMap<object, boolean>();
function sortedOnce(xs: Numbers): boolean {
  let known = sortedCache.get(xs);
  if (known === undefined) {
    known = true;
    for (let i = 1; i < xs.length && known; i++) known = xs[i] >= xs[i - 1];
    sortedCache.set(xs, known);
  }
  return known;
}
