// The Distributions dashboard: per tag and run, bands between the 9 basis points of each
// step's histogram (min, ±1.5σ, ±1σ, ±0.5σ, max) around the median.

import { getJson } from "../../api";
import { withAlpha } from "../../charts/color";
import { formatStep, formatValue, INTEGER_INCREMENTS, stepTickLabels, tickLabels } from "../../charts/format";
import { mountPlot, themedAxis, uPlot } from "../../charts/plot";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { cardHeader, RunTagView, type Card } from "../common/runtagview";

type Row = [number, number, Array<[number, number | string]>];
const BAND_ALPHAS = [0.12, 0.22, 0.32, 0.45];
const BASIS_LABELS = ["min", "-1.5σ", "-1σ", "-0.5σ", "median", "+0.5σ", "+1σ", "+1.5σ", "max"];

class DistributionCard implements Card {
  readonly element: HTMLElement;
  private readonly plotBox = el("div", { class: "plot" });
  private readonly readout = el("div", { class: "card-readout" });
  private plot: uPlot | null = null;
  bands = 0;

  constructor(
    readonly tag: string,
    readonly run: string,
  ) {
    this.element = el("article", { class: "card distribution-card", "data-tag": tag, "data-run": run }, cardHeader(tag, run, runColor(run)), this.plotBox, this.readout);
  }

  async load(): Promise<void> {
    const rows = await getJson<Row[]>("/data/plugin/distributions/distributions", { run: this.run, tag: this.tag });
    const steps = rows.map((row) => row[1]);
    const columns = BASIS_LABELS.map((_, i) => rows.map((row) => toNumber(row[2][i]?.[1])));
    this.draw([steps, ...columns]);
  }

  private draw(data: Array<Array<number | null>>): void {
    this.plot?.destroy();
    const color = runColor(this.run);
    const series: uPlot.Series[] = [
      {},
      ...BASIS_LABELS.map((label, i): uPlot.Series => ({
        label,
        stroke: i === 4 ? color : withAlpha(color, 0.35),
        width: i === 4 ? 1.5 : i === 0 || i === 8 ? 0.5 : 0,
        points: { show: data[0].length < 2 },
      })),
    ];
    // Bands from the outermost pair (min, max) inwards; series indices are 1-based.
    const bands: uPlot.Band[] = BAND_ALPHAS.map((alpha, i) => ({ series: [9 - i, 1 + i] as [number, number], fill: withAlpha(color, alpha) }));
    this.bands = bands.length;
    this.plot = mountPlot(
      {
        series,
        bands,
        legend: { show: false },
        padding: [8, 12, 0, 0],
        scales: { x: { time: false } },
        axes: [themedAxis({ values: stepTickLabels, incrs: INTEGER_INCREMENTS, size: 30 }), themedAxis({ values: tickLabels, size: 56 })],
        cursor: { points: { show: false } },
        hooks: { setCursor: [(u) => this.hover(u)], draw: [(u) => (this.element.dataset.series = String(u.series.length - 1))] },
      },
      data as uPlot.AlignedData,
      this.plotBox,
    );
  }

  private hover(u: uPlot): void {
    const index = u.cursor.idx;
    if (index === null || index === undefined) {
      this.readout.textContent = "";
      return;
    }
    const values = BASIS_LABELS.map((label, i) => `${label} ${formatValue(u.data[i + 1][index])}`);
    this.readout.textContent = `step ${formatStep(u.data[0][index])} · ${values[0]} · ${values[4]} · ${values[8]}`;
  }

  destroy(): void {
    this.plot?.destroy();
    this.element.remove();
  }
}

function toNumber(value: number | string | undefined): number | null {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? null : n;
}

export const distributionsDashboard: Dashboard = {
  id: "distributions",
  title: "Distributions",
  plugins: ["histograms"],
  mount(root: HTMLElement, context: DashboardContext) {
    const view = new RunTagView(root, context, {
      id: "distributions",
      plugin: "histograms",
      noun: "histograms",
      createCard: (tag, run) => new DistributionCard(tag, run),
    });
    registerDebug("distributions", () =>
      view.cards().map((card) => {
        const d = card as DistributionCard;
        return { tag: d.tag, run: d.run, bands: d.bands, series: Number(d.element.dataset.series ?? 0) };
      }),
    );
  },
};
