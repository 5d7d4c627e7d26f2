// Work done only for elements near the viewport: cards load and draw when first seen.

export class Visibility {
  private readonly callbacks = new WeakMap<Element, (visible: boolean) => void>();
  private readonly observer: IntersectionObserver;
  readonly visible = new WeakSet<Element>();

  constructor(root: HTMLElement | null, margin = "400px") {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.visible.add(entry.target);
          else this.visible.delete(entry.target);
          this.callbacks.get(entry.target)?.(entry.isIntersecting);
        }
      },
      { root, rootMargin: margin },
    );
  }

  watch(element: Element, callback: (visible: boolean) => void): void {
    this.callbacks.set(element, callback);
    this.observer.observe(element);
  }

  unwatch(element: Element): void {
    this.observer.unobserve(element);
    this.callbacks.delete(element);
    this.visible.delete(element);
  }
}
