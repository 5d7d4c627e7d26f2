// Number, time and duration formatting for axes and readouts.

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}

export function formatStep(step: number): string {
  return Number.isInteger(step) && Math.abs(step) >= 1e4 ? step.toLocaleString("en-US") : String(step);
}

/** A duration in seconds as e.g. "1h 02m", "3m 05s", "12.5s". */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  let s = Math.abs(seconds);
  if (s < 60) return `${sign}${Number(s.toPrecision(3))}s`;
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  const secs = Math.floor(s - minutes * 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (days) return `${sign}${days}d ${pad(hours)}h`;
  if (hours) return `${sign}${hours}h ${pad(minutes)}m`;
  return `${sign}${minutes}m ${pad(secs)}s`;
}

export function formatWallTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString();
}

/** Tick spacings for an axis of whole numbers (steps, epochs): never a fraction. */
export const INTEGER_INCREMENTS = Array.from({ length: 16 }, (_, power) => [1, 2, 5].map((m) => m * 10 ** power)).flat();

/**
 * An axis's tick labels, all in one format: fixed-point with as many decimals as the
 * spacing of the ticks needs, or, for very large or very small values, exponential
 * with as many digits as that spacing needs.
 */
export function formatTicks(ticks: ReadonlyArray<number | null>, spacing?: number): string[] {
  const finite = ticks.filter((t): t is number => t !== null && Number.isFinite(t));
  const step = spacing && spacing > 0 ? spacing : smallestGap(finite);
  const largest = Math.max(0, ...finite.map(Math.abs));
  const exponential = largest >= 1e6 || (largest > 0 && largest < 1e-3);
  const exponent = exponential ? Math.floor(Math.log10(largest)) : 0;
  const digits = Math.min(8, decimalsOf(step / 10 ** exponent));
  return ticks.map((t) => {
    if (t === null) return "";
    if (!Number.isFinite(t)) return String(t);
    const value = Math.abs(t) < step * 1e-9 ? 0 : t; // no "-0.00" from rounding noise
    return exponential ? value.toExponential(digits) : value.toFixed(digits);
  });
}

/** Axis tick labels (a uPlot `values` callback) through `formatTicks`. */
export const tickLabels = (_u: unknown, splits: number[], _axis?: number, _space?: number, spacing?: number): string[] =>
  formatTicks(splits, spacing);

/** Step tick labels (a uPlot `values` callback): whole numbers, thousands as "k" and
 * millions as "M", with the decimals the spacing needs. */
export const stepTickLabels = (_u: unknown, splits: number[], _axis?: number, _space?: number, spacing?: number): string[] => {
  const largest = Math.max(0, ...splits.filter(Number.isFinite).map(Math.abs));
  const [scale, suffix] = largest >= 1e6 ? [1e6, "M"] : largest >= 1e4 ? [1e3, "k"] : [1, ""];
  const digits = Math.min(6, decimalsOf((spacing && spacing > 0 ? spacing : smallestGap(splits)) / scale));
  return splits.map((s) => (Number.isFinite(s) ? `${(s / scale).toFixed(digits)}${suffix}` : ""));
};

function smallestGap(values: number[]): number {
  let gap = Infinity;
  for (let i = 1; i < values.length; i++) {
    const d = Math.abs(values[i] - values[i - 1]);
    if (d > 0 && d < gap) gap = d;
  }
  return Number.isFinite(gap) ? gap : Math.abs(values[0] ?? 1) || 1;
}

/** Decimals needed to write `value` exactly (up to rounding noise). */
function decimalsOf(value: number): number {
  for (let decimals = 0; decimals < 12; decimals++) {
    const scaled = value * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6 * Math.max(1, Math.abs(scaled))) return decimals;
  }
  return 12;
}
