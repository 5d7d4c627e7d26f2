// The legend of the colour mode, with a key to shapes and edges.

import { el } from "./dom";
import { formatBytes, formatMicros } from "./format";
import { cssColour } from "./palette";
import type { Legend } from "./types";

const TITLES: Record<string, string> = {
  structure: "Structure",
  device: "Device",
  xla: "XLA cluster",
  compute_time: "Compute time",
  memory: "Memory",
  node_data: "Node data",
};

const KEY = [
  "◯ op (constants and summaries beside it)",
  "▭ name scope: click to expand",
  "▭▭ series of numbered siblings",
  "┅ box: part of a very wide scope",
  "— edge width: tensor size; label: shape",
  "┄ control dependency",
  "orange edge: reference (the op mutates its input)",
];

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = "") => el(tag, { className, text });

export class LegendView {
  readonly element = element("details", "graph-legend");

  constructor() {
    this.element.open = true;
  }

  render(legend: Legend): void {
    const title = element("summary", "", `Colour: ${TITLES[legend.mode] ?? legend.mode}`);
    const list = element("ul");
    for (const item of legend.items) {
      const li = element("li");
      const swatch = element("span", "swatch");
      swatch.style.background = cssColour(item.colour);
      li.append(swatch, element("span", "", item.label));
      list.append(li);
    }
    const parts: HTMLElement[] = [title, list];
    if (legend.scale) {
      const bar = element("div", "gradient");
      bar.style.background = `linear-gradient(to right, ${legend.scale.low}, ${legend.scale.high})`;
      const unit = legend.scale.unit;
      const format =
        unit === "us" ? formatMicros : unit === "bytes" ? formatBytes : (value: number) => `${value.toPrecision(3)} ${unit}`;
      const ends = element("div", "ends");
      ends.append(element("span", "", format(0)), element("span", "", format(legend.scale.max)));
      parts.push(bar, ends);
    }
    if (legend.note) parts.push(element("p", "note", legend.note));
    const key = element("details", "key");
    key.append(element("summary", "", "Shapes and edges"), ...KEY.map((line) => element("div", "", line)));
    parts.push(key);
    this.element.dataset.mode = legend.mode;
    this.element.replaceChildren(...parts);
  }
}
