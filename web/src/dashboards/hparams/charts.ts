// The parallel coordinates view and the scatter plot matrix (ECharts).

import { themeColors, type EChartsOption } from "../../charts/echarts";
import { cellText } from "./table";
import { sessionColor, type Column, type Session } from "./data";

/** A session's value on a column's axis; null (no point, the line skips the axis) where
 * the session has none, as a session of another experiment in the logdir. */
function valueOf(column: Column, session: Session): string | number | boolean | null {
  const value = session.values[column.key] ?? null;
  return column.numeric || value === null ? value : cellText(value);
}

function axisFor(column: Column, sessions: Session[]): Record<string, unknown> {
  if (column.numeric) return { type: "value", scale: true };
  const categories = [...new Set(sessions.flatMap((s) => valueOf(column, s) ?? []))].sort();
  return { type: "category", data: categories };
}

export function parallelOption(columns: Column[], sessions: Session[], selected: Set<string>): EChartsOption {
  const colors = themeColors();
  const axisStyle = { nameTextStyle: { color: colors.text }, axisLine: { lineStyle: { color: colors.muted } }, axisLabel: { color: colors.muted } };
  return {
    animation: false,
    parallelAxis: columns.map((column, dim) => ({ dim, name: column.label, nameLocation: "end", nameGap: 22, ...axisFor(column, sessions), ...axisStyle })),
    parallel: { left: 60, right: 90, top: 50, bottom: 24, parallelAxisDefault: { nameTextStyle: { fontSize: 11 } } },
    tooltip: { trigger: "item", formatter: (p: { dataIndex: number }) => sessions[p.dataIndex]?.name ?? "" },
    series: [
      {
        type: "parallel",
        smooth: false,
        lineStyle: { width: 2, opacity: 0.75 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: sessions.map((session) => ({
          value: columns.map((column) => valueOf(column, session)),
          lineStyle: { color: sessionColor(session), width: selected.has(session.name) ? 4 : 2, opacity: selected.size && !selected.has(session.name) ? 0.25 : 0.85 },
        })),
      },
    ],
  };
}

/** One scatter plot per (hparam, metric) pair: hparams across, metrics down. */
export function scatterMatrixOption(columns: Column[], sessions: Session[], selected: Set<string>, width: number): { option: EChartsOption; height: number } {
  const colors = themeColors();
  const hparams = columns.filter((c) => c.kind === "hparam");
  const metrics = columns.filter((c) => c.kind === "metric");
  const cell = Math.max(140, Math.min(220, (width - 80) / Math.max(1, hparams.length)));
  const grid: object[] = [];
  const xAxis: object[] = [];
  const yAxis: object[] = [];
  const series: object[] = [];
  metrics.forEach((metric, row) => {
    hparams.forEach((hparam, col) => {
      const index = grid.length;
      grid.push({ left: 90 + col * cell, top: 20 + row * cell, width: cell - 40, height: cell - 50 });
      const label = { color: colors.muted, fontSize: 10 };
      const line = { lineStyle: { color: colors.muted } };
      xAxis.push({ gridIndex: index, ...axisFor(hparam, sessions), name: row === metrics.length - 1 ? hparam.label : "", nameLocation: "middle", nameGap: 22, nameTextStyle: { color: colors.text }, axisLabel: label, axisLine: line, splitLine: { lineStyle: { color: colors.grid } } });
      yAxis.push({ gridIndex: index, type: "value", scale: true, name: col === 0 ? metric.label : "", nameLocation: "middle", nameGap: 44, nameTextStyle: { color: colors.text }, axisLabel: label, axisLine: line, splitLine: { lineStyle: { color: colors.grid } } });
      series.push({
        type: "scatter",
        xAxisIndex: index,
        yAxisIndex: index,
        symbolSize: 9,
        data: sessions.map((session) => ({
          value: [valueOf(hparam, session), session.values[metric.key] ?? null],
          name: session.name,
          itemStyle: { color: sessionColor(session), borderColor: selected.has(session.name) ? colors.text : "transparent", borderWidth: 2, opacity: selected.size && !selected.has(session.name) ? 0.35 : 1 },
        })),
      });
    });
  });
  return {
    option: { animation: false, grid, xAxis, yAxis, series, tooltip: { trigger: "item", formatter: (p: { name: string }) => p.name } },
    height: 30 + metrics.length * cell,
  };
}
