// The hover readout of a scalar card: every run at the hovered x, sorted as chosen.

import { formatDuration, formatStep, formatValue, formatWallTime } from "../../charts/format";
import { el } from "../common/dom";
import type { HoverRow } from "./chart";
import type { ScalarSettings } from "./settings";

export function renderTooltip(box: HTMLElement, rows: HoverRow[], cursorValue: number, settings: ScalarSettings): void {
  const smoothing = settings.smoothing > 0;
  const shown = (row: HoverRow) => (smoothing ? row.line.smoothed[row.index] : Number(row.line.raw[row.index]));
  const sorted = [...rows];
  if (settings.tooltipSort === "descending") sorted.sort((a, b) => shown(b) - shown(a));
  else if (settings.tooltipSort === "ascending") sorted.sort((a, b) => shown(a) - shown(b));
  else if (settings.tooltipSort === "nearest") sorted.sort((a, b) => Math.abs(shown(a) - cursorValue) - Math.abs(shown(b) - cursorValue));
  const head = el("tr", {}, el("th"), el("th", {}, "Run"), smoothing && el("th", {}, "Smoothed"), el("th", {}, "Value"), el("th", {}, "Step"), el("th", {}, "Relative"), el("th", {}, "Time"));
  const body = sorted.map(({ line, index }) => {
    const wall = line.series.wall; // "…" until fetched
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = line.color;
    return el(
      "tr",
      {},
      el("td", {}, swatch),
      el("td", { class: "run-name" }, line.run),
      smoothing && el("td", {}, formatValue(line.smoothed[index])),
      el("td", {}, formatValue(Number(line.raw[index]))),
      el("td", {}, formatStep(Number(line.step[index]))),
      el("td", {}, wall ? formatDuration(wall.offset[index] - wall.offset[0]) : "…"),
      el("td", {}, wall ? formatWallTime(wall.start + wall.offset[index]) : "…"),
    );
  });
  box.replaceChildren(el("table", {}, el("thead", {}, head), el("tbody", {}, ...body)));
}
