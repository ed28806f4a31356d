import { formatMsv } from "./dose";

/**
 * The common part of the dose charts: a tooltip in mSv, the legend on top and
 * one category per label on the x axis, mSv on the y axis. `bottom` leaves
 * room for rotated labels.
 */
export function mSvChartBase(categories: string[], { bottom = 32, axisLabel }: { bottom?: number; axisLabel?: Record<string, unknown> } = {}) {
  return {
    tooltip: { trigger: "axis", valueFormatter: (v: number) => formatMsv(v, { fine: true }) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom },
    xAxis: { type: "category", data: categories, ...(axisLabel ? { axisLabel } : {}) },
    yAxis: { type: "value", name: "mSv" },
  };
}
