// Stable, distinct run colours: runs take palette colours in name order over every run
// of the logdir, so a run keeps its colour whatever is selected or filtered, and
// neighbouring runs get colours that are far apart.

const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#17becf", "#e377c2", "#8c564b",
  "#bcbd22", "#7f7f7f", "#3b5bdb", "#f59f00", "#0b7285", "#c2255c", "#5c940d", "#862e9c",
];

const assigned = new Map<string, string>();

/** Gives every run of the logdir its colour; call when the list of runs changes. */
export function assignRunColors(runs: string[]): void {
  assigned.clear();
  [...runs].sort().forEach((run, index) => assigned.set(run, PALETTE[index % PALETTE.length]));
}

export function runColor(run: string): string {
  return assigned.get(run) ?? PALETTE[0];
}
