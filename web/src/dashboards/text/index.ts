// The Text dashboard: per tag and run, the markdown (or table) of a step chosen with a slider.

import { getJson } from "../../api";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { cardHeader, RunTagView, type Card } from "../common/runtagview";
import { StepSlider } from "../common/stepslider";

interface TextStep {
  wall_time: number;
  step: number;
  text: string;
}

class TextCard implements Card {
  readonly element: HTMLElement;
  private readonly body = el("div", { class: "text-body" });
  private readonly slider = new StepSlider((index) => this.show(index));
  private data: TextStep[] = [];

  constructor(
    readonly tag: string,
    readonly run: string,
  ) {
    this.element = el("article", { class: "card text-card", "data-tag": tag, "data-run": run }, cardHeader(tag, run, runColor(run)), this.body, this.slider.element);
  }

  async load(): Promise<void> {
    this.data = await getJson<TextStep[]>("/data/plugin/text/text", { run: this.run, tag: this.tag });
    this.slider.setSteps(this.data.map((d) => d.step));
  }

  private show(index: number): void {
    const entry = this.data[index];
    this.element.dataset.step = String(entry?.step ?? "");
    this.body.innerHTML = entry?.text ?? ""; // sanitized HTML from the server
  }

  destroy(): void {
    this.element.remove();
  }
}

export const textDashboard: Dashboard = {
  id: "text",
  title: "Text",
  plugins: ["text"],
  mount(root: HTMLElement, context: DashboardContext) {
    const view = new RunTagView(root, context, { id: "text", plugin: "text", noun: "text", createCard: (tag, run) => new TextCard(tag, run) });
    registerDebug("text", () =>
      view.cards().map((card) => {
        const c = card as TextCard;
        return { tag: c.tag, run: c.run, step: Number(c.element.dataset.step), tables: c.element.querySelectorAll("table").length, text: c.element.querySelector(".text-body")?.textContent ?? "" };
      }),
    );
  },
};
