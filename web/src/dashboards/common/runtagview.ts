// A dashboard body of one card per (tag, run), grouped by tag prefix, with a tag filter;
// cards load when they come near the viewport and again when their run changes.

import type { DashboardContext } from "../../dashboard";
import { readState, updateState } from "../../state";
import { textFilter } from "./controls";
import { el, message, userRegex } from "./dom";
import { Visibility } from "./lazy";
import { groupSection, groupTags, tagsOf } from "./tags";
import "./dashboards.css";

export interface Card {
  element: HTMLElement;
  /** Loads and draws; `version` changes whenever the run has new data. */
  load(version: number): void | Promise<void>;
  destroy(): void;
}

export interface RunTagOptions {
  /** The dashboard's id, used for its URL state. */
  id: string;
  /** The plugin whose tags make the cards. */
  plugin: string;
  noun: string;
  createCard(tag: string, run: string): Card;
  /** Extra controls for the toolbar. */
  controls?: HTMLElement[];
  /** Small cards (images, audio, text) fit more per row. */
  small?: boolean;
}

interface Entry {
  card: Card;
  run: string;
  loaded: number;
}

export class RunTagView {
  private readonly entries = new Map<string, Entry>();
  private readonly body = el("div", { class: "dash-body group-flow" });
  private readonly visibility: Visibility;
  private filter: string;

  constructor(
    root: HTMLElement,
    private readonly context: DashboardContext,
    private readonly options: RunTagOptions,
  ) {
    this.filter = readState().get(this.filterKey) ?? "";
    const filter = textFilter("Filter tags (regex)", this.filter, (value) => {
      this.filter = value;
      updateState({ [this.filterKey]: value || null });
      this.render();
    });
    root.classList.add("dash");
    root.append(el("div", { class: "dash-toolbar" }, filter, ...(options.controls ?? [])), this.body);
    this.visibility = new Visibility(root.closest<HTMLElement>(".content"));
    context.onChange(() => this.render());
    this.render();
  }

  /** Every card, for debug hooks. */
  cards(): Card[] {
    return [...this.entries.values()].map((entry) => entry.card);
  }

  private get filterKey(): string {
    return `tags.${this.options.id}`;
  }

  private render(): void {
    const tags = tagsOf(this.context, this.options.plugin);
    const versions = new Map(this.context.runs().map((run) => [run.name, run.version]));
    const pattern = userRegex(this.filter);
    const shown = [...tags.keys()].filter((tag) => !pattern || pattern.test(tag));
    const wanted = new Set<string>();
    const sections: HTMLElement[] = groupTags(shown).map(([group, list]) => {
      const grid = el("div", { class: `card-grid${this.options.small ? " small" : ""}` });
      let count = 0;
      for (const tag of list) {
        for (const run of tags.get(tag)!) {
          const key = JSON.stringify([tag, run]);
          wanted.add(key);
          const entry = this.entry(key, tag, run);
          grid.append(entry.card.element);
          count++;
          if (this.visibility.visible.has(entry.card.element)) this.load(entry, versions);
        }
      }
      const section = groupSection(group, count, grid);
      section.classList.toggle("small", !!this.options.small);
      return section;
    });
    for (const [key, entry] of this.entries) {
      if (wanted.has(key)) continue;
      this.visibility.unwatch(entry.card.element);
      entry.card.destroy();
      this.entries.delete(key);
    }
    if (!tags.size) sections.push(message(`No ${this.options.noun} in the selected runs.`));
    else if (!shown.length) sections.push(message(pattern === undefined ? "The tag filter is not a valid regular expression." : "No tag matches the filter."));
    this.body.replaceChildren(...sections);
  }

  private entry(key: string, tag: string, run: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { card: this.options.createCard(tag, run), run, loaded: -1 };
      this.visibility.watch(created.card.element, (visible) => {
        if (visible) this.load(created, new Map(this.context.runs().map((r) => [r.name, r.version])));
      });
      this.entries.set(key, created);
      entry = created;
    }
    return entry;
  }

  private load(entry: Entry, versions: Map<string, number>): void {
    const version = versions.get(entry.run) ?? 0;
    if (entry.loaded === version) return;
    entry.loaded = version;
    void entry.card.load(version);
  }
}

/** The header of a (tag, run) card: the tag, and the run in its colour. */
export function cardHeader(tag: string, run: string, color: string, ...actions: HTMLElement[]): HTMLElement {
  const swatch = el("span", { class: "swatch" });
  swatch.style.background = color;
  return el(
    "header",
    { class: "card-header" },
    el("div", { class: "card-titles" }, el("div", { class: "card-title", title: tag }, tag), el("div", { class: "card-subtitle" }, swatch, el("span", { class: "run-label", title: run }, run))),
    el("span", { class: "card-actions" }, ...actions),
  );
}
