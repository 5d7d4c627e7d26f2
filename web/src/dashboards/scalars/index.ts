// The Scalars dashboard: a card per tag, grouped by tag prefix, with pinned cards on top.

import "../common/dashboards.css";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { registerDebug } from "../common/debug";
import { el, message, userRegex } from "../common/dom";
import { Visibility } from "../common/lazy";
import { groupTags, sized, tagsOf } from "../common/tags";
import { ScalarCard } from "./card";
import { readSettings, writeSettings, type ScalarSettings } from "./settings";
import { ScalarStore, type RunVersion } from "./store";
import { toolbar } from "./toolbar";

class ScalarsView {
  private settings: ScalarSettings = readSettings();
  private readonly store = new ScalarStore();
  private readonly cards = new Map<string, ScalarCard>();
  private readonly body = el("div", { class: "dash-body group-flow" });
  private readonly visibility: Visibility;
  private readonly collapsed = new Set<string>();

  constructor(
    root: HTMLElement,
    private readonly context: DashboardContext,
  ) {
    root.classList.add("dash");
    root.append(toolbar(this.settings, (patch) => this.changeSettings({ ...this.settings, ...patch })), this.body);
    this.visibility = new Visibility(root.closest<HTMLElement>(".content"));
    context.onChange(() => this.render());
    registerDebug("scalars", () => [...this.cards.values()].map((card) => card.debugInfo()));
    this.render();
  }

  private changeSettings(next: ScalarSettings): void {
    const redraw = ["smoothing", "xAxis", "logY", "ignoreOutliers"].some(
      (key) => next[key as keyof ScalarSettings] !== this.settings[key as keyof ScalarSettings],
    );
    this.settings = next;
    writeSettings(next);
    if (redraw) for (const card of this.cards.values()) card.invalidate();
    this.render();
  }

  private togglePin(tag: string): void {
    const pinned = this.settings.pinned.includes(tag)
      ? this.settings.pinned.filter((t) => t !== tag)
      : [...this.settings.pinned, tag];
    this.changeSettings({ ...this.settings, pinned });
  }

  /** Builds the groups and cards for the current runs, tags and filter; loads visible cards. */
  private render(): void {
    const tags = tagsOf(this.context, "scalars");
    const versions = new Map(this.context.runs().map((run) => [run.name, run.version]));
    const filter = userRegex(this.settings.tagFilter);
    const shown = [...tags.keys()].filter((tag) => !filter || filter.test(tag));
    const groups: Array<[string, string[], boolean]> = [];
    const pinned = this.settings.pinned.filter((tag) => tags.has(tag));
    if (pinned.length) groups.push(["Pinned", pinned, true]);
    for (const [group, list] of groupTags(shown)) groups.push([group, list, false]);

    const wanted = new Set<string>();
    const shownCards: ScalarCard[] = [];
    const sections = groups.map(([group, list, isPinned]) => {
      const grid = el("div", { class: "card-grid" });
      for (const tag of list) {
        const key = `${isPinned ? "pin" : "tag"}:${tag}`;
        wanted.add(key);
        const card = this.card(key, tag, isPinned);
        card.setRuns(tags.get(tag)!.map((name): RunVersion => ({ name, version: versions.get(name) ?? 0 })));
        grid.append(card.element);
        shownCards.push(card);
      }
      return this.section(group, list.length, grid, isPinned);
    });
    for (const [key, card] of this.cards) {
      if (wanted.has(key)) continue;
      this.visibility.unwatch(card.element);
      card.destroy();
      this.cards.delete(key);
    }
    if (!tags.size) sections.push(message("No scalar data in the selected runs."));
    else if (!shown.length) sections.push(message(filter === undefined ? "The tag filter is not a valid regular expression." : "No tag matches the filter."));
    this.body.replaceChildren(...sections);
    for (const card of shownCards) {
      if (this.visibility.visible.has(card.element) || this.visibility.near(card.element)) void card.load();
    }
  }

  private card(key: string, tag: string, pinned: boolean): ScalarCard {
    let card = this.cards.get(key);
    if (!card) {
      card = new ScalarCard(tag, pinned, this.store, {
        togglePin: (t) => this.togglePin(t),
        settings: () => this.settings,
      });
      const created = card;
      this.visibility.watch(card.element, (visible) => visible && void created.load());
      this.cards.set(key, card);
    }
    return card;
  }

  private section(group: string, count: number, grid: HTMLElement, pinned: boolean): HTMLElement {
    const id = `${pinned ? "pinned" : "group"}:${group}`;
    const header = el(
      "button",
      { class: "group-header", type: "button", "aria-expanded": String(!this.collapsed.has(id)) },
      el("span", { class: "group-name" }, group),
      el("span", { class: "group-count" }, String(count)),
    );
    const section = sized(el("section", { class: `group${pinned ? " pinned" : ""}`, "data-group": group }, header, grid), count);
    grid.hidden = this.collapsed.has(id);
    header.addEventListener("click", () => {
      if (this.collapsed.has(id)) this.collapsed.delete(id);
      else this.collapsed.add(id);
      grid.hidden = this.collapsed.has(id);
      header.setAttribute("aria-expanded", String(!grid.hidden));
    });
    return section;
  }
}

export const scalarsDashboard: Dashboard = {
  id: "scalars",
  title: "Scalars",
  plugins: ["scalars"],
  mount(root: HTMLElement, context: DashboardContext) {
    new ScalarsView(root, context);
  },
};
