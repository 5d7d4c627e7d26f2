// The Projector dashboard: an embedding's points by PCA (2-D, 3-D, on the server) or
// t-SNE / UMAP (2-D, 3-D, in a Web Worker with progress), coloured and labelled by a
// metadata column, searchable by label, with sprite thumbnails when the config has them.

import { getJson } from "../../api";
import { loadECharts, themeColors, type ECharts } from "../../charts/echarts";
import { onThemeChange } from "../../charts/theme";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { readState, updateState } from "../../state";
import { select } from "../common/controls";
import { registerDebug } from "../common/debug";
import { el, message } from "../common/dom";
import "../common/dashboards.css";
import { pointColors, project3d, spriteImages, type Camera } from "./points";
import type { ProjectProgress, ProjectRequest } from "./worker";

interface EmbeddingInfo {
  run: string;
  name: string;
  shape: number[] | null;
  metadata: boolean;
  sprite: { width: number; height: number } | null;
}

type Method = "pca" | "tsne" | "umap";
const MAX_POINTS = { tsne: 2000, umap: 5000 } as const;
const REDUCED_DIMS = 50;

class ProjectorView {
  private embeddings: EmbeddingInfo[] = [];
  private current: EmbeddingInfo | null = null;
  private columns: string[] = [];
  private rows: string[][] = [];
  private coords: Float32Array = new Float32Array();
  private indices: number[] = [];
  private dims: 2 | 3 = 3;
  private method: Method;
  private colorBy = "";
  private labelBy = "";
  private search = "";
  private matches = new Set<number>();
  private progress = { done: 0, total: 0 };
  private camera: Camera = { yaw: 0.6, pitch: 0.35 };
  private sprites: string[] | null = null;
  private worker: Worker | null = null;
  private chart: ECharts | null = null;
  private variance: number[] = [];
  private readonly toolbar = el("div", { class: "dash-toolbar" });
  private readonly status = el("span", { class: "control projector-status" });
  private readonly plotBox = el("div", { class: "echart projector-plot" });
  private readonly legend = el("div", { class: "projector-legend" });

  constructor(root: HTMLElement, context: DashboardContext) {
    const state = readState();
    this.method = (["pca", "tsne", "umap"].includes(state.get("proj") ?? "") ? state.get("proj") : "pca") as Method;
    this.dims = state.get("pdims") === "2" ? 2 : 3;
    root.classList.add("dash");
    root.append(this.toolbar, el("div", { class: "dash-body projector-body" }, this.plotBox, this.legend));
    this.dragToRotate();
    onThemeChange(() => this.draw());
    context.onChange(() => void this.refresh());
    new ResizeObserver(() => this.chart?.resize()).observe(this.plotBox);
    registerDebug("projector", () => ({
      embedding: this.current && `${this.current.run}:${this.current.name}`,
      method: this.method,
      dims: this.dims,
      points: this.indices.length,
      progress: this.progress,
      colors: new Set(pointColors(this.indices, this.columnValues(this.colorBy))).size,
      matches: this.matches.size,
      variance: this.variance,
      sprites: this.sprites?.length ?? 0,
    }));
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const listing = await getJson<EmbeddingInfo[]>("/api/projector/embeddings");
    const key = (e: EmbeddingInfo) => `${e.run}:${e.name}`;
    if (JSON.stringify(listing.map(key)) === JSON.stringify(this.embeddings.map(key))) return;
    this.embeddings = listing;
    const wanted = readState().get("embedding");
    await this.choose(listing.find((e) => key(e) === wanted) ?? listing[0] ?? null);
  }

  private renderToolbar(): void {
    const key = (e: EmbeddingInfo) => `${e.run}:${e.name}`;
    const embedding = select(
      "Embedding",
      this.embeddings.map((e): [string, string] => [key(e), `${e.name} (${e.run})`]),
      this.current ? key(this.current) : "",
      (value) => void this.choose(this.embeddings.find((e) => key(e) === value) ?? null),
    );
    const method = select<Method>("Projection", [["pca", "PCA"], ["tsne", "t-SNE"], ["umap", "UMAP"]], this.method, (value) => {
      this.method = value;
      updateState({ proj: value === "pca" ? null : value });
      void this.project();
    });
    const dims = select<"2" | "3">("Dimensions", [["2", "2-D"], ["3", "3-D"]], String(this.dims) as "2" | "3", (value) => {
      this.dims = value === "2" ? 2 : 3;
      updateState({ pdims: value === "3" ? null : value });
      void this.project();
    });
    const choices: Array<[string, string]> = [["", "none"], ...this.columns.map((c): [string, string] => [c, c])];
    const color = select("Colour by", choices, this.colorBy, (value) => ((this.colorBy = value), this.draw()));
    const label = select("Label by", choices, this.labelBy, (value) => ((this.labelBy = value), this.updateMatches(), this.draw()));
    const search = el("input", { type: "search", class: "tag-filter", placeholder: "Search labels (regex)", "aria-label": "Search labels", value: this.search });
    search.addEventListener("input", () => {
      this.search = search.value;
      this.updateMatches();
      this.draw();
    });
    this.toolbar.replaceChildren(embedding, method, dims, color, label, search, this.status);
  }

  private async choose(embedding: EmbeddingInfo | null): Promise<void> {
    this.current = embedding;
    this.worker?.terminate();
    if (!embedding) {
      this.renderToolbar();
      this.plotBox.replaceChildren(message("No embeddings: write them with add_embedding, or a projector_config.pbtxt."));
      return;
    }
    updateState({ embedding: `${embedding.run}:${embedding.name}` });
    const query = { run: embedding.run, name: embedding.name };
    const metadata = embedding.metadata ? await getJson<{ columns: string[]; rows: string[][] }>("/api/projector/metadata", query) : { columns: [], rows: [] };
    this.columns = metadata.columns;
    this.rows = metadata.rows;
    this.colorBy = this.labelBy = this.columns[0] ?? "";
    this.sprites = null;
    if (embedding.sprite) {
      const n = embedding.shape?.[0] ?? this.rows.length;
      this.sprites = await spriteImages(`/api/projector/sprite?${new URLSearchParams(query)}`, embedding.sprite, n);
    }
    this.updateMatches();
    this.renderToolbar();
    await this.project();
  }

  private columnValues(column: string): string[] | null {
    const index = this.columns.indexOf(column);
    return index < 0 ? null : this.rows.map((row) => String(row[index] ?? ""));
  }

  private updateMatches(): void {
    this.matches = new Set();
    const labels = this.columnValues(this.labelBy);
    if (!this.search || !labels) return;
    let pattern: RegExp;
    try {
      pattern = new RegExp(this.search, "i");
    } catch {
      return;
    }
    labels.forEach((label, i) => pattern.test(label) && this.matches.add(i));
  }

  /** Computes the chosen projection: PCA on the server, t-SNE and UMAP in a worker. */
  private async project(): Promise<void> {
    const embedding = this.current;
    if (!embedding) return;
    this.worker?.terminate();
    this.worker = null;
    const query = { run: embedding.run, name: embedding.name };
    this.status.textContent = "computing…";
    if (this.method === "pca") {
      const result = await getJson<{ coords: number[][]; variance: number[] }>("/api/projector/pca", { ...query, components: String(this.dims) });
      this.variance = result.variance;
      this.indices = result.coords.map((_, i) => i);
      this.coords = padded(result.coords, this.dims);
      this.progress = { done: 1, total: 1 };
      const shares = result.variance.map((v) => `${(v * 100).toFixed(1)}%`).join(" + ");
      this.status.textContent = `PCA: ${shares} of the variance${this.dims === 3 ? " · drag to turn" : ""}`;
      this.draw();
      return;
    }
    const [data, n, d] = await this.inputs(query);
    const cap = MAX_POINTS[this.method];
    this.indices = sample(n, cap, 1);
    const rows = new Float32Array(this.indices.length * d);
    this.indices.forEach((row, i) => rows.set(data.subarray(row * d, (row + 1) * d), i * d));
    const request: ProjectRequest = { method: this.method, dims: this.dims, data: rows, n: this.indices.length, d, perplexity: 30, iterations: 500, seed: 7 };
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker = worker;
    const name = this.method === "tsne" ? "t-SNE" : "UMAP";
    const sampled = this.indices.length < n ? ` (a sample of ${this.indices.length} of ${n} points)` : "";
    worker.onmessage = (event: MessageEvent<ProjectProgress>) => {
      if (this.worker !== worker) return;
      const { done, total, coords, finished } = event.data;
      this.progress = { done, total };
      this.coords = coords;
      this.status.textContent = finished ? `${name} done${sampled}` : `${name}: ${Math.round((100 * done) / total)}%${sampled}`;
      this.draw();
      if (finished) worker.terminate();
    };
    this.progress = { done: 0, total: 1 };
    worker.postMessage(request, [rows.buffer]);
  }

  /** The points for t-SNE and UMAP: the tensor, or its first 50 principal components. */
  private async inputs(query: Record<string, string>): Promise<[Float32Array, number, number]> {
    const response = await fetch(`/api/projector/tensor?${new URLSearchParams(query)}`);
    const [n, d] = (response.headers.get("X-Embedding-Shape") ?? "0,0").split(",").map(Number);
    if (d <= REDUCED_DIMS) return [new Float32Array(await response.arrayBuffer()), n, d];
    const reduced = await getJson<{ coords: number[][] }>("/api/projector/pca", { ...query, components: String(REDUCED_DIMS) });
    return [Float32Array.from(reduced.coords.flat()), n, reduced.coords[0]?.length ?? 0];
  }

  private async draw(): Promise<void> {
    if (!this.current || !this.indices.length || this.coords.length < this.indices.length * this.dims) return;
    const echarts = await loadECharts();
    this.chart ??= echarts.init(this.plotBox);
    const colors = pointColors(this.indices, this.columnValues(this.colorBy));
    const labels = this.columnValues(this.labelBy);
    const searching = this.matches.size > 0;
    const projected = this.dims === 3 ? project3d(this.coords, this.indices.length, this.camera) : null;
    const order = projected ? projected.order : this.indices.map((_, i) => i);
    const theme = themeColors();
    const data = order.map((i) => {
      const row = this.indices[i];
      const matched = this.matches.has(row);
      const x = projected ? projected.xy[2 * i] : this.coords[2 * i];
      const y = projected ? projected.xy[2 * i + 1] : this.coords[2 * i + 1];
      const size = (this.sprites ? 22 : 7) * (projected ? projected.scale[i] : 1) * (matched ? 1.6 : 1);
      return {
        value: [x, y],
        name: labels?.[row] ?? String(row),
        symbol: this.sprites ? `image://${this.sprites[row]}` : "circle",
        symbolSize: size,
        itemStyle: { color: colors[i], opacity: searching && !matched ? 0.12 : 0.9 },
        label: { show: matched && this.matches.size <= 50, formatter: labels?.[row] ?? "", color: theme.text, position: "right" },
      };
    });
    const axis = { show: !projected, scale: true, axisLabel: { color: theme.muted }, axisLine: { lineStyle: { color: theme.muted } }, splitLine: { lineStyle: { color: theme.grid } } };
    this.chart.setOption(
      {
        animation: false,
        grid: { left: 50, right: 20, top: 20, bottom: 40 },
        xAxis: { ...axis, type: "value" },
        yAxis: { ...axis, type: "value" },
        tooltip: { trigger: "item", formatter: (p: { name: string }) => p.name },
        dataZoom: projected ? [] : [{ type: "inside", xAxisIndex: 0 }, { type: "inside", yAxisIndex: 0 }],
        series: [{ type: "scatter", data, large: data.length > 5000 && !this.sprites }, ...(projected ? axisLines(projected.axes, theme.muted) : [])],
      },
      true,
    );
    this.renderLegend(colors);
  }

  private renderLegend(colors: string[]): void {
    const values = this.columnValues(this.colorBy);
    const entries = new Map<string, string>();
    if (values) this.indices.forEach((row, i) => entries.size < 20 && !entries.has(values[row]) && entries.set(values[row], colors[i]));
    const matches = this.search ? el("div", { class: "projector-matches" }, `${this.matches.size} matching label${this.matches.size === 1 ? "" : "s"}`) : null;
    this.legend.replaceChildren(
      ...(matches ? [matches] : []),
      ...[...entries].map(([value, color]) => {
        const swatch = el("span", { class: "swatch" });
        swatch.style.background = color;
        return el("div", { class: "legend-entry" }, swatch, ` ${value || "(empty)"}`);
      }),
    );
  }

  /** In 3-D, dragging the plot turns the camera. */
  private dragToRotate(): void {
    let last: [number, number] | null = null;
    this.plotBox.addEventListener("pointerdown", (event) => {
      if (this.dims !== 3) return;
      last = [event.clientX, event.clientY];
      this.plotBox.setPointerCapture(event.pointerId);
    });
    this.plotBox.addEventListener("pointermove", (event) => {
      if (!last) return;
      this.camera.yaw += (event.clientX - last[0]) * 0.01;
      this.camera.pitch = Math.max(-1.5, Math.min(1.5, this.camera.pitch + (event.clientY - last[1]) * 0.01));
      last = [event.clientX, event.clientY];
      void this.draw();
    });
    this.plotBox.addEventListener("pointerup", () => (last = null));
  }
}

/** The three axes of a 3-D view as faint lines from the centre, labelled 1 to 3. */
function axisLines(axes: number[][], color: string): object[] {
  return axes.map(([x, y], i) => ({
    type: "line",
    data: [[0, 0], [x, y]],
    symbol: "none",
    silent: true,
    lineStyle: { color, width: 1, opacity: 0.6 },
    endLabel: { show: true, formatter: String(i + 1), color },
  }));
}

function padded(coords: number[][], dims: number): Float32Array {
  const out = new Float32Array(coords.length * dims);
  coords.forEach((row, i) => row.slice(0, dims).forEach((v, k) => (out[i * dims + k] = v)));
  return out;
}

/** `count` distinct row indices out of `n` (all when n <= count), in order; seeded. */
function sample(n: number, count: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= count) return all;
  let state = seed;
  for (let i = n - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

export const projectorDashboard: Dashboard = {
  id: "projector",
  title: "Projector",
  plugins: ["projector"],
  mount(root: HTMLElement, context: DashboardContext) {
    new ProjectorView(root, context);
  },
};
