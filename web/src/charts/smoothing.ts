// TensorBoard's debiased exponential moving average, over every point of a series.

/**
 * Smooths `values` with weight `weight` in [0, 1): each finite value updates an EMA
 * that is divided by (1 - weight^n) to remove the bias towards the zero start.
 * Non-finite values pass through and do not count; a constant series is left as is.
 */
export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  // One monomorphic loop over a float64 copy, smoothed in place: this runs over
  // millions of points when a page opens.
  const out = new Float64Array(values);
  if (weight <= 0) return out;
  let first = NaN;
  let constant = true;
  let ema = 0;
  // weight^n, kept by multiplication (Math.pow per point is slow) and set to 0 once
  // 1 - power rounds to 1: else it sinks to the smallest subnormal and stays there,
  // and arithmetic on subnormals is many times slower.
  let power = 1;
  for (let i = 0; i < out.length; i++) {
    const y = out[i];
    if (y - y !== 0) continue; // NaN or infinite
    if (Number.isNaN(first)) first = y;
    else if (y !== first) constant = false;
    ema = ema * weight + (1 - weight) * y;
    power = power > 1e-300 ? power * weight : 0;
    out[i] = weight === 1 ? ema : ema / (1 - power);
  }
  return constant ? new Float64Array(values) : out;
}
