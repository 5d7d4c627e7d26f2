// A scalar card: title, actions (pin, full screen, fit, CSV/JSON), the chart and its tooltip.

import { getJson } from "../../api";
import { csvCell, download, fileName } from "../../charts/download";
import { el, iconButton } from "../common/dom";
import { icon } from "../common/icons";
import { ScalarChart, type Hover } from "./chart";
import type { ScalarSettings } from "./settings";
import type { ScalarSeries } from "./columns";
import type { RunVersion, ScalarStore } from "./store";
import { renderTooltip } from "./tooltip";

export interface CardActions {
  /** Without it, the card has no pin button. */
  togglePin?(tag: string): void;
  settings(): ScalarSettings;
}

export class ScalarCard {
  readonly element: HTMLElement;
  private readonly chart: ScalarChart;
  private readonly tooltip: HTMLElement;
  private readonly status: HTMLElement;
  private runs: RunVersion[] = [];
  private series: ScalarSeries[] = [];
  /** What is drawn, and what is being loaded (as `load` keys). */
  private loaded = "";
  private loadingKey = "";
  private loading = 0;
  private draws = 0;
  private hovered: Hover | null = null;
  /** Whether the drawn series' wall times were asked for (once a pointer visit). */
  private wallTimesAsked = false;

  constructor(
    readonly tag: string,
    readonly pinned: boolean,
    private readonly store: ScalarStore,
    private readonly actions: CardActions,
  ) {
    const plot = el("div", { class: "plot" });
    this.tooltip = el("div", { class: "chart-tooltip", hidden: true });
    this.status = el("span", { class: "card-status" });
    this.chart = new ScalarChart(plot, (hover) => this.showTooltip(hover), () => this.drawn());
    const title = el("span", { class: "card-title", title: tag }, tag);
    const togglePin = actions.togglePin;
    const pin = togglePin && iconButton(pinned ? "Unpin" : "Pin to the top", icon("pin", pinned), () => togglePin(tag));
    pin?.classList.toggle("active", pinned);
    const actionsBar = el(
      "span",
      { class: "card-actions" },
      this.status,
      pin,
      iconButton("Fit to the data (or double-click the chart)", icon("fit"), () => this.chart.resetZoom()),
      iconButton("Full screen (Esc to leave)", icon("expand"), () => this.toggleFullscreen()),
      iconButton("Download CSV", "CSV", () => void this.download("csv")),
      iconButton("Download JSON", "JSON", () => void this.download("json")),
    );
    this.element = el(
      "article",
      { class: "card scalar-card", "data-tag": tag },
      el("header", { class: "card-header" }, title, actionsBar),
      el("div", { class: "plot-wrap" }, plot, this.tooltip),
    );
    plot.addEventListener("mouseleave", () => (this.tooltip.hidden = true));
    plot.addEventListener("pointerleave", () => (this.wallTimesAsked = false));
  }

  setRuns(runs: RunVersion[]): void {
    this.runs = runs;
  }

  /** Fetches what changed and draws; does nothing when up to date or on its way. */
  async load(): Promise<void> {
    const settings = this.actions.settings();
    const key = JSON.stringify([this.runs, settings.smoothing, settings.xAxis, settings.logY, settings.ignoreOutliers]);
    if (key === this.loaded || key === this.loadingKey) return;
    this.loadingKey = key;
    const token = ++this.loading;
    const slow = setTimeout(() => (this.status.textContent = "…"), 500);
    try {
      const found = await this.store.get(this.tag, this.runs, settings.smoothing, settings.xAxis !== "step");
      await nextFrame(); // cards whose data came together are drawn in one frame
      if (token !== this.loading) return;
      this.series = found.filter((s): s is ScalarSeries => s !== null);
      this.wallTimesAsked = false;
      this.chart.update(this.series, this.actions.settings());
      this.loaded = key;
      this.status.textContent = "";
    } catch (error) {
      if (token === this.loading) this.status.textContent = `⚠ ${(error as Error).message}`;
    } finally {
      clearTimeout(slow);
      if (token === this.loading) this.loadingKey = "";
    }
  }

  /** The tooltip's wall times, fetched when it first shows series drawn without them
   * (a first draw along steps does without). Until then it shows "…". */
  private async fetchWallTimes(): Promise<void> {
    if (this.wallTimesAsked || this.series.every((series) => series.wall)) return;
    this.wallTimesAsked = true;
    try {
      await this.store.get(this.tag, this.runs, this.actions.settings().smoothing, true);
    } catch {
      return; // the tooltip keeps "…"; the pointer's next visit tries again
    }
    if (!this.tooltip.hidden && this.hovered) this.showTooltip(this.hovered);
  }

  /** Marks the card for tests and benchmarks: how often it drew, and what. */
  private drawn(): void {
    this.draws++;
    this.element.dataset.draws = String(this.draws);
    this.element.dataset.runs = String(this.chart.drawnLines.length);
    this.element.dataset.series = String(this.chart.seriesCount);
  }

  /** Forgets the drawn state so the next `load` redraws. */
  invalidate(): void {
    this.loaded = this.loadingKey = "";
  }

  destroy(): void {
    this.loading++;
    this.chart.destroy();
    this.element.remove();
  }

  debugInfo(): object {
    return {
      tag: this.tag,
      pinned: this.pinned,
      draws: this.draws,
      uplotSeries: this.chart.seriesCount,
      ...this.chart.ranges,
      lines: this.chart.drawnLines.map((line) => ({
        run: line.run,
        points: line.raw.length,
        raw: head(line.raw),
        smoothed: head(line.smoothed),
        x: head(line.x),
      })),
    };
  }

  private toggleFullscreen(): void {
    const full = this.element.classList.toggle("card-fullscreen");
    if (full) {
      const exit = (event: KeyboardEvent) => {
        if (event.key !== "Escape") return;
        this.element.classList.remove("card-fullscreen");
        document.removeEventListener("keydown", exit);
      };
      document.addEventListener("keydown", exit);
    }
  }

  private showTooltip(hover: Hover | null): void {
    this.hovered = hover;
    if (!hover || !hover.rows.length) {
      this.tooltip.hidden = true;
      return;
    }
    void this.fetchWallTimes();
    renderTooltip(this.tooltip, hover.rows, hover.value, this.actions.settings());
    this.tooltip.hidden = false;
    const wrap = this.tooltip.parentElement!;
    const width = this.tooltip.offsetWidth;
    const left = hover.left + 16 + width > wrap.clientWidth ? Math.max(0, hover.left - 16 - width) : hover.left + 16;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${Math.min(hover.top + 12, Math.max(0, wrap.clientHeight - this.tooltip.offsetHeight))}px`;
  }

  /** Saves every point of the shown runs, exactly as stored (from `/api/scalars`). */
  private async download(format: "csv" | "json"): Promise<void> {
    const exact = await Promise.all(
      this.series.map(async ({ run }) => ({ run, ...(await getJson<ExactSeries>("/api/scalars", { run, tag: this.tag })) })),
    );
    const name = fileName(["scalars", this.tag], format);
    if (format === "json") {
      const body = Object.fromEntries(exact.map((s) => [s.run, s.step.map((step, i) => [s.wall_time[i], step, s.value[i]])]));
      download(name, JSON.stringify(body), "application/json");
      return;
    }
    const lines = ["run,step,wall_time,value"];
    for (const s of exact) {
      const run = csvCell(s.run);
      s.step.forEach((step, i) => lines.push(`${run},${step},${s.wall_time[i]},${s.value[i]}`));
    }
    download(name, lines.join("\n") + "\n", "text/csv");
  }
}

/** `/api/scalars`: exact values, non-finite ones spelled "NaN", "Infinity", "-Infinity". */
interface ExactSeries {
  step: number[];
  wall_time: number[];
  value: Array<number | string>;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

const DEBUG_POINTS = 50;
const head = (values: ArrayLike<number>) => Array.prototype.slice.call(values, 0, DEBUG_POINTS) as number[];
