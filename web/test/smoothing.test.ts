// The debiased EMA against TensorBoard's formula, computed in Python by
// smoothing_reference.py (which writes smoothing_reference.json).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { smooth } from "../src/charts/smoothing";

interface Case {
  name: string;
  values: Array<number | string>;
  smoothed: Record<string, Array<number | string>>;
}

const cases = JSON.parse(readFileSync(new URL("./smoothing_reference.json", import.meta.url), "utf8")) as Case[];
const numbers = (values: Array<number | string>) => Float64Array.from(values, Number);

/** Equal up to rounding (relative 1e-12), NaN to NaN, infinities exactly. */
function expectClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (!Number.isFinite(e)) expect(a, `point ${i}`).toBe(e);
    else expect(Math.abs(a - e), `point ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
  }
}

describe("smooth", () => {
  for (const { name, values, smoothed } of cases) {
    for (const [weight, expected] of Object.entries(smoothed)) {
      it(`matches TensorBoard on ${name}, weight ${weight}`, () => {
        expectClose(smooth(numbers(values), Number(weight)).smoothed, numbers(expected));
      });
    }
  }

  it("debiases from the first point (hand-computed)", () => {
    // EMA 0.5, 1.25, 2.125 divided by 1 - 0.5^n: 1, 5/3, 17/7.
    expectClose(smooth(Float64Array.of(1, 2, 3), 0.5).smoothed, Float64Array.of(1, 5 / 3, 17 / 7));
  });

  it("summarizes the values and the smoothed values", () => {
    const { valueSummary, smoothedSummary } = smooth(Float64Array.of(4, NaN, 2, 6), 0.5);
    expect(valueSummary).toEqual({ finite: false, positive: true, range: [2, 6] });
    // EMAs 2, 2, 4 over 1 - 0.5^n (NaN does not count): 4, 8/3, 32/7.
    expect(smoothedSummary.finite).toBe(false);
    expect(smoothedSummary.range![0]).toBeCloseTo(8 / 3, 12);
    expect(smoothedSummary.range![1]).toBeCloseTo(32 / 7, 12);
  });
});
