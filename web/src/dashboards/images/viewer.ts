// An image opened from its card: shown as large as the window allows (small images
// scaled up in whole pixels' look), with its tag, run and step; Esc or a click closes it.

import { el } from "../common/dom";

const WIDTH_SHARE = 0.9;
const HEIGHT_SHARE = 0.8;

/** Opens `image` in a modal viewer inside `root` (which carries the brightness and contrast). */
export function openImage(root: HTMLElement, image: HTMLImageElement, caption: string): void {
  const large = el("img", { src: image.src, alt: image.alt });
  const scale = Math.min((innerWidth * WIDTH_SHARE) / image.naturalWidth, (innerHeight * HEIGHT_SHARE) / image.naturalHeight);
  large.style.width = `${Math.round(image.naturalWidth * scale)}px`;
  const viewer = el("dialog", { class: "image-viewer", "aria-label": caption }, large, el("p", { class: "image-caption" }, `${caption} · ${image.naturalWidth}×${image.naturalHeight} px`));
  viewer.addEventListener("click", () => viewer.close());
  viewer.addEventListener("close", () => viewer.remove());
  root.append(viewer);
  viewer.showModal();
}
