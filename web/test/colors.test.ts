// Run colours: palette colours in name order over every run, stable under filtering.

import { describe, expect, it } from "vitest";
import { assignRunColors, runColor } from "../src/colors";

describe("run colours", () => {
  it("gives runs palette colours in name order, whatever order they come in", () => {
    assignRunColors(["train/b", "eval", "train/a"]);
    expect(runColor("eval")).toBe("#1f77b4");
    expect(runColor("train/a")).toBe("#ff7f0e");
    expect(runColor("train/b")).toBe("#2ca02c");
  });

  it("keeps a run's colour when others are filtered out of view", () => {
    assignRunColors(["a", "b", "c"]);
    const before = runColor("c");
    // Filtering does not reassign: only a change of the logdir's runs does.
    expect(runColor("c")).toBe(before);
    assignRunColors(["a", "b", "c", "d"]);
    expect(runColor("c")).toBe(before);
  });

  it("cycles the 16 colours and falls back to the first for unknown runs", () => {
    const runs = Array.from({ length: 17 }, (_, i) => `run${String(i).padStart(2, "0")}`);
    assignRunColors(runs);
    const colours = runs.map(runColor);
    expect(new Set(colours.slice(0, 16)).size).toBe(16);
    expect(colours[16]).toBe(colours[0]);
    expect(runColor("never seen")).toBe("#1f77b4");
  });
});
