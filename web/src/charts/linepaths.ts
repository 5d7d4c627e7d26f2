// uPlot line paths for long series, built in one pass over the points in view. Per
// canvas pixel column only the points that shape the line are kept (the first, lowest,
// highest and last: M4), so a path has a few vertices per column however many points
// there are. A line wider than a pixel over dense points is filled as the band it
// covers: Skia strokes wide paths with many joins tens of times slower than it fills a
// polygon or draws one-pixel lines, and that raster time dominated opening a dashboard.
// The band is filled with the series' `fill`: give wide lines their colour there.

import uPlot from "uplot";
import { lowerBound, upperBound, type Numbers } from "./stats";

/** Called per pixel column with its x and the pixel y of its first, extreme and last
 * points in index order (repeats possible); `top`/`bottom` bound them. */
type ColumnVisitor = (x: number, first: number, a: number, b: number, last: number, top: number, bottom: number) => void;

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
  const width = (u.series[seriesIndex].width ?? 1) * uPlot.pxRatio;
  if (width > 1 && sorted && last - first + 1 >= 2 * u.bbox.width) {
    return { stroke: null, fill: band(width / 2, (visit) => visitColumns(u, xs, ys, true, first, last, visit)), clip: null, flags: 0 };
  }
  // Whole pixels, as uPlot's own line paths: one-pixel lines stay crisp.
  const stroke = new Path2D();
  let lastX = NaN;
  let lastY = NaN;
  const lineTo = (x: number, y: number) => {
    y = Math.round(y);
    if (x !== lastX || y !== lastY) stroke.lineTo((lastX = x), (lastY = y));
  };
  visitColumns(u, xs, ys, sorted, first, last, (x, a, b, c, d) => {
    x = Math.round(x);
    lineTo(x, a);
    lineTo(x, b);
    lineTo(x, c);
    lineTo(x, d);
  });
  return { stroke, fill: null, clip: null, flags: 0 };
};

/** Groups the points by canvas pixel column: a lone point keeps its exact x, several
 * share the column's. Ascending x gives each column an index range found by binary
 * search, so the loop over the points only reads y; else each point is visited alone. */
function visitColumns(u: uPlot, xs: Numbers, ys: Numbers, sorted: boolean, first: number, last: number, visit: ColumnVisitor): void {
  const { min, max } = u.scales.x as { min: number; max: number };
  const scale = u.bbox.width / (max - min);
  const left = u.bbox.left;
  const toX = (x: number) => (x - min) * scale + left;
  const toY = yPixels(u);
  for (let start = first; start <= last; ) {
    const column = Math.round(toX(xs[start]));
    const end = sorted ? lowerBound(xs, min + (column + 0.5 - left) / scale, start + 1, last + 1) - 1 : start;
    let a = start;
    let b = end;
    start = end + 1;
    while (a <= b && !isFiniteValue(ys[a])) a++; // gaps (NaN) are skipped
    while (b > a && !isFiniteValue(ys[b])) b--;
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
    const x = a === b ? toX(xs[a]) : column;
    const top = toY(high);
    const bottom = toY(low);
    if (lowAt < highAt) visit(x, toY(ys[a]), bottom, top, toY(ys[b]), top, bottom);
    else visit(x, toY(ys[a]), top, bottom, toY(ys[b]), top, bottom);
  }
}

const isFiniteValue = (y: number) => y - y === 0;

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

/** The area a line `2 * half` pixels wide covers: the columns' spans swept by a round
 * pen, sampled at five points of its rim (exact for flat lines, within 8% for steep ones). */
function band(half: number, columns: (visit: ColumnVisitor) => void): Path2D {
  const xs: number[] = [];
  const tops: number[] = [];
  const bottoms: number[] = [];
  columns((x, _a, _b, _c, _d, top, bottom) => {
    xs.push(x);
    tops.push(top);
    bottoms.push(bottom);
  });
  const diagonal = half * Math.SQRT1_2;
  const pen: Array<[number, number]> = [[0, half], [-half, 0], [half, 0], [-diagonal, diagonal], [diagonal, diagonal]];
  const path = new Path2D();
  for (let k = 0; k < xs.length; k++) {
    let top = Infinity;
    for (const [dx, dy] of pen) top = Math.min(top, along(xs, tops, k, xs[k] + dx) - dy);
    path.lineTo(xs[k], top);
  }
  for (let k = xs.length - 1; k >= 0; k--) {
    let bottom = -Infinity;
    for (const [dx, dy] of pen) bottom = Math.max(bottom, along(xs, bottoms, k, xs[k] + dx) + dy);
    path.lineTo(xs[k], bottom);
  }
  path.closePath();
  return path;
}

/** `values` (given at ascending `xs`) interpolated at `x`, searching from index `k`;
 * past either end, the end value. */
function along(xs: number[], values: number[], k: number, x: number): number {
  while (k > 0 && x < xs[k]) k--;
  while (k < xs.length - 1 && x > xs[k + 1]) k++;
  if (x <= xs[k] || k === xs.length - 1) return values[k];
  return values[k] + ((values[k + 1] - values[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
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
