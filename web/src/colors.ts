// Stable run colours: a run keeps its colour whatever else is selected or filtered.

const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
  "#bcbd22", "#17becf", "#3b5bdb", "#f76707", "#2b8a3e", "#c2255c", "#5f3dc4", "#0b7285",
];

export function runColor(run: string): string {
  let hash = 2166136261;
  for (let i = 0; i < run.length; i++) {
    hash ^= run.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length];
}
