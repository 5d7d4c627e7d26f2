// A tiny element builder.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string | number | boolean>> & { class?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === "class") node.className = String(value);
    else if (key.startsWith("data-")) node.setAttribute(key, String(value));
    else if (key in node) (node as unknown as Record<string, unknown>)[key] = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function iconButton(label: string, content: string | Node, onClick: (event: MouseEvent) => void): HTMLButtonElement {
  const button = el("button", { class: "icon-button", title: label, "aria-label": label, type: "button" }, content);
  button.addEventListener("click", onClick);
  return button;
}

/** A case-insensitive regex from user input; null when empty, undefined when invalid. */
export function userRegex(text: string): RegExp | null | undefined {
  if (!text) return null;
  try {
    return new RegExp(text, "i");
  } catch {
    return undefined;
  }
}

export function message(text: string): HTMLElement {
  return el("p", { class: "empty-message" }, text);
}
