// Work done only for elements near the viewport: cards load and draw when first seen.

export class Visibility {
  private readonly callbacks = new WeakMap<Element, (visible: boolean) => void>();
  private readonly observer: IntersectionObserver;
  readonly visible = new WeakSet<Element>();

  constructor(
    private readonly root: HTMLElement | null,
    private readonly margin = 400,
  ) {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.visible.add(entry.target);
          else this.visible.delete(entry.target);
          this.callbacks.get(entry.target)?.(entry.isIntersecting);
        }
      },
      { root, rootMargin: `${margin}px` },
    );
  }

  /** Whether `element` is near the viewport now, before the observer first reports
   * (which waits for a frame); reads the layout. */
  near(element: Element): boolean {
    const view = this.root?.getBoundingClientRect() ?? new DOMRect(0, 0, innerWidth, innerHeight);
    const box = element.getBoundingClientRect();
    const shown = box.width > 0 || box.height > 0;
    return shown && box.bottom >= view.top - this.margin && box.top <= view.bottom + this.margin;
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
