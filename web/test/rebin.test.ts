// Histogram rebinning onto uniform bins, on hand-computed cases.

import { describe, expect, it } from "vitest";
import { rebin, type HistogramStep } from "../src/dashboards/histograms/rebin";

const step = (n: number, buckets: Array<[number, number, number]>): HistogramStep => ({ step: n, wallTime: 0, buckets });

describe("rebin", () => {
  it("spreads a bucket over the bins it overlaps, in proportion", () => {
    // Range [0, 3] in 3 bins of width 1: [0,1) holds 10; [1,3) spreads 20 as 10 + 10.
    const out = rebin([step(5, [[0, 1, 10], [1, 3, 20]])], 3);
    expect(out.steps).toEqual([5]);
    expect(out.centers).toEqual([0.5, 1.5, 2.5]);
    expect(out.counts).toEqual([[10, 10, 10]]);
    expect(out.maxCount).toBe(10);
  });

  it("keeps every step's total and shares the bins across steps", () => {
    const out = rebin([step(0, [[0, 2, 8]]), step(1, [[1, 4, 6], [4, 4, 1]])], 4);
    // Range [0, 4], bins of width 1.
    expect(out.centers).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(out.counts[0]).toEqual([4, 4, 0, 0]);
    // 6 over [1, 4) is 2 a bin; the zero-width bucket at 4 goes to the last bin.
    expect(out.counts[1]).toEqual([0, 2, 2, 3]);
    expect(out.counts.map((c) => c.reduce((a, b) => a + b))).toEqual([8, 7]);
    expect(out.maxCount).toBe(4);
  });

  it("splits a bucket unevenly where its edges fall inside bins", () => {
    // Range [0, 4] in 2 bins of width 2; [1, 4) holds 9: a third in the first bin.
    const out = rebin([step(0, [[0, 1, 0], [1, 4, 9]]), step(1, [[0, 4, 4]])], 2);
    expect(out.counts[0][0]).toBeCloseTo(3, 12);
    expect(out.counts[0][1]).toBeCloseTo(6, 12);
  });

  it("widens a single value to a unit range", () => {
    const out = rebin([step(0, [[5, 5, 3]])], 2);
    expect(out.centers).toEqual([4.75, 5.25]);
    expect(out.counts).toEqual([[0, 3]]);
  });

  it("ignores empty buckets and gives no bins without counts", () => {
    const out = rebin([step(0, [[0, 1, 0]]), step(1, [])], 4);
    expect(out).toEqual({ steps: [0, 1], centers: [], counts: [[], []], maxCount: 0 });
    // Empty buckets do not stretch the range.
    expect(rebin([step(0, [[-100, 0, 0], [0, 2, 2]])], 2).centers).toEqual([0.5, 1.5]);
  });
});
