// A small helper to build DOM elements.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title) e.title = props.title;
  e.append(...children);
  return e;
}

export function button(text: string, onClick: () => void, title = ""): HTMLButtonElement {
  const b = el("button", { text, title });
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}
