// Histograms of varying bucket edges redrawn on one set of uniform bins.

/** One step: buckets as [left, right, count]. */
export interface HistogramStep {
  step: number;
  wallTime: number;
  buckets: Array<[number, number, number]>;
}

export interface Rebinned {
  steps: number[];
  /** Bin centres. */
  centers: number[];
  /** Per step, the count in each bin. */
  counts: number[][];
  maxCount: number;
}

/** Spreads each bucket's count over the `bins` uniform bins it overlaps, in proportion
 * to the overlap (a zero-width bucket goes to the bin holding it). */
export function rebin(histograms: HistogramStep[], bins = 30): Rebinned {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { buckets } of histograms) {
    for (const [left, right, count] of buckets) {
      if (count <= 0) continue;
      lo = Math.min(lo, left);
      hi = Math.max(hi, right);
    }
  }
  if (!(lo <= hi)) return { steps: histograms.map((h) => h.step), centers: [], counts: histograms.map(() => []), maxCount: 0 };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const centers = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
  const binOf = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)));
  let maxCount = 0;
  const counts = histograms.map(({ buckets }) => {
    const out = new Array<number>(bins).fill(0);
    for (const [left, right, count] of buckets) {
      if (!(count > 0)) continue;
      if (right <= left) {
        out[binOf(left)] += count;
        continue;
      }
      for (let bin = binOf(left); bin <= binOf(right); bin++) {
        const overlap = Math.min(right, lo + (bin + 1) * width) - Math.max(left, lo + bin * width);
        if (overlap > 0) out[bin] += (count * overlap) / (right - left);
      }
    }
    for (const c of out) maxCount = Math.max(maxCount, c);
    return out;
  });
  return { steps: histograms.map((h) => h.step), centers, counts, maxCount };
}
