// A slider over the steps of a series; it follows the latest step until moved.

import { formatStep } from "../../charts/format";
import { el } from "./dom";

export class StepSlider {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly label: HTMLElement;
  private steps: number[] = [];

  constructor(private readonly onChange: (index: number) => void) {
    this.input = el("input", { type: "range", min: 0, max: 0, step: 1, value: 0, "aria-label": "Step" });
    this.label = el("span", { class: "step-label" });
    this.element = el("div", { class: "step-slider" }, el("span", {}, "step"), this.input, this.label);
    this.input.addEventListener("input", () => this.changed());
  }

  get index(): number {
    return Number(this.input.value);
  }

  /** Sets the steps; keeps the chosen step, or the latest when it was on the latest. */
  setSteps(steps: number[]): void {
    const atEnd = this.index >= this.steps.length - 1;
    const chosen = this.steps[this.index];
    this.steps = steps;
    this.input.max = String(Math.max(0, steps.length - 1));
    const kept = steps.indexOf(chosen);
    this.input.value = String(atEnd || kept < 0 ? steps.length - 1 : kept);
    this.element.hidden = steps.length < 2;
    this.changed();
  }

  private changed(): void {
    this.label.textContent = this.steps.length ? formatStep(this.steps[this.index]) : "";
    this.onChange(this.index);
  }
}
