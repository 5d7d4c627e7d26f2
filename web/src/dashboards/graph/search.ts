// The search box: names or regexes, results as you type; choosing one reveals it.

import { el } from "./dom";
import type { SearchHit, SearchResult } from "./types";

const DEBOUNCE_MS = 120;

export class SearchBox {
  readonly element = el("div", { className: "graph-search" });
  readonly input = el("input");
  private readonly list = el("ul", {});
  private hits: SearchHit[] = [];
  private active = 0;
  private timer = 0;
  private controller: AbortController | null = null;

  constructor(
    private readonly query: (q: string, signal: AbortSignal) => Promise<SearchResult>,
    private readonly choose: (hit: SearchHit) => void,
  ) {
    this.input.type = "search";
    this.input.placeholder = "Search nodes (regex)  /";
    this.input.setAttribute("aria-label", "Search nodes by name or regex");
    this.list.hidden = true;
    this.list.setAttribute("role", "listbox");
    this.list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
    this.element.append(this.input, this.list);
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.run(), DEBOUNCE_MS);
    });
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => (this.list.hidden = true));
    this.input.addEventListener("focus", () => (this.list.hidden = !this.list.childElementCount));
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  private async run(): Promise<void> {
    this.controller?.abort();
    const q = this.input.value.trim();
    if (!q) {
      this.show(null);
      return;
    }
    this.controller = new AbortController();
    try {
      this.show(await this.query(q, this.controller.signal));
    } catch (error) {
      if ((error as Error).name !== "AbortError") this.show(null, (error as Error).message);
    }
  }

  private show(result: SearchResult | null, error = ""): void {
    this.hits = result?.hits ?? [];
    this.active = 0;
    const items = this.hits.map((hit, i) => {
      const li = el("li", {}, el("span", { className: "name", text: hit.name }), el("span", { className: "kind", text: hit.op ?? hit.kind }));
      li.setAttribute("role", "option");
      li.dataset.name = hit.name;
      li.addEventListener("click", () => this.pick(i));
      return li;
    });
    const summary = error || (result ? (result.total ? `${result.total} match${result.total === 1 ? "" : "es"}${result.total > this.hits.length ? `, first ${this.hits.length}` : ""}` : "No match") : "");
    if (summary) items.unshift(el("li", { className: "summary", text: summary }));
    this.list.replaceChildren(...items);
    this.list.dataset.query = result?.query ?? "";
    this.list.hidden = !items.length || document.activeElement !== this.input;
    this.highlight();
  }

  private highlight(): void {
    this.list.querySelectorAll("li[role=option]").forEach((li, i) => li.setAttribute("aria-selected", String(i === this.active)));
    this.list.querySelector("[aria-selected=true]")?.scrollIntoView({ block: "nearest" });
  }

  private key(event: KeyboardEvent): void {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!this.hits.length) return;
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : this.hits.length - 1)) % this.hits.length;
      this.highlight();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (this.hits.length) this.pick(this.active);
      else {
        clearTimeout(this.timer);
        void this.run().then(() => this.pick(0));
      }
    } else if (event.key === "Escape") {
      this.list.hidden = true;
      this.input.blur();
    }
  }

  private pick(index: number): void {
    const hit = this.hits[index];
    if (!hit) return;
    this.list.hidden = true;
    this.input.blur();
    this.choose(hit);
  }
}
