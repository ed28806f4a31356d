import { useEffect, useRef } from "react";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** The ECharts option object. */
export type ChartOption = echarts.EChartsCoreOption;

/**
 * An ECharts chart (loaded on demand by EChart). It is an image for assistive technologies, described by
 * `label`: every chart of the app has a data table next to it with the same figures.
 */
export function EChartCanvas({ option, label, height = 320 }: { option: ChartOption; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!, undefined, { renderer: "svg", locale: "FR" });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    echarts.getInstanceByDom(ref.current!)?.setOption({ animation: false, ...option }, true);
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
