// Labelled form controls for dashboard toolbars.

import { el } from "./dom";

export function textFilter(placeholder: string, value: string, onInput: (value: string) => void): HTMLInputElement {
  const input = el("input", { type: "search", class: "tag-filter", placeholder, "aria-label": placeholder, value });
  const validate = () => {
    let valid = true;
    try {
      new RegExp(input.value, "i");
    } catch {
      valid = false;
    }
    input.classList.toggle("invalid", !valid);
  };
  validate();
  input.addEventListener("input", () => {
    validate();
    onInput(input.value);
  });
  return input;
}

export function select<T extends string>(label: string, options: Array<[T, string]>, value: T, onChange: (value: T) => void): HTMLElement {
  const control = el("select", { "aria-label": label });
  for (const [key, text] of options) control.append(el("option", { value: key, selected: key === value }, text));
  control.addEventListener("change", () => onChange(control.value as T));
  return el("label", { class: "control" }, `${label} `, control);
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const box = el("input", { type: "checkbox", checked });
  box.addEventListener("change", () => onChange(box.checked));
  return el("label", { class: "control" }, box, ` ${label}`);
}

/** A range slider with a number box beside it, both editing one value. */
export function slider(
  label: string,
  value: number,
  range: { min: number; max: number; step: number },
  onChange: (value: number) => void,
): HTMLElement {
  const attributes = { min: range.min, max: range.max, step: range.step, value };
  const track = el("input", { type: "range", "aria-label": label, ...attributes });
  const box = el("input", { type: "number", class: "number", "aria-label": `${label} value`, ...attributes });
  const set = (raw: string, from: HTMLInputElement) => {
    const parsed = Number(raw);
    if (raw === "" || !Number.isFinite(parsed)) return;
    const next = Math.min(range.max, Math.max(range.min, parsed));
    if (from !== track) track.value = String(next);
    if (from !== box) box.value = String(next);
    onChange(next);
  };
  track.addEventListener("input", () => set(track.value, track));
  box.addEventListener("change", () => set(box.value, box));
  return el("label", { class: "control slider" }, `${label} `, track, box);
}
