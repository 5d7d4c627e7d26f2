// The Histograms dashboard: per tag and run, every step's histogram, either offset
// (stacked by step, oldest at the back) or overlaid.

import { getJson } from "../../api";
import { mix, withAlpha } from "../../charts/color";
import { formatStep, formatValue, tickLabels } from "../../charts/format";
import { mountPlot, themedAxis, uPlot } from "../../charts/plot";
import { cssVar, onThemeChange } from "../../charts/theme";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { onNavigate, readState, updateState } from "../../state";
import { select } from "../common/controls";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { cardHeader, RunTagView, type Card } from "../common/runtagview";
import { rebin, type HistogramStep, type Rebinned } from "./rebin";

type Mode = "offset" | "overlay";
type Row = [number, number, Array<[number | string, number | string, number | string]>];

/** The histogram rows of a run and tag, without non-finite edges. */
async function fetchHistograms(run: string, tag: string): Promise<HistogramStep[]> {
  const rows = await getJson<Row[]>("/data/plugin/histograms/histograms", { run, tag });
  return rows.map(([wallTime, step, buckets]) => ({
    step,
    wallTime,
    buckets: buckets.map((b) => b.map(Number) as [number, number, number]).filter((b) => b.every(Number.isFinite)),
  }));
}

class HistogramCard implements Card {
  readonly element: HTMLElement;
  private readonly plotBox = el("div", { class: "plot" });
  private readonly readout = el("div", { class: "card-readout" });
  private plot: uPlot | null = null;
  private data: Rebinned | null = null;
  private readonly stopTheme: () => void;

  constructor(
    readonly tag: string,
    readonly run: string,
    private readonly mode: () => Mode,
  ) {
    this.element = el("article", { class: "card histogram-card", "data-tag": tag, "data-run": run }, cardHeader(tag, run, runColor(run)), this.plotBox, this.readout);
    this.stopTheme = onThemeChange(() => this.draw());
  }

  async load(): Promise<void> {
    this.data = rebin(await fetchHistograms(this.run, this.tag));
    this.draw();
  }

  draw(): void {
    this.plot?.destroy();
    this.plot = null;
    const data = this.data;
    if (!data || !data.centers.length) {
      this.plotBox.replaceChildren(el("p", { class: "empty-message" }, "No data"));
      return;
    }
    this.plotBox.replaceChildren();
    const offset = this.mode() === "offset";
    const color = runColor(this.run);
    const n = data.steps.length;
    const first = data.steps[0];
    const last = data.steps[n - 1];
    const spacing = n > 1 ? (last - first) / (n - 1) : 1;
    const height = offset ? (spacing * Math.min(6, Math.max(2, n / 4))) / (data.maxCount || 1) : 1;
    const series: uPlot.Series[] = [{}];
    const plotData: unknown[] = [null];
    data.steps.forEach((step, i) => {
      const age = n > 1 ? i / (n - 1) : 1; // 0 oldest, 1 newest
      const ys = data.counts[i].map((c) => (offset ? step - c * height : c));
      plotData.push([data.centers, ys]);
      series.push({
        label: String(step),
        facets: [{ scale: "x", auto: true }, { scale: "y", auto: true }],
        stroke: offset ? mix(cssVar("--card"), color, 0.35 + 0.65 * age) : withAlpha(color, 0.12 + 0.88 * age),
        width: 1,
        fill: offset ? mix(cssVar("--card"), color, 0.08 + 0.22 * age) : undefined,
        fillTo: offset ? () => step : undefined,
        points: { show: false },
        paths: linear,
      } as uPlot.Series);
    });
    const yRange: uPlot.Range.MinMax = offset ? [first - spacing * 0.5 - (data.maxCount * height || 1), last + spacing * 0.5] : [0, data.maxCount * 1.05 || 1];
    this.plot = mountPlot(
      {
        mode: 2,
        series,
        legend: { show: false },
        padding: [8, 12, 0, 0],
        scales: {
          x: { time: false, auto: true },
          y: { auto: false, dir: offset ? -1 : 1, range: () => yRange },
        },
        axes: [
          themedAxis({ values: tickLabels, size: 30 }),
          offset
            ? themedAxis({ splits: (u) => stepTicks(data.steps, u.bbox.height / devicePixelRatio), values: (_u, splits) => splits.map(formatStep), size: 56, label: "step", labelSize: 14 })
            : themedAxis({ values: tickLabels, size: 56, label: "count", labelSize: 14 }),
        ],
        cursor: { drag: { x: true, y: false }, points: { show: false } },
        hooks: { setCursor: [(u) => this.hover(u)], draw: [() => (this.element.dataset.series = String(series.length - 1))] },
      },
      plotData as uPlot.AlignedData,
      this.plotBox,
    );
  }

  private hover(u: uPlot): void {
    const data = this.data;
    const { left, top } = u.cursor;
    if (!data || left === undefined || top === undefined || left < 0) {
      this.readout.textContent = "";
      return;
    }
    const x = u.posToVal(left, "x");
    const bin = data.centers.reduce((best, c, i) => (Math.abs(c - x) < Math.abs(data.centers[best] - x) ? i : best), 0);
    let index = data.steps.length - 1;
    if (this.mode() === "offset") {
      const y = u.posToVal(top, "y");
      index = data.steps.reduce((best, s, i) => (s >= y && (best < 0 || s < data.steps[best]) ? i : best), -1);
      if (index < 0) index = data.steps.length - 1;
    }
    this.readout.textContent = `step ${formatStep(data.steps[index])} · value ≈ ${formatValue(data.centers[bin])} · count ${formatValue(data.counts[index][bin])}`;
  }

  destroy(): void {
    this.stopTheme();
    this.plot?.destroy();
    this.element.remove();
  }
}

const linear = uPlot.paths.linear!();
const STEP_LABEL_PX = 28;

/** The offset view's step ticks: steps that exist, thinned to fit `height` pixels,
 * the newest always kept. */
function stepTicks(steps: number[], height: number): number[] {
  const every = Math.max(1, Math.ceil(steps.length / Math.max(1, Math.floor(height / STEP_LABEL_PX))));
  return steps.filter((_, i) => (steps.length - 1 - i) % every === 0);
}

export const histogramsDashboard: Dashboard = {
  id: "histograms",
  title: "Histograms",
  plugins: ["histograms"],
  mount(root: HTMLElement, context: DashboardContext) {
    const modeOf = (state: URLSearchParams): Mode => (state.get("hmode") === "overlay" ? "overlay" : "offset");
    let mode = modeOf(readState());
    const show = (next: Mode) => {
      mode = next;
      for (const card of view.cards()) (card as HistogramCard).draw();
    };
    const modeControl = select<Mode>("Mode", [["offset", "Offset"], ["overlay", "Overlay"]], mode, (next) => {
      updateState({ hmode: next === "offset" ? null : next });
      show(next);
    });
    onNavigate((state) => {
      if (modeOf(state) === mode) return;
      modeControl.querySelector("select")!.value = modeOf(state);
      show(modeOf(state));
    });
    const view = new RunTagView(root, context, {
      id: "histograms",
      plugin: "histograms",
      noun: "histograms",
      controls: [modeControl],
      createCard: (tag, run) => new HistogramCard(tag, run, () => mode),
    });
    registerDebug("histograms", () =>
      view.cards().map((card) => {
        const h = card as HistogramCard;
        return { tag: h.tag, run: h.run, mode, series: Number(h.element.dataset.series ?? 0) };
      }),
    );
  },
};
