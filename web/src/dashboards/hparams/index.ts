// The HParams dashboard: the session table, a parallel coordinates view, a scatter plot
// matrix, and the metric curves of the sessions clicked in any of them.

import { loadECharts, type ECharts } from "../../charts/echarts";
import { onThemeChange } from "../../charts/theme";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { readState, updateState } from "../../state";
import { registerDebug } from "../common/debug";
import { el, message } from "../common/dom";
import "../common/dashboards.css";
import { ScalarCard } from "../scalars/card";
import type { ScalarSettings } from "../scalars/settings";
import { ScalarStore } from "../scalars/store";
import { parallelOption, scatterMatrixOption } from "./charts";
import { fetchSessions, type Column, type Session } from "./data";
import { sessionTable, visibleSessions, type TableState } from "./table";

const CURVE_SETTINGS: ScalarSettings = { smoothing: 0, xAxis: "step", logY: false, ignoreOutliers: false, tooltipSort: "descending", tagFilter: "", pinned: [] };

class HParamsView {
  private columns: Column[] = [];
  private sessions: Session[] = [];
  private readonly selected = new Set(readState().getAll("session"));
  private readonly state: TableState = { sortKey: "name", descending: false, filters: {} };
  private readonly tableBox = el("div", { class: "table-scroll" });
  private readonly parallelBox = el("div", { class: "echart parallel" });
  private readonly scatterBox = el("div", { class: "echart scatter" });
  private readonly curvesBox = el("div", { class: "card-grid" });
  private readonly summary = el("span", { class: "control" });
  private readonly store = new ScalarStore();
  private curveCards: ScalarCard[] = [];
  private parallel: ECharts | null = null;
  private scatter: ECharts | null = null;
  private loadedKey = "";

  constructor(
    private readonly root: HTMLElement,
    private readonly context: DashboardContext,
  ) {
    root.classList.add("dash", "hparams-dash");
    const section = (title: string, ...children: HTMLElement[]) => el("section", { class: "hp-section" }, el("h3", { class: "hp-title" }, title), ...children);
    root.append(
      el("div", { class: "dash-toolbar" }, this.summary),
      el(
        "div",
        { class: "dash-body" },
        section("Sessions", this.tableBox),
        section("Parallel coordinates", this.parallelBox),
        section("Scatter plot matrix", this.scatterBox),
        section("Metric curves of the selected sessions", this.curvesBox),
      ),
    );
    new ResizeObserver(() => {
      this.parallel?.resize();
      this.scatter?.resize();
    }).observe(this.parallelBox);
    onThemeChange(() => this.renderCharts());
    context.onChange(() => void this.load());
    registerDebug("hparams", () => ({
      columns: this.columns.map((c) => c.label),
      rows: [...this.tableBox.querySelectorAll("tbody tr")].map((tr) => (tr as HTMLElement).dataset.session),
      selected: [...this.selected],
      parallelLines: this.sessions.length,
      scatterPlots: this.columns.filter((c) => c.kind === "hparam").length * this.columns.filter((c) => c.kind === "metric").length,
      curves: this.curveCards.map((card) => ({ tag: card.tag, runs: Number(card.element.dataset.runs ?? 0) })),
    }));
    void this.load();
  }

  private async load(): Promise<void> {
    const key = JSON.stringify(this.context.runs().map((r) => [r.name, r.version]));
    if (key === this.loadedKey) return;
    this.loadedKey = key;
    ({ columns: this.columns, sessions: this.sessions } = await fetchSessions());
    this.render();
  }

  private render(): void {
    this.renderTable();
    void this.renderCharts();
    this.renderCurves();
  }

  private renderTable(): void {
    const shown = visibleSessions(this.sessions, this.state).length;
    this.summary.textContent = `${shown} of ${this.sessions.length} sessions · ${this.selected.size} selected (click a row, line or dot)`;
    if (!this.sessions.length) {
      this.tableBox.replaceChildren(message("No hparams sessions in this logdir."));
      return;
    }
    this.tableBox.replaceChildren(
      sessionTable(this.columns, this.sessions, this.state, this.selected, () => this.render(), (name) => this.toggle(name)),
    );
  }

  private toggle(name: string): void {
    if (this.selected.has(name)) this.selected.delete(name);
    else this.selected.add(name);
    updateState({ session: this.selected.size ? [...this.selected] : null });
    this.render();
  }

  /** The charts show the sessions passing the table's filters. */
  private async renderCharts(): Promise<void> {
    const shown = visibleSessions(this.sessions, this.state);
    this.parallelBox.hidden = this.scatterBox.hidden = !shown.length;
    if (!shown.length) return;
    const echarts = await loadECharts();
    if (!this.parallel) {
      this.parallel = echarts.init(this.parallelBox, undefined, { renderer: "canvas" });
      this.parallel.on("click", (event) => {
        const name = this.chartSessions[(event as { dataIndex: number }).dataIndex]?.name;
        if (name) this.toggle(name);
      });
    }
    if (!this.scatter) {
      this.scatter = echarts.init(this.scatterBox, undefined, { renderer: "canvas" });
      this.scatter.on("click", (event) => this.toggle((event as { name: string }).name));
    }
    this.chartSessions = shown;
    this.parallel.setOption(parallelOption(this.columns, shown, this.selected), true);
    const { option, height } = scatterMatrixOption(this.columns, shown, this.selected, this.root.clientWidth);
    this.scatterBox.style.height = `${height}px`;
    this.scatter.resize();
    this.scatter.setOption(option, true);
  }

  private chartSessions: Session[] = [];

  private renderCurves(): void {
    for (const card of this.curveCards) card.destroy();
    this.curveCards = [];
    const selected = this.sessions.filter((s) => this.selected.has(s.name));
    if (!selected.length) {
      this.curvesBox.replaceChildren(message("Click a session to see its metric curves; click more to compare them."));
      return;
    }
    const known = new Map(this.context.runs().map((r) => [r.name, r]));
    this.curvesBox.replaceChildren();
    for (const metric of this.columns.filter((c) => c.kind === "metric")) {
      const runs = selected.flatMap((s) => s.runs).map((run) => (metric.group ? `${run}/${metric.group}` : run));
      const shown = runs.flatMap((run) => known.get(run) ?? []).filter((run) => run.tags.scalars?.includes(metric.tag!));
      if (!shown.length) continue; // a metric of other sessions (another experiment in the logdir)
      const card = new ScalarCard(metric.tag!, false, this.store, { settings: () => CURVE_SETTINGS });
      card.setRuns(shown.map(({ name, version }) => ({ name, version })));
      card.element.querySelector(".card-title")!.textContent = metric.label;
      this.curvesBox.append(card.element);
      this.curveCards.push(card);
      void card.load();
    }
    if (!this.curveCards.length) this.curvesBox.replaceChildren(message("The selected sessions have no metric curves."));
  }
}

export const hparamsDashboard: Dashboard = {
  id: "hparams",
  title: "HParams",
  plugins: ["hparams"],
  mount(root: HTMLElement, context: DashboardContext) {
    new HParamsView(root, context);
  },
};
