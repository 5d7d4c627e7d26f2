// ECharts, loaded on demand (only the HParams and Model insight dashboards use it), with
// colours from the page theme.

import { cssVar } from "./theme";

export type ECharts = import("echarts/core").EChartsType;
export type EChartsOption = import("echarts/core").EChartsCoreOption;

let loading: Promise<typeof import("echarts/core")> | null = null;

export function loadECharts(): Promise<typeof import("echarts/core")> {
  loading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import("echarts/core"),
      import("echarts/charts"),
      import("echarts/components"),
      import("echarts/renderers"),
    ]);
    core.use([
      charts.ParallelChart,
      charts.ScatterChart,
      charts.HeatmapChart,
      charts.LineChart,
      components.ParallelComponent,
      components.GridComponent,
      components.TooltipComponent,
      components.VisualMapComponent,
      components.TitleComponent,
      renderers.CanvasRenderer,
    ]);
    return core;
  })();
  return loading;
}

/** Text and axis colours of the current theme, for option objects. */
export function themeColors(): { text: string; muted: string; grid: string; background: string } {
  return { text: cssVar("--fg"), muted: cssVar("--muted"), grid: cssVar("--grid"), background: cssVar("--card") };
}
