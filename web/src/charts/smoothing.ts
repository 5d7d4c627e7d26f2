// TensorBoard's debiased exponential moving average, over every point of a series.

import type { Summary } from "./stats";

export interface SmoothedSeries {
  smoothed: Float64Array;
  /** Of the values given. */
  valueSummary: Summary;
  smoothedSummary: Summary;
}

/**
 * Smooths `values` with weight `weight` in [0, 1): each finite value updates an EMA
 * that is divided by (1 - weight^n) to remove the bias towards the zero start.
 * Non-finite values pass through and do not count; a constant series is left as is.
 * Both series are summarized in the same pass: this runs over millions of points when
 * a page opens.
 */
export function smooth(values: Float64Array, weight: number): SmoothedSeries {
  const out = new Float64Array(values.length);
  let finite = true;
  let positive = true;
  let smoothedPositive = true;
  let first = NaN;
  let constant = true;
  let lo = Infinity;
  let hi = -Infinity;
  let smoothedLo = Infinity;
  let smoothedHi = -Infinity;
  let ema = 0;
  // weight^n, kept by multiplication (Math.pow per point is slow) and set to 0 once
  // 1 - power rounds to 1: else it sinks to the smallest subnormal and stays there,
  // and arithmetic on subnormals is many times slower.
  let power = 1;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y - y !== 0) {
      finite = false; // NaN or infinite: passes through
      out[i] = y;
      continue;
    }
    if (Number.isNaN(first)) first = y;
    else if (y !== first) constant = false;
    if (y <= 0) positive = false;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
    let s = y;
    if (weight > 0) {
      ema = ema * weight + (1 - weight) * y;
      power = power > 1e-300 ? power * weight : 0;
      s = power === 0 || weight === 1 ? ema : ema / (1 - power);
    }
    out[i] = s;
    if (s <= 0) smoothedPositive = false;
    if (s < smoothedLo) smoothedLo = s;
    if (s > smoothedHi) smoothedHi = s;
  }
  const range = (low: number, high: number): [number, number] | null => (low <= high ? [low, high] : null);
  const valueSummary = { finite, positive, range: range(lo, hi) };
  if (weight <= 0) return { smoothed: out, valueSummary, smoothedSummary: valueSummary };
  if (constant) return { smoothed: new Float64Array(values), valueSummary, smoothedSummary: valueSummary };
  return { smoothed: out, valueSummary, smoothedSummary: { finite, positive: smoothedPositive, range: range(smoothedLo, smoothedHi) } };
}
