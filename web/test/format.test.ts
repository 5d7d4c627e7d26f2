// Axis tick labels: one format per axis, and whole-number ticks for steps.

import { describe, expect, it } from "vitest";
import { formatTicks, INTEGER_INCREMENTS, stepTickLabels } from "../src/charts/format";

const formatOf = (label: string) => [label.includes("e"), (label.split("e")[0].split(".")[1] ?? "").length];

describe("tick labels", () => {
  it("write every tick of an axis in one format", () => {
    const labels = formatTicks([0.00095, 0.001, 0.00105], 0.00005);
    expect(labels).toEqual(["0.00095", "0.00100", "0.00105"]);
    expect(new Set(labels.map((l) => JSON.stringify(formatOf(l)))).size).toBe(1);
  });

  it("go exponential together for very small or large values", () => {
    expect(formatTicks([0.0002, 0.0004, 0.0006], 0.0002)).toEqual(["2e-4", "4e-4", "6e-4"]);
    expect(formatTicks([0.00025, 0.0005, 0.00075], 0.00025)).toEqual(["2.5e-4", "5.0e-4", "7.5e-4"]);
    expect(formatTicks([1e6, 1.5e6, 2e6], 5e5)).toEqual(["1.0e+6", "1.5e+6", "2.0e+6"]);
  });

  it("take the decimals the spacing needs, without rounding noise", () => {
    expect(formatTicks([0, 0.25, 0.5, 0.75], 0.25)).toEqual(["0.00", "0.25", "0.50", "0.75"]);
    expect(formatTicks([-0.1 + 0.1, 0.1, 0.2], 0.1)).toEqual(["0.0", "0.1", "0.2"]);
    expect(formatTicks([0.30000000000000004, 0.4], 0.1)).toEqual(["0.3", "0.4"]);
    expect(formatTicks([-1e-17, 0.5], 0.5)).toEqual(["0.0", "0.5"]);
  });

  it("give steps whole numbers, thousands as k", () => {
    expect(INTEGER_INCREMENTS.every(Number.isInteger)).toBe(true);
    expect(INTEGER_INCREMENTS.slice(0, 4)).toEqual([1, 2, 5, 10]);
    expect(stepTickLabels(null, [0, 1, 2, 3], 0, 0, 1)).toEqual(["0", "1", "2", "3"]);
    expect(stepTickLabels(null, [10000, 12500, 15000], 0, 0, 2500)).toEqual(["10.0k", "12.5k", "15.0k"]);
    expect(stepTickLabels(null, [2e6, 4e6], 0, 0, 2e6)).toEqual(["2M", "4M"]);
  });
});
