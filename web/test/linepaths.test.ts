// The line paths' reduction of long series: M4 (each pixel column's first, lowest,
// highest and last point) for sparse lines, a band of each column's span for dense ones.
// uPlot and the canvas are stood in for: a path records its vertices.

import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("uplot", () => ({ default: { pxRatio: 1 } }));

class RecordingPath {
  points: Array<[number, number]> = [];
  lineTo(x: number, y: number): void {
    this.points.push([x, y]);
  }
  closePath(): void {}
}

beforeAll(() => {
  (globalThis as unknown as { Path2D: typeof RecordingPath }).Path2D = RecordingPath;
});

/** A chart 10 pixels wide and 100 high (x in [0, 10], y in [0, 10] linear) drawing `xs`, `ys`. */
function chart(xs: number[], ys: number[]) {
  return {
    data: [null, [Float64Array.from(xs), Float64Array.from(ys)]],
    scales: { x: { min: 0, max: 10 }, y: { min: 0, max: 10, distr: 1 } },
    bbox: { left: 0, top: 0, width: 10, height: 100 },
    series: [{}, { width: 1 }],
  };
}

async function paths(xs: number[], ys: number[]) {
  const { linePaths } = await import("../src/charts/linepaths");
  const u = chart(xs, ys);
  return linePaths(u as never, 1, 0, xs.length - 1) as unknown as { stroke: RecordingPath | null; fill: RecordingPath | null };
}

const pixelY = (y: number) => 100 - y * 10;

describe("line paths", () => {
  it("strokes each pixel column through its first, lowest, highest and last point", async () => {
    // Five points in the column of x = 0, then one at x = 5 and one at x = 9.
    const { stroke, fill } = await paths([0, 0.1, 0.2, 0.3, 0.4, 5, 9], [3, 9, 1, 7, 5, 2, 4]);
    expect(fill).toBeNull();
    expect(stroke!.points).toEqual([
      [0, pixelY(3)], // first
      [0, pixelY(9)], // highest (it comes before the lowest)
      [0, pixelY(1)], // lowest
      [0, pixelY(5)], // last
      [5, pixelY(2)],
      [9, pixelY(4)],
    ]);
  });

  it("skips gaps and repeated vertices", async () => {
    const { stroke } = await paths([1, 1.1, 1.2, 6], [NaN, 4, 4, NaN]);
    expect(stroke!.points).toEqual([[1, pixelY(4)]]);
  });

  it("fills dense lines as the band of each column's span", async () => {
    // 40 points over 10 columns: 4 a column, alternating 2 and 6.
    const xs = Array.from({ length: 40 }, (_, i) => i / 4);
    const ys = xs.map((_, i) => (i % 2 ? 6 : 2));
    const { stroke, fill } = await paths(xs, ys);
    expect(stroke).toBeNull();
    const columns = new Set(fill!.points.map(([x]) => x));
    expect(fill!.points.length).toBe(2 * columns.size); // the top edge, then the bottom
    const tops = fill!.points.slice(0, columns.size).map(([, y]) => y);
    const bottoms = fill!.points.slice(columns.size).map(([, y]) => y);
    // The pen (half a pixel) widens the span [2, 6] (pixels 40 to 80) by its radius.
    expect(Math.min(...tops)).toBeCloseTo(pixelY(6) - 0.5, 9);
    expect(Math.max(...bottoms)).toBeCloseTo(pixelY(2) + 0.5, 9);
  });
});
