// uPlot line paths for long series. Over dense points (two or more a pixel column) a
// line is filled as the band it covers: per canvas pixel column, the span between its
// lowest and highest point, swept by a round pen as wide as the line. Skia strokes wide
// paths with many joins tens of times slower than it fills a polygon, and that raster
// time dominated opening a dashboard; the band also needs only two vertices a column.
// Sparser lines are stroked through each column's first, lowest, highest and last point
// (M4). The band is filled with the series' `fill`: give lines their colour there.

import uPlot from "uplot";
import { lowerBound, upperBound, type Numbers } from "./stats";

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
  if (sorted && last - first + 1 >= 2 * u.bbox.width) {
    const half = Math.max(1, (u.series[seriesIndex].width ?? 1) * uPlot.pxRatio) / 2;
    return { stroke: null, fill: band(u, xs, ys, first, last, half), clip: null, flags: 0 };
  }
  return { stroke: polyline(u, xs, ys, sorted, first, last), fill: null, clip: null, flags: 0 };
};

/** The area a line `2 * half` pixels wide covers: the columns' spans swept by a round
 * pen, sampled at five points of its rim (exact for flat lines, within 8% for steep
 * ones). The loop over the points only reads y: columns are index ranges. */
function band(u: uPlot, xs: Numbers, ys: Numbers, first: number, last: number, half: number): Path2D {
  const toY = yPixels(u);
  const { starts, pixels } = columnStarts(u, xs, first, last);
  const columns = new Float64Array(pixels.length);
  const tops = new Float64Array(pixels.length);
  const bottoms = new Float64Array(pixels.length);
  let n = 0;
  for (let k = 0; k < pixels.length; k++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = starts[k]; i < starts[k + 1]; i++) {
      const y = ys[i]; // NaN fails both tests
      if (y < low) low = y;
      if (y > high) high = y;
    }
    if (low > high) continue; // only gaps
    columns[n] = pixels[k];
    tops[n] = toY(high);
    bottoms[n] = toY(low);
    n++;
  }
  const path = new Path2D();
  for (let k = 0; k < n; k++) path.lineTo(columns[k], swept(columns, tops, n, k, half, -1));
  for (let k = n - 1; k >= 0; k--) path.lineTo(columns[k], swept(columns, bottoms, n, k, half, 1));
  path.closePath();
  return path;
}

/** The edge `ys` (at `xs`, `n` of them) moved by the pen of radius `half` at vertex `k`,
 * upwards (`side` -1, the least y) or downwards (1, the greatest). */
function swept(xs: Float64Array, ys: Float64Array, n: number, k: number, half: number, side: number): number {
  const x = xs[k];
  const diagonal = half * Math.SQRT1_2;
  const extreme = side < 0 ? Math.min : Math.max;
  return extreme(
    ys[k] + side * half,
    along(xs, ys, n, k, x - half),
    along(xs, ys, n, k, x + half),
    along(xs, ys, n, k, x - diagonal) + side * diagonal,
    along(xs, ys, n, k, x + diagonal) + side * diagonal,
  );
}

/** `values` (given at ascending `xs`, `n` of them) interpolated at `x`, searching from
 * index `k`; past either end, the end value. */
function along(xs: Float64Array, values: Float64Array, n: number, k: number, x: number): number {
  while (k > 0 && x < xs[k]) k--;
  while (k < n - 1 && x > xs[k + 1]) k++;
  if (x <= xs[k] || k === n - 1) return values[k];
  return values[k] + ((values[k + 1] - values[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
}

/** Stroked on whole pixels through each column's first, lowest, highest and last point
 * in index order, as uPlot's own line paths: one-pixel lines stay crisp. Unsorted x
 * makes each point a column of its own. */
function polyline(u: uPlot, xs: Numbers, ys: Numbers, sorted: boolean, first: number, last: number): Path2D {
  const toX = xPixels(u);
  const toY = yPixels(u);
  const columns = sorted ? columnStarts(u, xs, first, last) : null;
  const count = columns ? columns.pixels.length : last - first + 1;
  const path = new Path2D();
  let lastX = NaN;
  let lastY = NaN;
  const lineTo = (x: number, y: number) => {
    y = Math.round(y);
    if (x !== lastX || y !== lastY) path.lineTo((lastX = x), (lastY = y));
  };
  for (let k = 0; k < count; k++) {
    let a = columns ? columns.starts[k] : first + k;
    let b = columns ? columns.starts[k + 1] - 1 : a;
    while (a <= b && !(ys[a] - ys[a] === 0)) a++; // gaps (NaN) are skipped
    while (b > a && !(ys[b] - ys[b] === 0)) b--;
    if (a > b) continue;
    let lowAt = a;
    let highAt = a;
    for (let i = a + 1; i <= b; i++) {
      if (ys[i] < ys[lowAt]) lowAt = i;
      else if (ys[i] > ys[highAt]) highAt = i;
    }
    const x = Math.round(toX(xs[a]));
    lineTo(x, toY(ys[a]));
    lineTo(x, toY(ys[Math.min(lowAt, highAt)]));
    lineTo(x, toY(ys[Math.max(lowAt, highAt)]));
    lineTo(x, toY(ys[b]));
  }
  return path;
}

interface Columns {
  /** Index where each column's points start, and one past the last. */
  starts: Int32Array;
  /** Each column's canvas pixel x. */
  pixels: Float64Array;
}

/** The pixel columns of the points first..last of ascending `xs`, found by binary
 * search; shared by the series drawn over the same x array (a run's raw and smoothed
 * lines, runs logged alike). */
const columnsCache = new WeakMap<object, { key: string; columns: Columns }>();
function columnStarts(u: uPlot, xs: Numbers, first: number, last: number): Columns {
  const { min, max } = u.scales.x as { min: number; max: number };
  const { left, width } = u.bbox;
  const key = `${first} ${last} ${min} ${max} ${left} ${width}`;
  const cached = columnsCache.get(xs);
  if (cached?.key === key) return cached.columns;
  const scale = width / (max - min);
  const starts = [first];
  const pixels: number[] = [];
  for (let start = first; start <= last; ) {
    const pixel = Math.round((xs[start] - min) * scale + left);
    start = lowerBound(xs, min + (pixel + 0.5 - left) / scale, start + 1, last + 1);
    starts.push(start);
    pixels.push(pixel);
  }
  const columns = { starts: Int32Array.from(starts), pixels: Float64Array.from(pixels) };
  columnsCache.set(xs, { key, columns });
  return columns;
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
