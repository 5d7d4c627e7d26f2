// The body of `/api/scalars/columns` (layout in docs/http-api.md) read into series ready
// to draw: in step order, values as float64, smoothed and summarized. The fetch worker
// does this, off the main thread.

import { smooth } from "../../charts/smoothing";
import { isSorted, type Summary } from "../../charts/stats";

/** Wall time i is `start + offset[i]`, exact to float32 precision of the offsets. */
export interface WallTimes {
  start: number;
  offset: Float32Array;
}

/** One run's points of one tag, in step order. Steps and values are exact. */
export interface ScalarSeries {
  run: string;
  tag: string;
  step: Float64Array;
  value: Float64Array;
  valueSummary: Summary;
  /** The values smoothed, with the last weight asked for. */
  smoothed: Smoothed;
  /** Fetched when needed: a first draw along steps does without them. */
  wall: WallTimes | null;
}

export interface Smoothed {
  weight: number;
  values: Float64Array;
  summary: Summary;
}

export type Column = "wall_time" | "value";

interface SeriesHeader {
  run: string;
  n: number;
  step: "range" | "i4" | "f8";
  step_start?: number;
  step_stride?: number;
  wall_start: number;
  value: "f4" | "f8";
}

interface Columns {
  run: string;
  step: Float64Array;
  wall: WallTimes | null;
  value: Float64Array | null;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** A body's tag and the series in it, smoothed with `weight` when it has values. */
export interface Body {
  tag: string;
  series: ScalarSeries[];
  /** The wall times, by run, when the body has only them. */
  wallTimes: Map<string, WallTimes> | null;
}

export function readBody(buffer: ArrayBuffer, weight: number): Body {
  const { tag, names, columns } = readColumns(buffer);
  if (!names.includes("value")) return { tag, series: [], wallTimes: new Map(columns.map(({ run, wall }) => [run, wall!])) };
  const series = columns.map(({ run, step, wall, value }) => {
    const { smoothed, valueSummary, smoothedSummary } = smooth(value!, weight);
    return { run, tag, step, value: value!, valueSummary, smoothed: { weight, values: smoothed, summary: smoothedSummary }, wall };
  });
  return { tag, series, wallTimes: null };
}

/** The arrays of a body, to transfer them. */
export function arraysOf({ series, wallTimes }: Body): ArrayBufferView[] {
  const walls = [...(wallTimes?.values() ?? [])].map((wall) => wall.offset);
  return [...walls, ...series.flatMap((s) => [s.step, s.value, s.smoothed.values, ...(s.wall ? [s.wall.offset] : [])])];
}

/** The columns in step order. Runs logged alike share one steps array. */
function readColumns(buffer: ArrayBuffer): { tag: string; names: Column[]; columns: Columns[] } {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const text = new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength));
  const header = JSON.parse(text) as { tag: string; columns: Column[]; series: SeriesHeader[] };
  let offset = pad8(4 + headerLength);
  const take = <T extends ArrayBufferView>(make: (offset: number) => T): T => {
    const view = make(offset);
    offset += pad8(view.byteLength);
    return view;
  };
  const evenSteps = new Map<string, Float64Array>();
  const columns = header.series.map((s) => {
    let step: Float64Array;
    let ascending = true;
    if (s.step === "range") {
      const key = `${s.step_start} ${s.step_stride} ${s.n}`;
      step = evenSteps.get(key) ?? rangeOf(s.step_start ?? 0, s.step_stride ?? 0, s.n);
      evenSteps.set(key, step);
    } else {
      step = s.step === "i4" ? new Float64Array(take((at) => new Int32Array(buffer, at, s.n))) : take((at) => new Float64Array(buffer, at, s.n));
      ascending = isSorted(step);
    }
    let offsets = header.columns.includes("wall_time") ? take((at) => new Float32Array(buffer, at, s.n)) : null;
    let value = header.columns.includes("value") ? new Float64Array(take((at) => (s.value === "f4" ? new Float32Array(buffer, at, s.n) : new Float64Array(buffer, at, s.n)))) : null;
    if (!ascending) {
      const order = Array.from(step.keys()).sort((a, b) => step[a] - step[b]);
      const [steps, unorderedOffsets, unorderedValues] = [step, offsets, value];
      step = Float64Array.from(order, (i) => steps[i]);
      if (unorderedOffsets) offsets = Float32Array.from(order, (i) => unorderedOffsets[i]);
      if (unorderedValues) value = Float64Array.from(order, (i) => unorderedValues[i]);
    }
    return { run: s.run, step, wall: offsets && { start: s.wall_start, offset: offsets }, value };
  });
  return { tag: header.tag, names: header.columns, columns };
}

function rangeOf(start: number, stride: number, n: number): Float64Array {
  const steps = new Float64Array(n);
  for (let i = 0; i < n; i++) steps[i] = start + stride * i;
  return steps;
}

