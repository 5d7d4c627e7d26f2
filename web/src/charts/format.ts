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
