// Plumbing shared by the uPlot charts (crisis streams and alerts, analytics):
// loading uPlot on first use, theme colours, the axis look, and keeping a chart
// as wide as its host. The data each chart draws lives in chart.ts / analytics.ts.
import type uPlotT from 'uplot';

/** MIN_WIDTH keeps a chart legible in a narrow pane. */
export const MIN_WIDTH = 320;

/** loadUPlot imports uPlot and its stylesheet the first time a chart is drawn. */
export async function loadUPlot(): Promise<typeof uPlotT> {
  const { default: uPlot } = await import('uplot');
  await import('uplot/dist/uPlot.min.css');
  return uPlot;
}

/** cssVar reads a theme colour from el's computed style, or fallback outside a page. */
export function cssVar(el: Element | null, name: string, fallback: string): string {
  const v = el ? getComputedStyle(el).getPropertyValue(name).trim() : '';
  return v || fallback;
}

/** axisStyle is the look of every axis: muted labels on the theme's border colour. */
export function axisStyle(el: Element | null): Pick<uPlotT.Axis, 'stroke' | 'grid' | 'ticks'> {
  const grid = cssVar(el, '--border', '#e2e5ea');
  return { stroke: cssVar(el, '--fg-muted', '#5c6470'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

/**
 * fitWidth keeps the chart that current() returns as wide as host while the host
 * is resized. The returned function stops watching and destroys the chart.
 */
export function fitWidth(host: HTMLElement | null, height: number, current: () => uPlotT | null): () => void {
  const ro = new ResizeObserver(() => {
    const plot = current();
    if (plot && host) plot.setSize({ width: Math.max(MIN_WIDTH, host.clientWidth), height });
  });
  if (host) ro.observe(host);
  return () => {
    ro.disconnect();
    current()?.destroy();
  };
}
