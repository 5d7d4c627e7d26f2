// Scalar series (columns.ts), fetched by a worker and cached per run and tag until the
// run's version changes.

import type { ScalarSeries } from "./columns";
import { ColumnsFetcher } from "./fetcher";

interface Entry {
  version: number;
  series: Promise<ScalarSeries | null>;
}

const RUNS_PER_REQUEST = 50; // keeps URLs short

/** Started as the app loads: the worker's script and start-up would otherwise hold up
 * the first charts. */
const fetcher = new ColumnsFetcher();

export class ScalarStore {
  private readonly entries = new Map<string, Entry>();

  /** The series of `tag` in each of `runs` at the given run versions; fetches what is
   * missing or stale in one request, smoothed with `smoothing` on the way. Runs without
   * the tag give null. */
  get(tag: string, runs: Array<{ name: string; version: number }>, smoothing: number): Promise<Array<ScalarSeries | null>> {
    const missing = runs.filter(({ name, version }) => this.entries.get(key(name, tag))?.version !== version);
    for (let start = 0; start < missing.length; start += RUNS_PER_REQUEST) {
      const batch = missing.slice(start, start + RUNS_PER_REQUEST);
      const request = fetcher.fetch(tag, batch.map((run) => run.name), smoothing);
      for (const { name, version } of batch) {
        const series = request.then((all) => all.find((s) => s.run === name) ?? null);
        this.entries.set(key(name, tag), { version, series });
        series.catch(() => this.entries.delete(key(name, tag)));
      }
    }
    return Promise.all(runs.map(({ name }) => this.entries.get(key(name, tag))!.series));
  }
}

const key = (run: string, tag: string) => JSON.stringify([run, tag]);
