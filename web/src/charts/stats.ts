// Small numeric helpers over typed arrays.

export type Numbers = ArrayLike<number>;

/** Index of the first element >= `x` in ascending `xs`. */
export function lowerBound(xs: Numbers, x: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > `x` in ascending `xs`. */
export function upperBound(xs: Numbers, x: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the element of ascending `xs` closest to `x` (-1 when empty). */
export function nearestIndex(xs: Numbers, x: number): number {
  if (xs.length === 0) return -1;
  const i = lowerBound(xs, x);
  if (i === 0) return 0;
  if (i === xs.length) return xs.length - 1;
  return x - xs[i - 1] <= xs[i] - x ? i - 1 : i;
}

export function isSorted(xs: Numbers): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) return false;
  return true;
}

/** The `q`-quantile (0..1) of `values`, which it reorders (quickselect). */
export function quantileInPlace(values: Float64Array, q: number): number {
  const k = Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))));
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

/** [min, max] of the finite values, or null when there are none. */
export function extent(values: Numbers, from = 0, to = values.length): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v < min && v > -Infinity) min = v;
    if (v > max && v < Infinity) max = v;
  }
  return min <= max ? [min, max] : null;
}

/** What drawing needs to know of a whole series. */
export interface Summary {
  /** Whether every value is finite. */
  finite: boolean;
  /** Whether every finite value is above zero. */
  positive: boolean;
  /** [min, max] of the finite values. */
  range: [number, number] | null;
}
