// The PR Curves dashboard: per tag, the precision-recall curve of every selected run at
// a step chosen per run, with a readout of the threshold and counts under the cursor.

import { getJson } from "../../api";
import { formatValue } from "../../charts/format";
import { mountPlot, themedAxis, uPlot } from "../../charts/plot";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { Visibility } from "../common/lazy";
import { StepSlider } from "../common/stepslider";
import { groupSection, groupTags, tagsOf } from "../common/tags";
import "../common/dashboards.css";

interface Curve {
  wall_time: number;
  step: number;
  precision: Array<number | string>;
  recall: Array<number | string>;
  true_positives: number[];
  false_positives: number[];
  true_negatives: number[];
  false_negatives: number[];
  thresholds: number[];
}

interface RunCurves {
  run: string;
  curves: Curve[];
  slider: StepSlider;
}

const linear = uPlot.paths.linear!();

class PrCard {
  readonly element: HTMLElement;
  private readonly plotBox = el("div", { class: "plot" });
  private readonly sliders = el("div", { class: "run-sliders" });
  private readonly readout = el("div", { class: "card-readout" });
  private plot: uPlot | null = null;
  private runs: RunCurves[] = [];
  private key = "";

  constructor(readonly tag: string) {
    this.element = el(
      "article",
      { class: "card pr-card", "data-tag": tag },
      el("header", { class: "card-header" }, el("span", { class: "card-title", title: tag }, tag)),
      this.plotBox,
      this.readout,
      this.sliders,
    );
  }

  async load(runs: Array<{ name: string; version: number }>): Promise<void> {
    const key = JSON.stringify(runs);
    if (key === this.key) return;
    this.key = key;
    const body = await getJson<Record<string, Curve[]>>("/data/plugin/pr_curves/pr_curves", { tag: this.tag, run: runs.map((r) => r.name) });
    const previous = new Map(this.runs.map((r) => [r.run, r.slider]));
    this.runs = runs.map(({ name }) => ({ run: name, curves: body[name] ?? [], slider: previous.get(name) ?? new StepSlider(() => this.draw()) }));
    this.sliders.replaceChildren(
      ...this.runs.map(({ run, slider }) => {
        const swatch = el("span", { class: "swatch" });
        swatch.style.background = runColor(run);
        return el("div", { class: "run-slider" }, el("span", { class: "run-label", title: run }, swatch, run), slider.element);
      }),
    );
    for (const r of this.runs) r.slider.setSteps(r.curves.map((c) => c.step));
    this.draw();
  }

  /** The curve each run shows at its slider's step. */
  shown(): Array<{ run: string; curve: Curve | undefined }> {
    return this.runs.map((r) => ({ run: r.run, curve: r.curves[r.slider.index] }));
  }

  private draw(): void {
    if (!this.runs.length) return;
    const data: unknown[] = [null];
    const series: uPlot.Series[] = [{}];
    for (const { run, curve } of this.shown()) {
      data.push([(curve?.recall ?? []).map(Number), (curve?.precision ?? []).map(Number)]);
      series.push({ label: run, stroke: runColor(run), width: 1.6, facets: [{ scale: "x", auto: false }, { scale: "y", auto: false }], points: { show: false }, paths: linear } as uPlot.Series);
    }
    if (this.plot && this.plot.series.length === series.length) {
      this.plot.setData(data as uPlot.AlignedData, false);
      return;
    }
    this.plot?.destroy();
    this.plot = mountPlot(
      {
        mode: 2,
        series,
        legend: { show: false },
        padding: [8, 12, 0, 0],
        scales: { x: { time: false, auto: false, range: () => [0, 1] }, y: { auto: false, range: () => [0, 1.02] } },
        axes: [themedAxis({ label: "recall", labelSize: 14, size: 40 }), themedAxis({ label: "precision", labelSize: 14, size: 44 })],
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        hooks: { setCursor: [(u) => this.hover(u)], draw: [(u) => (this.element.dataset.series = String(u.series.length - 1))] },
      },
      data as uPlot.AlignedData,
      this.plotBox,
    );
  }

  /** The point of each run nearest to the cursor's recall: threshold, precision, recall, counts. */
  private hover(u: uPlot): void {
    const left = u.cursor.left ?? -1;
    if (left < 0) {
      this.readout.replaceChildren();
      return;
    }
    const recall = u.posToVal(left, "x");
    const rows = this.shown().flatMap(({ run, curve }) => {
      if (!curve || !curve.recall.length) return [];
      let best = 0;
      curve.recall.forEach((r, i) => {
        if (Math.abs(Number(r) - recall) < Math.abs(Number(curve.recall[best]) - recall)) best = i;
      });
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = runColor(run);
      const cells = [curve.thresholds[best], curve.precision[best], curve.recall[best]].map((v) => el("td", {}, formatValue(Number(v))));
      const counts = [curve.true_positives, curve.false_positives, curve.true_negatives, curve.false_negatives].map((c) => el("td", {}, String(c[best])));
      return [el("tr", {}, el("td", {}, swatch), el("td", { class: "run-name" }, run), ...cells, ...counts)];
    });
    const head = el("tr", {}, ...["", "Run", "Threshold", "Precision", "Recall", "TP", "FP", "TN", "FN"].map((h) => el("th", {}, h)));
    this.readout.replaceChildren(el("table", { class: "readout-table" }, el("thead", {}, head), el("tbody", {}, ...rows)));
  }

  destroy(): void {
    this.plot?.destroy();
    this.element.remove();
  }
}

class PrView {
  private readonly cards = new Map<string, PrCard>();
  private readonly body = el("div", { class: "dash-body group-flow" });
  private readonly visibility: Visibility;

  constructor(
    root: HTMLElement,
    private readonly context: DashboardContext,
  ) {
    root.classList.add("dash");
    root.append(this.body);
    this.visibility = new Visibility(root.closest<HTMLElement>(".content"));
    context.onChange(() => this.render());
    registerDebug("pr_curves", () =>
      [...this.cards.values()].map((card) => ({
        tag: card.tag,
        series: Number(card.element.dataset.series ?? 0),
        runs: card.shown().map(({ run, curve }) => ({ run, step: curve?.step, points: curve?.recall.length ?? 0 })),
      })),
    );
    this.render();
  }

  private runsOf(tag: string, tags: Map<string, string[]>): Array<{ name: string; version: number }> {
    const versions = new Map(this.context.runs().map((r) => [r.name, r.version]));
    return (tags.get(tag) ?? []).map((name) => ({ name, version: versions.get(name) ?? 0 }));
  }

  private render(): void {
    const tags = tagsOf(this.context, "pr_curves");
    for (const [tag, card] of this.cards) {
      if (tags.has(tag)) continue;
      this.visibility.unwatch(card.element);
      card.destroy();
      this.cards.delete(tag);
    }
    const sections = groupTags(tags.keys()).map(([group, list]) => {
      const grid = el("div", { class: "card-grid" });
      for (const tag of list) {
        let card = this.cards.get(tag);
        if (!card) {
          const created = (card = new PrCard(tag));
          this.cards.set(tag, card);
          this.visibility.watch(card.element, (visible) => visible && void created.load(this.runsOf(tag, tagsOf(this.context, "pr_curves"))));
        }
        grid.append(card.element);
        if (this.visibility.visible.has(card.element)) void card.load(this.runsOf(tag, tags));
      }
      return groupSection(group, list.length, grid);
    });
    this.body.replaceChildren(...(sections.length ? sections : [el("p", { class: "empty-message" }, "No PR curves in the selected runs.")]));
  }
}

export const prCurvesDashboard: Dashboard = {
  id: "pr_curves",
  title: "PR Curves",
  plugins: ["pr_curves"],
  mount(root: HTMLElement, context: DashboardContext) {
    new PrView(root, context);
  },
};
