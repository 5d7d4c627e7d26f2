// Scalar series fetched as binary columns (`/api/scalars/columns`), cached per run
// and tag until the run's version changes.

import { WorkerFetcher } from "./fetcher";

/** One run's points of one tag. Steps and values are exact; wall times are
 * `wallStart + wallOffset[i]`, exact to float32 precision of the offsets. */
export interface ScalarSeries {
  run: string;
  tag: string;
  step: Float64Array;
  /** Whether the steps are known to ascend (evenly spaced ones do). */
  stepsAscend: boolean;
  wallStart: number;
  wallOffset: Float32Array;
  value: Float32Array | Float64Array;
}

interface Entry {
  version: number;
  series: Promise<ScalarSeries | null>;
}

interface SeriesHeader {
  run: string;
  n: number;
  step: "range" | "i4" | "f8";
  step_start?: number;
  step_stride?: number;
  wall_start: number;
  value: "f4" | "f8";
}

const RUNS_PER_REQUEST = 50; // keeps URLs short
const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** `start + stride * i` for i < n. Runs logged alike share one array (read-only). */
const evenStepsCache = new Map<string, Float64Array>();
const EVEN_STEPS_KEPT = 16;
function evenSteps(start: number, stride: number, n: number): Float64Array {
  const key = `${start} ${stride} ${n}`;
  let steps = evenStepsCache.get(key);
  if (!steps) {
    steps = new Float64Array(n);
    for (let i = 0; i < n; i++) steps[i] = start + stride * i;
    if (evenStepsCache.size >= EVEN_STEPS_KEPT) evenStepsCache.delete(evenStepsCache.keys().next().value!);
    evenStepsCache.set(key, steps);
  }
  return steps;
}

/** Reads the response of `/api/scalars/columns` (layout in docs/http-api.md). */
function decodeColumns(buffer: ArrayBuffer, tag: string): ScalarSeries[] {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength))) as { series: SeriesHeader[] };
  let offset = pad8(4 + headerLength);
  const take = <T extends ArrayBufferView>(make: (offset: number) => T): T => {
    const view = make(offset);
    offset += pad8(view.byteLength);
    return view;
  };
  return header.series.map((s) => {
    let step: Float64Array;
    if (s.step === "range") step = evenSteps(s.step_start ?? 0, s.step_stride ?? 0, s.n);
    else if (s.step === "i4") step = new Float64Array(take((at) => new Int32Array(buffer, at, s.n)));
    else step = take((at) => new Float64Array(buffer, at, s.n));
    const wallOffset = take((at) => new Float32Array(buffer, at, s.n));
    const value = take((at) => (s.value === "f4" ? new Float32Array(buffer, at, s.n) : new Float64Array(buffer, at, s.n)));
    return { run: s.run, tag, step, stepsAscend: s.step === "range" && (s.step_stride ?? 0) > 0, wallStart: s.wall_start, wallOffset, value };
  });
}

export class ScalarStore {
  private readonly entries = new Map<string, Entry>();
  private readonly fetcher = new WorkerFetcher();

  /** The series of `tag` in each of `runs` at the given run versions; fetches what is
   * missing or stale in one request. Runs without the tag give null. */
  get(tag: string, runs: Array<{ name: string; version: number }>): Promise<Array<ScalarSeries | null>> {
    const missing = runs.filter(({ name, version }) => this.entries.get(key(name, tag))?.version !== version);
    for (let start = 0; start < missing.length; start += RUNS_PER_REQUEST) {
      const batch = missing.slice(start, start + RUNS_PER_REQUEST);
      const request = fetchColumns(this.fetcher, tag, batch.map((run) => run.name));
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

async function fetchColumns(fetcher: WorkerFetcher, tag: string, runs: string[]): Promise<ScalarSeries[]> {
  const query = new URLSearchParams({ tag });
  for (const run of runs) query.append("run", run);
  return decodeColumns(await fetcher.arrayBuffer(`/api/scalars/columns?${query}`), tag);
}
