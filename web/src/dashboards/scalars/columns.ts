// The body of `/api/scalars/columns` (layout in docs/http-api.md) read into series ready
// to draw: in step order, values as float64, smoothed and summarized. The fetch worker
// does this, off the main thread.

import { smooth } from "../../charts/smoothing";
import { isSorted, type Summary } from "../../charts/stats";

/** One run's points of one tag, in step order. Steps and values are exact; wall times
 * are `wallStart + wallOffset[i]`, exact to float32 precision of the offsets. */
export interface ScalarSeries {
  run: string;
  tag: string;
  step: Float64Array;
  wallStart: number;
  wallOffset: Float32Array;
  value: Float64Array;
  valueSummary: Summary;
  /** The values smoothed, with the last weight asked for. */
  smoothed: Smoothed;
}

export interface Smoothed {
  weight: number;
  values: Float64Array;
  summary: Summary;
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

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** The series in `buffer`, smoothed with `weight`. Runs logged alike share one steps
 * array. */
export function readColumns(buffer: ArrayBuffer, tag: string, weight: number): ScalarSeries[] {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength))) as { series: SeriesHeader[] };
  let offset = pad8(4 + headerLength);
  const take = <T extends ArrayBufferView>(make: (offset: number) => T): T => {
    const view = make(offset);
    offset += pad8(view.byteLength);
    return view;
  };
  const evenSteps = new Map<string, Float64Array>();
  return header.series.map((s) => {
    let step: Float64Array;
    if (s.step === "range") {
      const key = `${s.step_start} ${s.step_stride} ${s.n}`;
      step = evenSteps.get(key) ?? rangeOf(s.step_start ?? 0, s.step_stride ?? 0, s.n);
      evenSteps.set(key, step);
    } else if (s.step === "i4") step = new Float64Array(take((at) => new Int32Array(buffer, at, s.n)));
    else step = take((at) => new Float64Array(buffer, at, s.n));
    let wallOffset = take((at) => new Float32Array(buffer, at, s.n));
    let value = new Float64Array(take((at) => (s.value === "f4" ? new Float32Array(buffer, at, s.n) : new Float64Array(buffer, at, s.n))));
    if (!isSorted(step)) {
      const order = Array.from(step.keys()).sort((a, b) => step[a] - step[b]);
      const [steps, offsets, values] = [step, wallOffset, value];
      step = Float64Array.from(order, (i) => steps[i]);
      wallOffset = Float32Array.from(order, (i) => offsets[i]);
      value = Float64Array.from(order, (i) => values[i]);
    }
    const { smoothed, valueSummary, smoothedSummary } = smooth(value, weight);
    return { run: s.run, tag, step, wallStart: s.wall_start, wallOffset, value, valueSummary, smoothed: { weight, values: smoothed, summary: smoothedSummary } };
  });
}

function rangeOf(start: number, stride: number, n: number): Float64Array {
  const steps = new Float64Array(n);
  for (let i = 0; i < n; i++) steps[i] = start + stride * i;
  return steps;
}

/** The buffers behind the series' arrays, to transfer them. */
export function buffersOf(series: ScalarSeries[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of series) for (const array of [s.step, s.wallOffset, s.value, s.smoothed.values]) buffers.add(array.buffer as ArrayBuffer);
  return [...buffers];
}
