import { lazy, Suspense } from "react";

import type { ChartOption } from "./EChartCanvas";

export type { ChartOption };

// ECharts is most of the bundle: load it only on pages that draw a chart.
const EChartCanvas = lazy(() => import("./EChartCanvas").then((m) => ({ default: m.EChartCanvas })));

/**
 * An ECharts chart, an image for assistive technologies described by `label`;
 * every chart of the app has a data table next to it with the same figures.
 */
export function EChart(props: { option: ChartOption; label: string; height?: number }) {
  return (
    <Suspense fallback={<div role="img" aria-label={props.label} style={{ width: "100%", height: props.height ?? 320 }} />}>
      <EChartCanvas {...props} />
    </Suspense>
  );
}
