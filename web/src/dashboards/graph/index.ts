// The Graph dashboard: the server lays out each view of a graph; this draws it, and
// turns clicks, searches and choices into new view requests.

import "./graph.css";
import type { Dashboard, DashboardContext } from "../../dashboard";
import * as api from "./api";
import { installDebugHook } from "./debughook";
import { el } from "./dom";
import { GraphCanvas, type SceneChange } from "./graphcanvas";
import { InfoPanel } from "./infopanel";
import { LegendView } from "./legend";
import { Scene, type DrawNode } from "./scene";
import { SearchBox } from "./search";
import { Toolbar } from "./toolbar";
import type { ColourMode, GraphRuns, GraphView, SearchHit } from "./types";
import { loadState, resetView, saveState, type GraphState } from "./urlstate";

const STATUS_DELAY_MS = 150;

interface RefreshOptions extends SceneChange {
  depth?: number;
  centre?: string;
}

function saveBlob(blob: Blob, filename: string): void {
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

class GraphDashboard {
  private state: GraphState = loadState();
  private view: GraphView | null = null;
  private runs: GraphRuns["runs"] = [];
  private runsShown = "";
  private listed: GraphRuns["runs"] = [];
  private upload: { id: string; name: string } | null = null;
  private pending = 0;
  private sequence = 0;
  private views = 0;
  private readonly root: HTMLElement;
  private readonly status = el("div", { className: "graph-status" });
  private readonly canvas: GraphCanvas;
  private readonly toolbar: Toolbar;
  private readonly search: SearchBox;
  private readonly info: InfoPanel;
  private readonly legend = new LegendView();

  constructor(root: HTMLElement, private readonly context: DashboardContext) {
    this.root = root;
    root.classList.add("graph-dash");
    this.search = new SearchBox((q, signal) => api.search(this.state, q, signal), (hit) => void this.choose(hit));
    this.toolbar = new Toolbar(
      {
        pickGraph: (run, tag) => void this.pickGraph(run, tag),
        pickUpload: () => this.upload && void this.openUpload(this.upload.id),
        colour: (mode) => void this.setColour(mode),
        collapseAll: () => {
          this.state.expanded.clear();
          void this.refresh({ fit: true });
        },
        expandToDepth: (depth) => void this.refresh({ depth, fit: true }),
        fit: () => this.canvas.fit(),
        upload: (file) => void this.uploadFile(file),
        nodeData: (file) => void this.loadNodeData(file),
        downloadSvg: () => void this.download("svg"),
        downloadPng: () => void this.download("png"),
      },
      this.search.element,
    );
    this.info = new InfoPanel({
      toggleExpand: (name) => this.toggleExpand(name),
      setChoice: (name, choice) => this.setChoice(name, choice),
      setGrouped: (series, grouped) => this.setGrouped(series, grouped),
      toggleTrace: () => void this.toggleTrace(),
      centre: (name) => this.canvas.centreOn(name),
      reveal: (name) => void this.reveal(name),
    });
    const stage = el("div", { className: "graph-stage" });
    const side = el("aside", { className: "graph-side" }, this.legend.element, this.info.element);
    root.append(this.toolbar.element, el("div", { className: "graph-main" }, stage, side));
    this.canvas = new GraphCanvas(stage, {
      nodeClick: (node, header) => this.nodeClick(node, header),
      backgroundClick: () => void this.select(null),
    });
    stage.append(this.status);
    document.addEventListener("keydown", (event) => this.key(event));
    window.addEventListener("popstate", () => this.restore());
    context.onChange(() => void this.loadRuns());
    installDebugHook({
      canvas: this.canvas,
      state: () => this.state,
      view: () => this.view,
      busy: () => this.pending > 0,
      views: () => this.views,
    });
    void this.start();
  }

  private async start(): Promise<void> {
    await this.loadRuns();
    if (!this.pickSource()) return;
    await this.refresh({ fit: true, centre: this.state.selected ?? undefined });
  }

  /** Makes sure the state names a graph the server has; false when there is none. */
  private pickSource(): boolean {
    const s = this.state;
    if (s.upload) return true;
    const run = this.runs.find((r) => r.run === s.run) ?? this.runs[0];
    if (!run) {
      this.view = null;
      this.canvas.setScene(null);
      this.setStatus("No graph in this logdir. Upload a .pb, .pbtxt, .onnx, .pt2, .keras or .tflite file to view one.");
      return false;
    }
    if (run.run !== s.run) resetView(s);
    s.run = run.run;
    if (!run.tags.some((t) => t.tag === s.tag)) s.tag = run.tags[0].tag;
    return true;
  }

  private async loadRuns(): Promise<void> {
    try {
      const answer = await api.graphRuns();
      this.runs = answer.runs;
      this.toolbar.setUploadTypes(answer.upload_types);
    } catch (error) {
      this.setStatus((error as Error).message, true);
      return;
    }
    const selected = new Set(this.context.selectedRuns());
    const shown = this.runs.filter((r) => selected.has(r.run) || r.run === this.state.run);
    const listed = shown.length ? shown : this.runs;
    const key = JSON.stringify([listed, this.state.run, this.state.tag, this.state.upload]);
    if (key === this.runsShown) return; // live updates come often; leave open pickers alone
    this.runsShown = key;
    this.listed = listed;
    this.toolbar.setRuns(listed, this.upload?.name ?? null);
    this.toolbar.show(this.state.run, this.state.tag, !!this.state.upload);
  }

  /** Asks the server for the view of the current state and shows it. */
  private async refresh(options: RefreshOptions = {}): Promise<void> {
    const sequence = ++this.sequence;
    this.pending++;
    const timer = setTimeout(() => this.setStatus("Laying out…"), STATUS_DELAY_MS);
    try {
      const view = await api.fetchView(this.state, options.depth);
      clearTimeout(timer);
      if (sequence !== this.sequence) return;
      this.state.expanded = new Set(view.expanded);
      this.state.ungrouped = new Set(view.ungrouped);
      this.view = view;
      this.views++;
      saveState(this.state);
      this.setStatus("");
      const scene = new Scene(view);
      if (this.state.selected && !scene.byName.has(this.state.selected)) this.canvas.selected = null;
      else this.canvas.selected = this.state.selected;
      this.canvas.setScene(scene, options);
      if (options.centre) this.canvas.centreOn(options.centre, !options.fit);
      this.legend.render(view.legend);
      const { upload, name } = view.source;
      if (upload && name && this.upload?.id !== upload) {
        this.upload = { id: upload, name };
        this.toolbar.setRuns(this.listed, name);
      }
      if (this.state.colour !== "structure" && !view.available[this.state.colour]) {
        this.state.colour = "structure"; // a link may name a mode this graph has no data for
        void this.refresh();
        return;
      }
      this.toolbar.setColour(this.state.colour, view.available);
      this.toolbar.show(this.state.run, this.state.tag, !!this.state.upload);
      await Promise.all([this.showInfo(), this.showTrace()]);
    } catch (error) {
      if (sequence !== this.sequence) return;
      const gone = this.state.upload && error instanceof api.GraphApiError && error.status === 404;
      this.setStatus(gone ? "The uploaded graph is no longer on the server (it keeps uploads until it restarts): upload it again." : (error as Error).message, true);
    } finally {
      clearTimeout(timer);
      this.pending--;
    }
  }

  private async showInfo(): Promise<void> {
    const name = this.state.selected;
    if (!name) {
      this.info.empty();
      return;
    }
    this.pending++;
    try {
      const info = await api.fetchNode(this.state, name);
      if (this.state.selected === name) this.info.render(info, this.view?.nodes.find((n) => n.name === name), this.state.trace);
    } catch (error) {
      if (this.state.selected === name) this.info.empty((error as Error).message);
    } finally {
      this.pending--;
    }
  }

  private async showTrace(): Promise<void> {
    const name = this.state.selected;
    if (!this.state.trace || !name) {
      this.canvas.traced = null;
      this.canvas.requestDraw();
      return;
    }
    this.pending++;
    try {
      const trace = await api.fetchTrace(this.state, name);
      if (this.state.selected === name && this.state.trace) this.canvas.traced = new Set(trace.nodes);
    } catch (error) {
      this.setStatus((error as Error).message, true);
    } finally {
      this.pending--;
      this.canvas.requestDraw();
    }
  }

  private async select(name: string | null): Promise<void> {
    if (name === this.state.selected) return;
    this.state.selected = name;
    if (!name) this.state.trace = false;
    this.canvas.selected = name;
    this.canvas.requestDraw();
    saveState(this.state);
    await Promise.all([this.showInfo(), this.showTrace()]);
  }

  private nodeClick(node: DrawNode, header: boolean): void {
    const name = node.data.name;
    void this.select(name);
    if (node.data.kind === "op" || (node.data.expanded && !header)) return;
    this.toggleExpand(name);
  }

  private toggleExpand(name: string): void {
    const expanded = this.view?.nodes.find((n) => n.name === name)?.expanded ?? this.state.expanded.has(name);
    if (expanded) this.state.expanded.delete(name);
    else this.state.expanded.add(name);
    void this.refresh({ anchor: name });
  }

  private setChoice(name: string, choice: "include" | "exclude" | null): void {
    this.state.include.delete(name);
    this.state.exclude.delete(name);
    if (choice) this.state[choice].add(name);
    const parent = this.view?.nodes.find((n) => n.name === name)?.parent;
    void this.refresh({ anchor: parent || name });
  }

  private setGrouped(series: string, grouped: boolean): void {
    if (grouped) this.state.ungrouped.delete(series);
    else this.state.ungrouped.add(series);
    const parent = series.includes("/") ? series.slice(0, series.lastIndexOf("/")) : null;
    void this.refresh({ anchor: parent });
  }

  private async toggleTrace(): Promise<void> {
    if (!this.state.selected) return;
    this.state.trace = !this.state.trace;
    saveState(this.state);
    await Promise.all([this.showInfo(), this.showTrace()]);
  }

  private async setColour(mode: ColourMode): Promise<void> {
    this.state.colour = mode;
    await this.refresh();
  }

  /** Expands what hides a search hit, selects it and centres it. */
  private async choose(hit: SearchHit): Promise<void> {
    hit.expand.forEach((name) => this.state.expanded.add(name));
    this.state.selected = hit.target;
    this.canvas.selected = hit.target;
    await this.refresh({ centre: hit.target });
  }

  private async reveal(name: string): Promise<void> {
    const result = await api.search(this.state, `^${escapeRegex(name)}$`);
    const hit = result.hits.find((h) => h.name === name);
    if (hit) await this.choose(hit);
  }

  private async pickGraph(run: string, tag: string | null): Promise<void> {
    const s = this.state;
    if (!s.upload && s.run === run && (tag === null || s.tag === tag)) return;
    s.upload = null;
    s.run = run;
    s.tag = tag;
    resetView(s);
    this.pickSource();
    saveState(s, true);
    await this.refresh({ fit: true });
  }

  private async openUpload(id: string): Promise<void> {
    this.state.upload = id;
    resetView(this.state);
    saveState(this.state, true);
    await this.refresh({ fit: true });
  }

  private async uploadFile(file: File): Promise<void> {
    this.setStatus(`Reading ${file.name}…`);
    this.pending++;
    try {
      const result = await api.upload(file);
      this.upload = { id: result.id, name: result.name };
      this.toolbar.setRuns(this.listed, result.name);
      await this.openUpload(result.id);
    } catch (error) {
      this.setStatus(`${file.name}: ${(error as Error).message}`, true);
    } finally {
      this.pending--;
    }
  }

  private async loadNodeData(file: File): Promise<void> {
    try {
      const result = await api.uploadNodeData(this.state, file);
      this.setStatus(`${file.name}: ${result.matched} nodes with ${result.name}`);
      await this.setColour("node_data");
    } catch (error) {
      this.setStatus(`${file.name}: ${(error as Error).message}`, true);
    }
  }

  private async download(format: "svg" | "png"): Promise<void> {
    const s = this.state;
    const base = (s.upload ? (this.upload?.name ?? "graph") : `${s.run}-${s.tag}`).replace(/[^\w.-]+/g, "_");
    try {
      const blob = format === "svg" ? await api.fetchSvg(s) : await this.canvas.exportPng();
      saveBlob(blob, `${base}.${format}`);
    } catch (error) {
      this.setStatus((error as Error).message, true);
    }
  }

  /** Back and forward: reopen the graph and view the URL now names. */
  private restore(): void {
    if (this.root.hidden || !this.root.isConnected) return;
    const next = loadState();
    const same = next.run === this.state.run && next.tag === this.state.tag && next.upload === this.state.upload;
    this.state = next;
    if (this.pickSource()) void this.refresh({ fit: !same });
  }

  private key(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (this.root.hidden || !this.root.isConnected || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("input, textarea, select")) return;
    const actions: Record<string, () => void> = {
      "/": () => this.search.focus(),
      Escape: () => void this.select(null),
      f: () => this.canvas.fit(),
      "+": () => this.canvas.zoom(1.25),
      "=": () => this.canvas.zoom(1.25),
      "-": () => this.canvas.zoom(0.8),
      i: () => void this.toggleTrace(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private setStatus(message: string, error = false): void {
    this.status.textContent = message;
    this.status.classList.toggle("error", error);
  }
}

export const graphDashboard: Dashboard = {
  id: "graphs",
  title: "Graphs",
  plugins: ["graphs", "graph_run_metadata", "graph_run_metadata_graph", "graph_keras_model"],
  usableWithoutData: true,
  mount: (root, context) => void new GraphDashboard(root, context),
};
