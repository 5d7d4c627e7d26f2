// Tags across runs, grouped by their first path component as TensorBoard does.

import type { DashboardContext } from "../../dashboard";
import { el } from "./dom";

/** Tags of `plugin` in the selected runs, in first-seen order, with the runs having each. */
export function tagsOf(context: DashboardContext, plugin: string): Map<string, string[]> {
  const selected = new Set(context.selectedRuns());
  const found = new Map<string, string[]>();
  for (const run of context.runs()) {
    if (!selected.has(run.name)) continue;
    for (const tag of run.tags[plugin] ?? []) {
      const runs = found.get(tag);
      if (runs) runs.push(run.name);
      else found.set(tag, [run.name]);
    }
  }
  return found;
}

export function groupOf(tag: string): string {
  const slash = tag.indexOf("/");
  return slash > 0 ? tag.slice(0, slash) : tag;
}

/** Tags grouped by `groupOf`, groups in name order, tags in name order within each. */
export function groupTags(tags: Iterable<string>): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const tag of tags) {
    const group = groupOf(tag);
    const list = groups.get(group);
    if (list) list.push(tag);
    else groups.set(group, [tag]);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  return [...groups.entries()].sort(([a], [b]) => byName(a, b)).map(([group, list]) => [group, list.sort(byName)]);
}

/** A collapsible section of cards under a group header. */
export function groupSection(group: string, count: number, grid: HTMLElement): HTMLElement {
  const header = el("button", { class: "group-header", type: "button", "aria-expanded": "true" }, el("span", { class: "group-name" }, group), el("span", { class: "group-count" }, String(count)));
  header.addEventListener("click", () => {
    grid.hidden = !grid.hidden;
    header.setAttribute("aria-expanded", String(!grid.hidden));
  });
  return sized(el("section", { class: "group", "data-group": group }, header, grid), count);
}

/** Tells a group how many cards it holds, so that groups of few cards share a row
 * (in a `.group-flow` body) instead of each leaving the rest of its row empty. */
export function sized(section: HTMLElement, cards: number): HTMLElement {
  section.style.setProperty("--cards", String(Math.max(1, cards)));
  return section;
}
