// uPlot set-up shared by every chart: themed axes, sizing to the container, redraw on theme change.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { cssVar, onThemeChange } from "./theme";

export { uPlot };

/** An axis whose colours follow the theme. */
export function themedAxis(options: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: () => cssVar("--muted"),
    grid: { stroke: () => cssVar("--grid"), width: 1 },
    ticks: { stroke: () => cssVar("--grid"), width: 1 },
    font: "11px system-ui, sans-serif",
    labelFont: "11px system-ui, sans-serif",
    ...options,
  };
}

/** Axes whose `values` callbacks also note their labels, which `mountPlot` puts in
 * the container's `data-ticks` (a JSON list per axis) after each draw, for tests. */
function notingTicks(axes: uPlot.Axis[], ticks: string[][]): uPlot.Axis[] {
  return axes.map((axis, i) => {
    const values = axis.values;
    if (typeof values !== "function") return axis;
    return {
      ...axis,
      values: (u: uPlot, splits: number[], index: number, space: number, increment: number) => {
        const labels = values(u, splits, index, space, increment);
        ticks[i] = labels.map(String);
        return labels;
      },
    };
  });
}

/**
 * Creates a uPlot in `container`, sized to it and kept so; redrawn when the theme
 * changes. `destroy()` on the result also stops the observers.
 */
export function mountPlot(options: Omit<uPlot.Options, "width" | "height">, data: uPlot.AlignedData, container: HTMLElement): uPlot {
  const size = () => ({ width: Math.max(100, container.clientWidth), height: Math.max(80, container.clientHeight) });
  const ticks: string[][] = [];
  const noteTicks = () => (container.dataset.ticks = JSON.stringify(ticks));
  const hooks = { ...options.hooks, draw: [...(options.hooks?.draw ?? []), noteTicks] };
  const axes = notingTicks(options.axes ?? [], ticks);
  const plot = new uPlot({ ...options, axes, hooks, ...size() } as uPlot.Options, data, container);
  let frame = 0;
  const resize = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const next = size();
      if (next.width !== plot.width || next.height !== plot.height) plot.setSize(next);
    });
  });
  resize.observe(container);
  const stopTheme = onThemeChange(() => plot.redraw(false, true));
  const destroy = plot.destroy.bind(plot);
  plot.destroy = () => {
    resize.disconnect();
    stopTheme();
    cancelAnimationFrame(frame);
    destroy();
  };
  return plot;
}
