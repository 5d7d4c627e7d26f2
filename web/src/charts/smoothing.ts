// TensorBoard's debiased exponential moving average, over every point of a series.

/**
 * Smooths `values` with weight `weight` in [0, 1): each finite value updates an EMA
 * that is divided by (1 - weight^n) to remove the bias towards the zero start.
 * Non-finite values pass through and do not count; a constant series is left as is.
 */
export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = Float64Array.from(values);
  if (weight <= 0 || isConstant(values)) return out;
  let ema = 0;
  let power = 1; // weight^n, kept by multiplication: Math.pow per point is slow
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y - y !== 0) continue; // NaN or infinite
    ema = ema * weight + (1 - weight) * y;
    power *= weight;
    out[i] = weight === 1 ? ema : ema / (1 - power);
  }
  return out;
}

function isConstant(values: ArrayLike<number>): boolean {
  let first: number | undefined;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y - y !== 0) continue;
    if (first === undefined) first = y;
    else if (y !== first) return false;
  }
  return true;
}
