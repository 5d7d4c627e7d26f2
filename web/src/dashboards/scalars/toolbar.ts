// The scalars settings bar: tag filter, smoothing, axes, outliers and tooltip order.

import { checkbox, select, slider, textFilter } from "../common/controls";
import { el } from "../common/dom";
import type { ScalarSettings, TooltipSort, XAxis } from "./settings";

export function toolbar(settings: ScalarSettings, change: (patch: Partial<ScalarSettings>) => void): HTMLElement {
  let smoothingTimer = 0;
  return el(
    "div",
    { class: "dash-toolbar" },
    textFilter("Filter tags (regex)", settings.tagFilter, (tagFilter) => change({ tagFilter })),
    slider("Smoothing", settings.smoothing, { min: 0, max: 0.999, step: 0.001 }, (smoothing) => {
      clearTimeout(smoothingTimer);
      smoothingTimer = window.setTimeout(() => change({ smoothing }), 60);
    }),
    select<XAxis>("X axis", [["step", "Step"], ["relative", "Relative"], ["wall", "Wall time"]], settings.xAxis, (xAxis) => change({ xAxis })),
    checkbox("Log y", settings.logY, (logY) => change({ logY })),
    checkbox("Ignore outliers", settings.ignoreOutliers, (ignoreOutliers) => change({ ignoreOutliers })),
    select<TooltipSort>(
      "Tooltip order",
      [["run", "Run"], ["descending", "Value ↓"], ["ascending", "Value ↑"], ["nearest", "Nearest"]],
      settings.tooltipSort,
      (tooltipSort) => change({ tooltipSort }),
    ),
  );
}
