// Scalar series (columns.ts), fetched by a worker and cached per run and tag until the
// run's version changes. Wall times come along only when asked for: a first draw along
// steps does without them, and they are half the bytes.

import type { ScalarSeries } from "./columns";
import { ColumnsFetcher } from "./fetcher";

interface Entry {
  version: number;
  series: Promise<ScalarSeries | null>;
  /** Resolves once the series has its wall times; null while nobody asked for them. */
  wallTimes: Promise<void> | null;
}

export interface RunVersion {
  name: string;
  version: number;
}

const RUNS_PER_REQUEST = 50; // keeps URLs short

/** Started as the app loads: the worker's script and start-up would otherwise hold up
 * the first charts. */
const fetcher = new ColumnsFetcher();

export class ScalarStore {
  private readonly entries = new Map<string, Entry>();

  /** The series of `tag` in each of `runs` at the given run versions, with their wall
   * times if `withWallTimes`; fetches what is missing or stale, values smoothed with
   * `smoothing` on the way. Runs without the tag give null. */
  async get(tag: string, runs: RunVersion[], smoothing: number, withWallTimes: boolean): Promise<Array<ScalarSeries | null>> {
    const missing = runs.filter(({ name, version }) => this.entries.get(key(name, tag))?.version !== version);
    for (const batch of batches(missing)) {
      const request = fetcher.series(tag, batch.map((run) => run.name), smoothing, withWallTimes);
      for (const { name, version } of batch) {
        const series = request.then((all) => all.find((s) => s.run === name) ?? null);
        this.entries.set(key(name, tag), { version, series, wallTimes: withWallTimes ? series.then(() => undefined) : null });
        series.catch(() => this.entries.delete(key(name, tag)));
      }
    }
    const entries = runs.map(({ name }) => this.entries.get(key(name, tag))!);
    if (withWallTimes) {
      this.fetchWallTimes(tag, runs.filter((_, i) => !entries[i].wallTimes));
      await Promise.all(entries.map((entry) => entry.wallTimes));
    }
    return Promise.all(entries.map((entry) => entry.series));
  }

  private fetchWallTimes(tag: string, runs: RunVersion[]): void {
    for (const batch of batches(runs)) {
      const request = fetcher.wallTimes(tag, batch.map((run) => run.name));
      for (const { name } of batch) {
        const entry = this.entries.get(key(name, tag))!;
        entry.wallTimes = Promise.all([entry.series, request]).then(([series, walls]) => {
          if (series) series.wall = walls.get(name) ?? null;
        });
        entry.wallTimes.catch(() => (entry.wallTimes = null));
      }
    }
  }
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += RUNS_PER_REQUEST) out.push(items.slice(start, start + RUNS_PER_REQUEST));
  return out;
}

const key = (run: string, tag: string) => JSON.stringify([run, tag]);
