// The scalars dashboard's settings, kept in the URL hash.

import { readState, updateState } from "../../state";

export type XAxis = "step" | "relative" | "wall";
export type TooltipSort = "run" | "descending" | "ascending" | "nearest";

export interface ScalarSettings {
  smoothing: number;
  xAxis: XAxis;
  logY: boolean;
  ignoreOutliers: boolean;
  tooltipSort: TooltipSort;
  tagFilter: string;
  pinned: string[];
}

export const DEFAULT_SMOOTHING = 0.6;
const X_AXES: XAxis[] = ["step", "relative", "wall"];
const SORTS: TooltipSort[] = ["run", "descending", "ascending", "nearest"];

export function readSettings(): ScalarSettings {
  const state = readState();
  const smoothing = Number(state.get("smoothing") ?? DEFAULT_SMOOTHING);
  const pick = <T extends string>(value: string | null, allowed: T[]) => (allowed.includes(value as T) ? (value as T) : allowed[0]);
  return {
    smoothing: Number.isFinite(smoothing) ? Math.min(0.999, Math.max(0, smoothing)) : DEFAULT_SMOOTHING,
    xAxis: pick(state.get("x"), X_AXES),
    logY: state.get("ylog") === "1",
    ignoreOutliers: state.get("outliers") === "ignore",
    tooltipSort: pick(state.get("sort"), SORTS),
    tagFilter: state.get("tags.scalars") ?? "",
    pinned: state.getAll("pin"),
  };
}

export function writeSettings(settings: ScalarSettings): void {
  updateState({
    smoothing: settings.smoothing === DEFAULT_SMOOTHING ? null : String(settings.smoothing),
    x: settings.xAxis === "step" ? null : settings.xAxis,
    ylog: settings.logY ? "1" : null,
    outliers: settings.ignoreOutliers ? "ignore" : null,
    sort: settings.tooltipSort === "run" ? null : settings.tooltipSort,
    "tags.scalars": settings.tagFilter || null,
    pin: settings.pinned.length ? settings.pinned : null,
  });
}
