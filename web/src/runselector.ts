// The run selector: a regex filter, a checkbox per run in its stable colour.

import { runColor } from "./colors";
import { readState, updateState } from "./state";

export class RunSelector {
  private runs: string[] = [];
  private readonly list: HTMLElement;
  private readonly filter: HTMLInputElement;

  constructor(root: HTMLElement, private readonly changed: () => void) {
    root.innerHTML = `
      <input class="run-filter" type="search" placeholder="Filter runs (regex)" aria-label="Filter runs">
      <div class="run-actions"><button data-all>All</button><button data-none>None</button></div>
      <ul class="run-list"></ul>`;
    this.filter = root.querySelector(".run-filter")!;
    this.list = root.querySelector(".run-list")!;
    this.filter.value = readState().get("runFilter") ?? "";
    this.filter.addEventListener("input", () => {
      updateState({ runFilter: this.filter.value || null });
      this.render();
      this.changed();
    });
    root.querySelector("[data-all]")!.addEventListener("click", () => this.setDeselected([]));
    root.querySelector("[data-none]")!.addEventListener("click", () => this.setDeselected(this.visible()));
  }

  setRuns(runs: string[]): void {
    this.runs = runs;
    this.render();
  }

  /** Runs that pass the filter and are checked. */
  selected(): string[] {
    const off = new Set(readState().getAll("off"));
    return this.visible().filter((run) => !off.has(run));
  }

  private visible(): string[] {
    let pattern: RegExp | null = null;
    try {
      pattern = this.filter.value ? new RegExp(this.filter.value, "i") : null;
      this.filter.classList.remove("invalid");
    } catch {
      this.filter.classList.add("invalid");
    }
    return pattern ? this.runs.filter((run) => pattern!.test(run)) : this.runs;
  }

  private setDeselected(runs: string[]): void {
    updateState({ off: runs.length ? runs : null });
    this.render();
    this.changed();
  }

  private render(): void {
    const off = new Set(readState().getAll("off"));
    this.list.replaceChildren(
      ...this.visible().map((run) => {
        const item = document.createElement("li");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = !off.has(run);
        box.style.accentColor = runColor(run);
        box.addEventListener("change", () => {
          const next = new Set(readState().getAll("off"));
          if (box.checked) next.delete(run);
          else next.add(run);
          this.setDeselected([...next]);
        });
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = runColor(run);
        label.append(box, swatch, document.createTextNode(run));
        label.title = run;
        item.append(label);
        return item;
      }),
    );
  }
}
