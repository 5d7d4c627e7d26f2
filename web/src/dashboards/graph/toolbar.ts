// The toolbar: graph picker (run and tag, or an upload), colour mode, collapse and
// expand-to-depth, fit, search, upload and downloads.

import { button, el } from "./dom";
import { COLOUR_MODES, type ColourMode, type GraphRuns, type GraphTag } from "./types";

export interface ToolbarActions {
  pickGraph(run: string, tag: string | null): void;
  pickUpload(): void;
  colour(mode: ColourMode): void;
  collapseAll(): void;
  expandToDepth(depth: number): void;
  fit(): void;
  upload(file: File): void;
  nodeData(file: File): void;
  downloadSvg(): void;
  downloadPng(): void;
}

const COLOUR_NAMES: Record<ColourMode, string> = {
  structure: "Structure",
  device: "Device",
  xla: "XLA cluster",
  compute_time: "Compute time",
  memory: "Memory",
  node_data: "Node data",
};

const UPLOAD = "\0upload";

function tagLabel(tag: GraphTag): string {
  switch (tag.kind) {
    case "op":
      return tag.tag === "__run_graph__" ? "Op graph" : `Op graph: ${tag.tag}`;
    case "trace":
      return `Traced graph: ${tag.tag}`;
    case "conceptual":
      return `Conceptual graph: ${tag.tag}`;
    case "profile":
      return `Profile: ${tag.tag}`;
  }
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return el("label", {}, text, control);
}

export class Toolbar {
  readonly element = el("div", { className: "graph-toolbar" });
  readonly run = el("select", { className: "graph-run" });
  readonly tag = el("select", { className: "graph-tag" });
  readonly colour = el("select", { className: "graph-colour" });
  readonly depth = el("select", { className: "graph-depth" });
  /** The upload picker; the server tells which file types it takes. */
  private readonly file = el("input");
  private runs: GraphRuns["runs"] = [];
  private uploadName: string | null = null;
  private available: Record<string, boolean> = {};
  private mode: ColourMode = "structure";

  constructor(actions: ToolbarActions, search: HTMLElement) {
    this.run.setAttribute("aria-label", "Run");
    this.tag.setAttribute("aria-label", "Graph");
    this.colour.setAttribute("aria-label", "Colour by");
    this.depth.setAttribute("aria-label", "Expand to depth");
    this.run.addEventListener("change", () => {
      if (this.run.value === UPLOAD) actions.pickUpload();
      else actions.pickGraph(this.run.value, null);
    });
    this.tag.addEventListener("change", () => actions.pickGraph(this.run.value, this.tag.value));
    this.colour.append(...COLOUR_MODES.map((mode) => new Option(COLOUR_NAMES[mode], mode)));
    const data = el("input");
    data.type = "file";
    data.accept = ".json";
    data.hidden = true;
    data.className = "graph-node-data";
    data.addEventListener("change", () => {
      if (data.files?.[0]) actions.nodeData(data.files[0]);
      data.value = "";
    });
    this.colour.addEventListener("change", () => {
      const mode = this.colour.value as ColourMode;
      if (mode === "node_data" && !this.available.node_data) {
        this.colour.value = this.mode; // stays until a node data file is loaded
        data.click();
        return;
      }
      actions.colour(mode);
    });
    this.depth.append(new Option("Expand to…", ""), ...[1, 2, 3, 4, 5, 6, 7, 8].map((d) => new Option(`${d} level${d > 1 ? "s" : ""}`, String(d))));
    this.depth.addEventListener("change", () => {
      const depth = Number(this.depth.value);
      this.depth.value = "";
      if (depth) actions.expandToDepth(depth);
    });
    const file = this.file;
    file.type = "file";
    file.hidden = true;
    file.className = "graph-file";
    file.addEventListener("change", () => {
      if (file.files?.[0]) actions.upload(file.files[0]);
      file.value = "";
    });
    this.element.append(
      labelled("Run", this.run),
      labelled("Graph", this.tag),
      labelled("Colour", this.colour),
      button("Collapse all", () => actions.collapseAll(), "Collapse every group"),
      this.depth,
      button("Fit", () => actions.fit(), "Show the whole graph (f)"),
      search,
      el("span", { className: "spacer" }),
      button("Upload…", () => file.click(), "View a GraphDef (.pb, .pbtxt) or a model (.onnx, .pt2, .keras, .tflite) from your computer"),
      file,
      data,
      button("SVG", () => actions.downloadSvg(), "Download the current view as SVG"),
      button("PNG", () => actions.downloadPng(), "Download the current view as PNG"),
    );
  }

  setUploadTypes(suffixes: string[]): void {
    this.file.accept = suffixes.join(",");
  }

  setRuns(runs: GraphRuns["runs"], uploadName: string | null): void {
    this.runs = runs;
    this.uploadName = uploadName;
  }

  /** Shows the current graph in the pickers. */
  show(run: string | null, tag: string | null, upload: boolean): void {
    const options = this.runs.map((r) => new Option(r.run, r.run));
    if (this.uploadName) options.push(new Option(`Uploaded: ${this.uploadName}`, UPLOAD));
    this.run.replaceChildren(...options);
    this.run.value = upload ? UPLOAD : (run ?? "");
    const tags = upload ? [] : (this.runs.find((r) => r.run === run)?.tags ?? []);
    this.tag.replaceChildren(...tags.map((t) => new Option(tagLabel(t), t.tag)));
    this.tag.value = tag ?? tags[0]?.tag ?? "";
    this.tag.disabled = tags.length < 2;
  }

  setColour(mode: ColourMode, available: Record<string, boolean>): void {
    this.available = available;
    this.mode = mode;
    for (const option of this.colour.options) {
      // node data is offered always: choosing it asks for the file
      const offered = option.value === "structure" || option.value === "node_data";
      option.disabled = !offered && !available[option.value];
      option.title = option.disabled ? "This graph has no data for it" : "";
    }
    const nodeData = [...this.colour.options].find((option) => option.value === "node_data");
    if (nodeData) nodeData.title = "Colour the nodes by a JSON file of values keyed by node name";
    this.colour.value = mode;
  }
}
