// One scalar card's chart: every run as a raw line (faint) and a smoothed line, in
// uPlot's faceted mode so each run keeps its own x values (steps or times).

import { linePaths } from "../../charts/linepaths";
import { mountPlot, themedAxis, uPlot } from "../../charts/plot";
import { formatDuration, INTEGER_INCREMENTS, stepTickLabels, tickLabels } from "../../charts/format";
import { extent, isSorted, lowerBound, nearestIndex, quantileInPlace, upperBound, type Numbers, type Summary } from "../../charts/stats";
import { runColor } from "../../colors";
import type { ScalarSettings } from "./settings";
import { smooth } from "../../charts/smoothing";
import type { ScalarSeries } from "./columns";

/** One run as drawn: points in step order, x for the current axis, raw and smoothed y. */
export interface Line {
  run: string;
  color: string;
  /** Where its wall times are, once fetched. */
  series: ScalarSeries;
  step: Float64Array;
  x: Float64Array;
  xSorted: boolean;
  raw: Float64Array;
  rawSummary: Summary;
  smoothed: Float64Array;
  smoothedSummary: Summary;
}

export interface HoverRow {
  line: Line;
  index: number;
}

/** What is under the cursor: a row per run, the cursor's position in the plot and its y value. */
export interface Hover {
  rows: HoverRow[];
  left: number;
  top: number;
  value: number;
}

const MAX_OUTLIER_SAMPLE = 200_000;

export class ScalarChart {
  private plot: uPlot | null = null;
  private signature = "";
  private lines: Line[] = [];
  private zoom: [number, number] | null = null;
  private xFull: [number, number] = [0, 1];
  private y: [number, number] = [0, 1];
  private settings: ScalarSettings | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly onHover: (hover: Hover | null) => void,
    private readonly onDraw: () => void,
  ) {}

  /** Draws `series` with `settings`, keeping the zoom unless the axes changed. */
  update(series: ScalarSeries[], settings: ScalarSettings): void {
    this.settings = settings;
    this.lines = series.map((s) => toLine(s, settings));
    const smoothing = settings.smoothing > 0;
    const signature = JSON.stringify([this.lines.map((l) => [l.run, l.raw.length < 2]), settings.xAxis, settings.logY, smoothing]);
    const data = this.plotData();
    this.xFull = padRange(xExtent(this.lines));
    if (this.plot && signature === this.signature) {
      this.y = yRange(this.lines, ...(this.zoom ?? [-Infinity, Infinity]), settings);
      const plot = this.plot;
      const [x0, x1] = this.zoom ?? this.xFull;
      plot.batch(() => {
        plot.setData(data, false);
        plot.setScale("x", { min: x0, max: x1 });
        plot.setScale("y", { min: this.y[0], max: this.y[1] });
      });
      return;
    }
    this.plot?.destroy();
    this.signature = signature;
    this.zoom = null;
    this.y = yRange(this.lines, -Infinity, Infinity, settings);
    this.plot = mountPlot(this.options(settings), data, this.container);
  }

  /** Shows x in [min, max] with y fitted to the points there; null shows everything. */
  zoomTo(range: [number, number] | null): void {
    const plot = this.plot;
    if (!plot || !this.settings) return;
    this.zoom = range;
    const [x0, x1] = range ?? this.xFull;
    this.y = yRange(this.lines, ...(range ?? [-Infinity, Infinity]), this.settings);
    plot.batch(() => {
      plot.setScale("x", { min: x0, max: x1 });
      plot.setScale("y", { min: this.y[0], max: this.y[1] });
    });
  }

  resetZoom(): void {
    this.zoomTo(null);
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
    this.signature = "";
  }

  get drawnLines(): readonly Line[] {
    return this.lines;
  }

  /** The shown x and y ranges. */
  get ranges(): { x: [number, number]; y: [number, number] } {
    return { x: this.zoom ?? this.xFull, y: this.y };
  }

  get seriesCount(): number {
    return this.plot ? this.plot.series.length - 1 : 0;
  }

  private plotData(): uPlot.AlignedData {
    const log = this.settings!.logY;
    const smoothing = this.settings!.smoothing > 0;
    const data: unknown[] = [null];
    for (const line of this.lines) {
      data.push([line.x, plottable(line.raw, line.rawSummary, log)]);
      if (smoothing) data.push([line.x, plottable(line.smoothed, line.smoothedSummary, log)]);
    }
    return data as uPlot.AlignedData;
  }

  private options(settings: ScalarSettings): Omit<uPlot.Options, "width" | "height"> {
    const smoothing = settings.smoothing > 0;
    const series: uPlot.Series[] = [{}];
    for (const line of this.lines) {
      const lone = line.raw.length < 2; // a single point has no line: draw it as a dot
      const base = {
        label: line.run,
        stroke: line.color,
        facets: [{ scale: "x", auto: false }, { scale: "y", auto: false }],
        fill: line.color, // wide lines over many points are drawn as filled bands
        spanGaps: true,
        paths: linePaths,
        points: { show: lone, size: 6, fill: line.color, paths: allPoints },
      };
      series.push({ ...base, width: 1, alpha: smoothing ? 0.25 : 1 } as uPlot.Series);
      if (smoothing) series.push({ ...base, width: 1.6 } as uPlot.Series);
    }
    const primary = (seriesIndex: number) => !smoothing || seriesIndex % 2 === 0;
    const fixed = (current: () => [number, number]) => (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax =>
      min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max) ? current() : [min, max];
    return {
      mode: 2,
      series,
      legend: { show: false },
      padding: [8, 12, 0, 0],
      scales: {
        x: { time: settings.xAxis === "wall", auto: false, range: fixed(() => this.zoom ?? this.xFull) },
        y: { auto: false, distr: settings.logY ? 3 : 1, log: 10, range: fixed(() => this.y) },
      },
      axes: [xAxis(settings.xAxis), themedAxis({ values: tickLabels, size: yAxisSize })],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { size: 7, width: 1.5 },
        bind: { dblclick: () => () => (this.resetZoom(), null) },
        dataIdx: (u, seriesIndex) => {
          if (!primary(seriesIndex) || u.cursor.left === undefined || u.cursor.left < 0) return null as unknown as number;
          const line = this.lines[smoothing ? (seriesIndex - 2) / 2 : seriesIndex - 1];
          return hoverIndex(line, u.posToVal(u.cursor.left, "x"));
        },
      },
      hooks: {
        setSelect: [(u) => this.zoomToSelection(u)],
        setCursor: [(u) => this.hover(u)],
        draw: [() => this.onDraw()],
      },
    };
  }

  private zoomToSelection(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 3) return;
    const range: [number, number] = [u.posToVal(left, "x"), u.posToVal(left + width, "x")];
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoomTo(range);
  }

  private hover(u: uPlot): void {
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (left < 0 || top < 0 || !this.lines.length) {
      this.onHover(null);
      return;
    }
    const x = u.posToVal(left, "x");
    const rows = this.lines
      .map((line) => ({ line, index: hoverIndex(line, x) }))
      .filter((row) => row.index >= 0);
    this.onHover({ rows, left: left + u.over.offsetLeft, top: top + u.over.offsetTop, value: u.posToVal(top, "y") });
  }
}

/** A run's line; the series come in step order, in float64 (the path builder then
 * reads one array type), usually smoothed already. */
function toLine(series: ScalarSeries, settings: ScalarSettings): Line {
  const { step, wall } = series;
  let x = step;
  if (settings.xAxis !== "step") {
    if (!wall) throw new Error("wall times are needed for this x axis");
    const shift = settings.xAxis === "wall" ? wall.start : -wall.offset[0];
    x = new Float64Array(wall.offset.length);
    for (let i = 0; i < x.length; i++) x[i] = wall.offset[i] + shift;
  }
  if (series.smoothed.weight !== settings.smoothing) {
    const { smoothed, smoothedSummary } = smooth(series.value, settings.smoothing);
    series.smoothed = { weight: settings.smoothing, values: smoothed, summary: smoothedSummary };
  }
  return {
    run: series.run,
    color: runColor(series.run),
    series,
    step,
    x,
    xSorted: x === step || isSorted(x),
    raw: series.value,
    rawSummary: series.valueSummary,
    smoothed: series.smoothed.values,
    smoothedSummary: series.smoothed.summary,
  };
}

/** `values` as uPlot draws them: gaps (NaN) for non-finite values, and for non-positive ones on a log axis. */
function plottable(values: Float64Array, { finite, positive }: Summary, log: boolean): Float64Array {
  if (finite && (!log || positive)) return values;
  return values.map((v) => (Number.isFinite(v) && (!log || v > 0) ? v : NaN));
}

/** Dots for every point (uPlot's default picks indices for aligned data only). */
const dots = uPlot.paths.points!();
const allPoints: uPlot.Series.PathBuilder = (u, seriesIndex) =>
  dots(u, seriesIndex, 0, (u.data[seriesIndex] as unknown as [Numbers])[0].length - 1);

function hoverIndex(line: Line, x: number): number {
  if (line.xSorted) return nearestIndex(line.x, x);
  let best = -1;
  for (let i = 0; i < line.x.length; i++) if (best < 0 || Math.abs(line.x[i] - x) < Math.abs(line.x[best] - x)) best = i;
  return best;
}

function visibleBounds(line: Line, min: number, max: number): [number, number] {
  return line.xSorted ? [lowerBound(line.x, min), upperBound(line.x, max)] : [0, line.x.length];
}

function yRange(lines: Line[], min: number, max: number, settings: ScalarSettings): [number, number] {
  const log = settings.logY;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  const bounds = lines.map((line) => visibleBounds(line, min, max));
  const keep = (v: number) => Number.isFinite(v) && (!log || v > 0);
  if (settings.ignoreOutliers) {
    bounds.forEach(([a, b]) => (count += b - a));
    const stride = Math.max(1, Math.ceil(count / MAX_OUTLIER_SAMPLE));
    const sample: number[] = [];
    lines.forEach((line, i) => {
      for (let j = bounds[i][0]; j < bounds[i][1]; j += stride) if (keep(line.raw[j])) sample.push(line.raw[j]);
    });
    if (sample.length) {
      const values = Float64Array.from(sample);
      lo = quantileInPlace(values, 0.05);
      hi = quantileInPlace(values, 0.95);
    }
  } else {
    lines.forEach((line, i) => {
      const all = bounds[i][0] === 0 && bounds[i][1] === line.x.length;
      const series: Array<[Float64Array, Summary]> = [[line.raw, line.rawSummary], [line.smoothed, line.smoothedSummary]];
      for (const [values, { range }] of series) {
        let found: [number, number] | null;
        if (log) found = positiveExtent(values, bounds[i][0], bounds[i][1]);
        else found = all ? range : extent(values, bounds[i][0], bounds[i][1]);
        if (found) {
          lo = Math.min(lo, found[0]);
          hi = Math.max(hi, found[1]);
        }
      }
    });
  }
  if (!(lo <= hi)) return log ? [0.1, 10] : [0, 1];
  if (log) {
    const pad = Math.pow(hi / lo, 0.05) || 1;
    return lo === hi ? [lo / 2, hi * 2] : [lo / pad, hi * pad];
  }
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

function positiveExtent(values: Numbers, from: number, to: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v > 0 && v < Infinity) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

function xExtent(lines: Line[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of lines) {
    const found = line.xSorted ? (line.x.length ? [line.x[0], line.x[line.x.length - 1]] : null) : extent(line.x);
    if (found) {
      lo = Math.min(lo, found[0]);
      hi = Math.max(hi, found[1]);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

function padRange(range: [number, number] | null): [number, number] {
  if (!range) return [0, 1];
  const [min, max] = range;
  return min === max ? [min - 1, max + 1] : [min, max];
}

/** Steps get whole-number ticks; relative time reads as durations; wall time as uPlot's dates. */
function xAxis(axis: ScalarSettings["xAxis"]): uPlot.Axis {
  if (axis === "step") return themedAxis({ values: stepTickLabels, incrs: INTEGER_INCREMENTS, size: 32 });
  if (axis === "relative") return themedAxis({ values: (_u, splits) => splits.map((s) => formatDuration(s)), size: 32 });
  return themedAxis({ size: 32 });
}

function yAxisSize(u: uPlot, values: string[] | null): number {
  const longest = Math.max(3, ...(values ?? []).map((v) => v.length));
  return Math.ceil(longest * 6.4) + 16 + (u.axes[1].gap ?? 0);
}
