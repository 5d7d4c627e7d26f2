// Stable, distinct run colours. Each run hashes to a preferred palette slot; runs are
// placed in name order and a taken slot passes to the next free one, so a run keeps its
// colour whatever is selected or filtered, and no two runs share one while the palette
// lasts.

const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
  "#bcbd22", "#17becf", "#3b5bdb", "#f76707", "#2b8a3e", "#c2255c", "#5f3dc4", "#0b7285",
  "#a61e4d", "#5c940d", "#e8590c", "#1864ab", "#862e9c", "#087f5b", "#c92a2a", "#495057",
];

const assigned = new Map<string, string>();

function preferredSlot(run: string): number {
  let hash = 2166136261;
  for (let i = 0; i < run.length; i++) {
    hash ^= run.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % PALETTE.length;
}

/** Gives every run of the logdir its colour; call when the list of runs changes. */
export function assignRunColors(runs: string[]): void {
  assigned.clear();
  const taken = new Set<number>();
  for (const run of [...runs].sort()) {
    let slot = preferredSlot(run);
    for (let probe = 0; probe < PALETTE.length && taken.has(slot); probe++) {
      slot = (slot + 1) % PALETTE.length;
    }
    taken.add(slot);
    if (taken.size >= PALETTE.length) taken.clear(); // more runs than colours: reuse
    assigned.set(run, PALETTE[slot]);
  }
}

export function runColor(run: string): string {
  return assigned.get(run) ?? PALETTE[preferredSlot(run)];
}
