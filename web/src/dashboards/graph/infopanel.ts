// The info panel of the selected node, with the actions that change how it is shown.

import { button, el } from "./dom";
import { formatBytes, formatMicros } from "./format";
import type { EdgeEnd, NodeInfo, ViewNode } from "./types";

export interface InfoActions {
  toggleExpand(name: string): void;
  setChoice(name: string, choice: "include" | "exclude" | null): void;
  setGrouped(series: string, grouped: boolean): void;
  toggleTrace(): void;
  centre(name: string): void;
  /** Shows (expanding its ancestors) and selects the node drawn for an op. */
  reveal(name: string): void;
}

const KINDS: Record<string, string> = { op: "op", meta: "name scope", series: "series", chunk: "part of a wide scope" };
const COLUMNS: Record<string, string> = { main: "main graph", in: "input column (left)", out: "output column (right)" };

function row(list: HTMLDListElement, term: string, value: string | Node | null | undefined): void {
  if (value === null || value === undefined || value === "") return;
  list.append(el("dt", { text: term }), el("dd", {}, value));
}

export class InfoPanel {
  readonly element = el("div", { className: "graph-info" });

  constructor(private readonly actions: InfoActions) {
    this.empty();
  }

  empty(message = "Click a node to see its details. Click a group to expand it."): void {
    delete this.element.dataset.node;
    this.element.replaceChildren(el("p", { className: "empty", text: message }));
  }

  render(info: NodeInfo, shown: ViewNode | undefined, tracing: boolean): void {
    const a = this.actions;
    this.element.dataset.node = info.name;
    const parts: Node[] = [el("h3", { text: info.label }), el("div", { className: "path", text: info.name })];

    const actions = el("div", { className: "actions" });
    if (info.kind !== "op" && shown) actions.append(button(shown.expanded ? "Collapse" : "Expand", () => a.toggleExpand(info.name)));
    if (shown) actions.append(button("Centre", () => a.centre(info.name), "Centre it in the view"));
    const trace = button("Trace inputs", () => a.toggleTrace(), "Highlight everything it depends on (i)");
    trace.setAttribute("aria-pressed", String(tracing));
    actions.append(trace);
    if (shown && shown.column === "main") {
      actions.append(button("Move out of main graph", () => a.setChoice(info.name, "exclude"), "Move it to a side column of its scope"));
    } else if (shown) {
      actions.append(button("Move into main graph", () => a.setChoice(info.name, "include"), "Keep it in the main graph of its scope"));
    }
    if (info.choice) actions.append(button("Automatic placement", () => a.setChoice(info.name, null)));
    if (info.series?.grouped) actions.append(button("Ungroup series", () => a.setGrouped(info.series!.name, false)));
    else if (info.series) actions.append(button(`Group series ${info.series.name.split("/").pop()}`, () => a.setGrouped(info.series!.name, true)));
    parts.push(actions);

    const facts = el("dl");
    row(facts, "Kind", KINDS[info.kind]);
    row(facts, "Op", info.op);
    row(facts, "Device", info.device);
    row(facts, "Function", info.function);
    const size = [`${info.stats.op_count} op${info.stats.op_count === 1 ? "" : "s"}`];
    if (info.children !== undefined) size.push(`${info.children} children`);
    if (info.members !== undefined) size.push(`${info.members} members`);
    if (info.kind !== "op") row(facts, "Subgraph", size.join(", "));
    if (info.template_groups > 1) row(facts, "Structure", `same as ${info.template_groups - 1} other group${info.template_groups > 2 ? "s" : ""}`);
    if (info.stats.node_data != null) row(facts, "Node data", info.stats.node_data.toPrecision(4));
    if (info.stats.compute_time_us !== undefined) row(facts, "Compute time", formatMicros(info.stats.compute_time_us));
    if (info.stats.memory_bytes !== undefined) row(facts, "Memory", formatBytes(info.stats.memory_bytes));
    if (shown) row(facts, "Placed in", COLUMNS[shown.column] + (info.choice ? " (your choice)" : ""));
    const clusters = Object.keys(info.stats.xla_clusters);
    if (clusters.length) row(facts, "XLA cluster", clusters.slice(0, 3).join(", "));
    parts.push(facts);

    if (info.attrs.length) {
      const attrs = el("dl");
      for (const { key, value } of info.attrs) row(attrs, key, el("code", { text: value }));
      parts.push(el("h4", { text: "Attributes" }), attrs);
    }
    parts.push(...this.ends("Inputs", info.inputs, info.inputs_total));
    parts.push(...this.ends("Outputs", info.outputs, info.outputs_total));
    if (info.constants.length) parts.push(el("h4", { text: "Constants" }), this.names(info.constants));
    if (info.summaries.length) parts.push(el("h4", { text: "Summaries" }), this.names(info.summaries));
    this.element.replaceChildren(...parts);
  }

  private ends(title: string, ends: EdgeEnd[], total: number): Node[] {
    if (!ends.length) return [];
    const list = el("ul");
    for (const end of ends) {
      const link = el("a", { text: end.name, title: `${end.name}${end.op ? ` (${end.op})` : ""}` });
      if (end.node) link.addEventListener("click", () => this.actions.reveal(end.node!));
      const shape = [end.shape, end.control ? "control" : "", end.count > 1 ? `×${end.count}` : ""].filter(Boolean).join(" ");
      list.append(el("li", {}, link, el("span", { className: "shape", text: shape })));
    }
    const heading = el("h4", { text: `${title} (${total})` });
    const more = total > ends.length ? [el("div", { className: "more", text: `and ${total - ends.length} more` })] : [];
    return [heading, list, ...more];
  }

  private names(names: string[]): HTMLElement {
    return el("ul", {}, ...names.map((name) => el("li", { text: name })));
  }
}
