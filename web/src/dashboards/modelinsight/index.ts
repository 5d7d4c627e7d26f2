// The Model insight dashboard: for each run with `add_model_stats` data, a layer x step
// heatmap of gradient (or weight) norms that flags vanishing and exploding gradients,
// the curves of a clicked layer, and the first conv layer's kernels.

import { getJson } from "../../api";
import { loadECharts, themeColors, type ECharts } from "../../charts/echarts";
import { formatStep, formatValue } from "../../charts/format";
import { onThemeChange } from "../../charts/theme";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { readState, updateState } from "../../state";
import { select } from "../common/controls";
import { registerDebug } from "../common/debug";
import { el, message } from "../common/dom";
import "../common/dashboards.css";
import { ImageCard } from "../images";
import { ScalarCard } from "../scalars/card";
import type { ScalarSettings } from "../scalars/settings";
import { ScalarStore } from "../scalars/store";

type Cell = number | string | null;
type Metric = "grad_norm" | "weight_norm" | "ratio";

interface ModelStats {
  run: string;
  layers: string[];
  steps: number[];
  weight_norm: Cell[][];
  grad_norm: Cell[][];
  kernels: string[];
}

interface Flag {
  layer: string;
  step: number;
  value: number;
  kind: "vanishing" | "exploding";
}

const PLUGIN = "model_stats";
const CURVES: ScalarSettings = { smoothing: 0, xAxis: "step", logY: true, ignoreOutliers: false, tooltipSort: "run", tagFilter: "", pinned: [] };

function toNumber(cell: Cell): number {
  return cell === null ? Number.NaN : Number(cell);
}

/** The chosen metric per layer and step (NaN where missing). */
function metricMatrix(stats: ModelStats, metric: Metric): number[][] {
  return stats.layers.map((_, layer) =>
    stats.steps.map((_, step) => {
      const grad = toNumber(stats.grad_norm[layer][step]);
      const weight = toNumber(stats.weight_norm[layer][step]);
      return metric === "grad_norm" ? grad : metric === "weight_norm" ? weight : grad / weight;
    }),
  );
}

/** Gradient flags: a norm below `low` vanishes; above `high` or not finite, it explodes. */
function gradientFlags(stats: ModelStats, low: number, high: number): Flag[] {
  const flags: Flag[] = [];
  stats.grad_norm.forEach((row, layer) =>
    row.forEach((cell, step) => {
      if (cell === null) return;
      const value = Number(cell);
      const kind = !Number.isFinite(value) || value > high ? "exploding" : value < low ? "vanishing" : null;
      if (kind) flags.push({ layer: stats.layers[layer], step: stats.steps[step], value, kind });
    }),
  );
  return flags;
}

class RunInsight {
  readonly element: HTMLElement;
  private readonly heatmapBox = el("div", { class: "echart heatmap" });
  private readonly flagsBox = el("div", { class: "flag-summary" });
  private readonly detail = el("div", { class: "card-grid" });
  private readonly kernels = el("div", { class: "card-grid small" });
  private chart: ECharts | null = null;
  private detailCards: ScalarCard[] = [];
  stats: ModelStats | null = null;
  flags: Flag[] = [];
  selectedLayer = "";

  constructor(
    readonly run: string,
    private readonly settings: () => { metric: Metric; low: number; high: number },
    private readonly store: ScalarStore,
    private readonly version: () => number,
  ) {
    this.element = el(
      "section",
      { class: "insight-run", "data-run": run },
      el("h3", { class: "hp-title" }, run),
      this.flagsBox,
      this.heatmapBox,
      this.detail,
      this.kernels,
    );
  }

  async load(): Promise<void> {
    this.stats = await getJson<ModelStats>("/api/model_stats", { run: this.run });
    this.renderKernels();
    await this.draw();
  }

  async draw(): Promise<void> {
    const stats = this.stats;
    if (!stats || !stats.layers.length) {
      this.heatmapBox.replaceChildren(message("No model statistics in this run."));
      return;
    }
    const { metric, low, high } = this.settings();
    this.flags = gradientFlags(stats, low, high);
    this.renderFlags();
    const matrix = metricMatrix(stats, metric);
    const data: Array<[number, number, number | null]> = [];
    let min = Infinity;
    let max = -Infinity;
    matrix.forEach((row, y) =>
      row.forEach((value, x) => {
        const log = value > 0 && Number.isFinite(value) ? Math.log10(value) : null;
        if (log !== null) {
          min = Math.min(min, log);
          max = Math.max(max, log);
        }
        data.push([x, y, log]);
      }),
    );
    const layerIndex = new Map(stats.layers.map((name, i) => [name, i]));
    const stepIndex = new Map(stats.steps.map((step, i) => [step, i]));
    const marks = (kind: Flag["kind"]) => this.flags.filter((f) => f.kind === kind).map((f) => [stepIndex.get(f.step), layerIndex.get(f.layer)]);
    const colors = themeColors();
    const echarts = await loadECharts();
    this.heatmapBox.style.height = `${Math.max(180, stats.layers.length * 18 + 90)}px`;
    if (!this.chart) {
      this.chart = echarts.init(this.heatmapBox);
      this.chart.on("click", (event) => {
        const value = event.value as [number, number];
        this.showLayer(stats.layers[value[1]]);
      });
      new ResizeObserver(() => this.chart?.resize()).observe(this.heatmapBox);
    }
    const label = metric === "grad_norm" ? "gradient norm" : metric === "weight_norm" ? "weight norm" : "gradient / weight norm";
    this.chart.resize();
    this.chart.setOption(
      {
        animation: false,
        grid: { left: 150, right: 90, top: 10, bottom: 40 },
        tooltip: {
          formatter: (p: { value: [number, number, number | null]; seriesName: string }) =>
            `${stats.layers[p.value[1]]}<br>step ${formatStep(stats.steps[p.value[0]])}<br>${label} ${formatValue(matrix[p.value[1]][p.value[0]])}${p.seriesName === "heatmap" ? "" : `<br><b>${p.seriesName}</b>`}`,
        },
        xAxis: { type: "category", data: stats.steps.map(formatStep), name: "step", nameLocation: "middle", nameGap: 26, axisLabel: { color: colors.muted }, nameTextStyle: { color: colors.text }, axisLine: { lineStyle: { color: colors.muted } } },
        yAxis: { type: "category", data: stats.layers, inverse: true, axisLabel: { color: colors.text, width: 140, overflow: "truncate" }, axisLine: { lineStyle: { color: colors.muted } } },
        visualMap: {
          type: "continuous",
          min: Number.isFinite(min) ? min : 0,
          max: Number.isFinite(max) && max > min ? max : min + 1,
          dimension: 2,
          seriesIndex: 0,
          calculable: true,
          orient: "vertical",
          right: 0,
          top: "middle",
          text: [`log₁₀ ${label}`, ""],
          textStyle: { color: colors.muted, fontSize: 10 },
          inRange: { color: ["#313695", "#4575b4", "#74add1", "#abd9e9", "#fee090", "#fdae61", "#f46d43", "#d73027"] },
        },
        series: [
          { name: "heatmap", type: "heatmap", data, progressive: 5000 },
          { name: "vanishing", type: "scatter", data: marks("vanishing"), symbol: "triangle", symbolRotate: 180, symbolSize: 8, itemStyle: { color: "#ffffff", borderColor: "#000000", borderWidth: 1 } },
          { name: "exploding", type: "scatter", data: marks("exploding"), symbol: "triangle", symbolSize: 8, itemStyle: { color: "#ff1744", borderColor: "#000000", borderWidth: 1 } },
        ],
      },
      true,
    );
    this.element.dataset.cells = String(data.length);
  }

  private renderFlags(): void {
    const byKind = (kind: Flag["kind"]) => [...new Set(this.flags.filter((f) => f.kind === kind).map((f) => f.layer))];
    const vanishing = byKind("vanishing");
    const exploding = byKind("exploding");
    const line = (kind: string, layers: string[], symbol: string) =>
      el("div", { class: `flag flag-${kind}` }, `${symbol} ${layers.length} layer${layers.length === 1 ? "" : "s"} with ${kind} gradients${layers.length ? ": " : ""}`, layers.slice(0, 8).join(", ") + (layers.length > 8 ? ", …" : ""));
    this.flagsBox.replaceChildren(
      vanishing.length || exploding.length ? el("div", {}, line("vanishing", vanishing, "▼"), line("exploding", exploding, "▲")) : el("div", { class: "flag flag-ok" }, "No vanishing or exploding gradients at these thresholds."),
    );
  }

  private showLayer(layer: string): void {
    this.selectedLayer = layer;
    for (const card of this.detailCards) card.destroy();
    this.detailCards = ["grad_norm", "weight_norm"].map((norm) => {
      const card = new ScalarCard(`${PLUGIN}/${norm}/${layer}`, false, this.store, { settings: () => CURVES });
      card.setRuns([{ name: this.run, version: this.version() }]);
      void card.load();
      return card;
    });
    this.detail.replaceChildren(...this.detailCards.map((c) => c.element));
  }

  private renderKernels(): void {
    const cards = (this.stats?.kernels ?? []).map((tag) => {
      const card = new ImageCard(tag, this.run, () => Promise.resolve(1));
      void card.load();
      return card;
    });
    this.kernels.replaceChildren(...cards.map((c) => c.element));
  }

  destroy(): void {
    this.chart?.dispose();
    for (const card of this.detailCards) card.destroy();
    this.element.remove();
  }
}

class ModelInsightView {
  private readonly runs = new Map<string, { view: RunInsight; version: number }>();
  private readonly body = el("div", { class: "dash-body" });
  private readonly store = new ScalarStore();
  private settings: { metric: Metric; low: number; high: number };

  constructor(
    root: HTMLElement,
    private readonly context: DashboardContext,
  ) {
    const state = readState();
    this.settings = {
      metric: (["grad_norm", "weight_norm", "ratio"].includes(state.get("insight") ?? "") ? state.get("insight") : "grad_norm") as Metric,
      low: Number(state.get("vanish") ?? 1e-6),
      high: Number(state.get("explode") ?? 1e2),
    };
    const threshold = (label: string, key: "low" | "high", stateKey: string) => {
      const value = this.settings[key];
      const text = value < 1e-3 || value >= 1e4 ? value.toExponential() : String(value);
      const input = el("input", { type: "text", inputmode: "decimal", class: "number", value: text, "aria-label": label });
      input.addEventListener("change", () => {
        const value = Number(input.value);
        if (!(value > 0)) return;
        this.settings[key] = value;
        updateState({ [stateKey]: String(value) });
        this.redraw();
      });
      return el("label", { class: "control" }, `${label} `, input);
    };
    root.classList.add("dash");
    root.append(
      el(
        "div",
        { class: "dash-toolbar" },
        select<Metric>("Colour", [["grad_norm", "Gradient norm"], ["weight_norm", "Weight norm"], ["ratio", "Gradient / weight"]], this.settings.metric, (metric) => {
          this.settings.metric = metric;
          updateState({ insight: metric === "grad_norm" ? null : metric });
          this.redraw();
        }),
        threshold("Vanishing below", "low", "vanish"),
        threshold("Exploding above", "high", "explode"),
      ),
      this.body,
    );
    onThemeChange(() => this.redraw());
    context.onChange(() => this.render());
    registerDebug("model_insight", () =>
      [...this.runs.values()].map(({ view }) => ({
        run: view.run,
        layers: view.stats?.layers ?? [],
        steps: view.stats?.steps.length ?? 0,
        cells: Number(view.element.dataset.cells ?? 0),
        flags: view.flags,
        selectedLayer: view.selectedLayer,
        kernels: view.element.querySelectorAll(".image-card img").length,
      })),
    );
    this.render();
  }

  private redraw(): void {
    for (const { view } of this.runs.values()) void view.draw();
  }

  private render(): void {
    const selected = new Set(this.context.selectedRuns());
    const wanted = this.context.runs().filter((run) => selected.has(run.name) && (run.tags[PLUGIN] ?? []).length);
    for (const [name, entry] of this.runs) {
      if (wanted.some((run) => run.name === name)) continue;
      entry.view.destroy();
      this.runs.delete(name);
    }
    for (const run of wanted) {
      let entry = this.runs.get(run.name);
      if (!entry) {
        const view = new RunInsight(run.name, () => this.settings, this.store, () => this.context.runs().find((r) => r.name === run.name)?.version ?? 0);
        entry = { view, version: -1 };
        this.runs.set(run.name, entry);
      }
      if (entry.version !== run.version) {
        entry.version = run.version;
        void entry.view.load();
      }
    }
    this.body.replaceChildren(
      ...(wanted.length
        ? wanted.map((run) => this.runs.get(run.name)!.view.element)
        : [message("No model statistics in the selected runs: log them with SummaryWriter.add_model_stats(model, step) after backward().")]),
    );
  }
}

export const modelInsightDashboard: Dashboard = {
  id: "model_insight",
  title: "Model insight",
  plugins: [PLUGIN],
  mount(root: HTMLElement, context: DashboardContext) {
    new ModelInsightView(root, context);
  },
};
