// Reading `/api/scalars/columns` bodies, built here byte by byte as docs/http-api.md
// lays them out.

import { describe, expect, it } from "vitest";
import { readBody } from "../src/dashboards/scalars/columns";

type Column = { kind: "i4" | "f4" | "f8"; values: number[] };

/** A body: uint32 header length, the JSON header, zero bytes to a multiple of 8, then
 * each column padded to 8 bytes; little-endian. */
function body(header: object, columns: Column[]): ArrayBuffer {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (n: number) => Math.ceil(n / 8) * 8;
  const size = (c: Column) => c.values.length * (c.kind === "f8" ? 8 : 4);
  let length = pad(4 + json.length);
  for (const c of columns) length += pad(size(c));
  const buffer = new ArrayBuffer(length);
  const view = new DataView(buffer);
  view.setUint32(0, json.length, true);
  new Uint8Array(buffer, 4).set(json);
  let at = pad(4 + json.length);
  for (const c of columns) {
    c.values.forEach((v, i) => {
      if (c.kind === "i4") view.setInt32(at + 4 * i, v, true);
      else if (c.kind === "f4") view.setFloat32(at + 4 * i, v, true);
      else view.setFloat64(at + 8 * i, v, true);
    });
    at += pad(size(c));
  }
  return buffer;
}

describe("readBody", () => {
  it("reads range, int32 and float64 steps, wall times and values", () => {
    const header = {
      tag: "loss",
      columns: ["wall_time", "value"],
      series: [
        { run: "a", n: 3, step: "range", step_start: 10, step_stride: 5, wall_start: 1000, value: "f4" },
        { run: "b", n: 2, step: "i4", wall_start: 2000, value: "f8" },
        { run: "c", n: 1, step: "f8", wall_start: 3000, value: "f4" },
      ],
    };
    const buffer = body(header, [
      { kind: "f4", values: [0, 0.5, 1.5] },
      { kind: "f4", values: [0.25, 0.5, 0.75] },
      { kind: "i4", values: [-7, 2 ** 31 - 1] },
      { kind: "f4", values: [1, 2] },
      { kind: "f8", values: [1 / 3, -0] },
      { kind: "f8", values: [2 ** 40] },
      { kind: "f4", values: [8] },
      { kind: "f4", values: [NaN] },
    ]);
    const { tag, series, wallTimes } = readBody(buffer, 0);
    expect(tag).toBe("loss");
    expect(wallTimes).toBeNull();
    expect(series.map((s) => s.run)).toEqual(["a", "b", "c"]);
    const [a, b, c] = series;
    expect([...a.step]).toEqual([10, 15, 20]);
    expect(a.wall).toEqual({ start: 1000, offset: Float32Array.of(0, 0.5, 1.5) });
    expect([...a.value]).toEqual([0.25, 0.5, 0.75]);
    expect(a.value).toBeInstanceOf(Float64Array);
    expect([...b.step]).toEqual([-7, 2 ** 31 - 1]);
    expect([...b.value]).toEqual([1 / 3, -0]);
    expect([...c.step]).toEqual([2 ** 40]);
    expect(c.value[0]).toBeNaN();
    expect(c.valueSummary.finite).toBe(false);
  });

  it("puts unsorted steps in order, with their wall times and values", () => {
    const header = { tag: "t", columns: ["wall_time", "value"], series: [{ run: "r", n: 3, step: "i4", wall_start: 0, value: "f4" }] };
    const buffer = body(header, [
      { kind: "i4", values: [3, 1, 2] },
      { kind: "f4", values: [30, 10, 20] },
      { kind: "f4", values: [0.75, 0.25, 0.5] },
    ]);
    const [s] = readBody(buffer, 0).series;
    expect([...s.step]).toEqual([1, 2, 3]);
    expect([...s.wall!.offset]).toEqual([10, 20, 30]);
    expect([...s.value]).toEqual([0.25, 0.5, 0.75]);
  });

  it("smooths the values with the weight asked for", () => {
    const header = { tag: "t", columns: ["value"], series: [{ run: "r", n: 3, step: "range", step_start: 0, step_stride: 1, wall_start: 0, value: "f8" }] };
    const [s] = readBody(body(header, [{ kind: "f8", values: [1, 2, 3] }]), 0.5).series;
    expect(s.wall).toBeNull();
    expect(s.smoothed.weight).toBe(0.5);
    expect(s.smoothed.values[2]).toBeCloseTo(17 / 7, 12);
  });

  it("gives the wall times by run when the body has no values", () => {
    const header = {
      tag: "t",
      columns: ["wall_time"],
      series: [
        { run: "r", n: 2, step: "range", step_start: 0, step_stride: 1, wall_start: 5, value: "f4" },
        { run: "q", n: 1, step: "range", step_start: 0, step_stride: 1, wall_start: 9, value: "f4" },
      ],
    };
    const { series, wallTimes } = readBody(body(header, [{ kind: "f4", values: [0, 1] }, { kind: "f4", values: [2] }]), 0);
    expect(series).toEqual([]);
    expect(wallTimes!.get("r")).toEqual({ start: 5, offset: Float32Array.of(0, 1) });
    expect(wallTimes!.get("q")).toEqual({ start: 9, offset: Float32Array.of(2) });
  });
});
