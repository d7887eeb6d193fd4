// Plumbing shared by the uPlot charts (crisis streams and alerts, analytics):
// loading uPlot on first use, theme colours, the axis look, and keeping a chart
// as wide as its host. The data each chart draws lives in chart.ts / analytics.ts.
import type uPlotT from 'uplot';

/** MIN_WIDTH keeps a chart legible in a narrow pane. */
export const MIN_WIDTH = 320;

/** FALLBACK_LOCALE is what Chromium reports for a C/POSIX process locale. */
export const FALLBACK_LOCALE = 'en-US';

/** usableLocale returns tag when Intl accepts it as a locale, otherwise fallback. */
export function usableLocale(tag: string | undefined | null, fallback: string = FALLBACK_LOCALE): string {
  if (!tag) return fallback;
  try {
    new Intl.NumberFormat(tag);
    return tag;
  } catch {
    return fallback;
  }
}

/**
 * pinUsableLanguage makes nav.language a tag Intl accepts, and returns it.
 *
 * Why: uPlot runs `new Intl.NumberFormat(navigator.language)` while its module is
 * evaluated. WebKitGTK takes navigator.language from the process locale, and under
 * LANG=C or C.UTF-8 (Xvfb, CI, containers, minimal desktops) that is "C", which is
 * not a BCP 47 tag: Intl throws a RangeError, the module fails to evaluate, the
 * import rejects, and every chart stays an empty box under its legend. Chromium
 * reports "en-US" for the same locale, so the charts drew in a browser.
 */
export function pinUsableLanguage(nav: { language?: string } | undefined = globalThis.navigator): string {
  const tag = usableLocale(nav?.language);
  if (nav && nav.language !== tag) {
    // language is a getter on Navigator.prototype: an own property on the instance shadows it.
    Object.defineProperty(nav, 'language', { value: tag, configurable: true });
  }
  return tag;
}

/** loadUPlot imports uPlot and its stylesheet the first time a chart is drawn. */
export async function loadUPlot(): Promise<typeof uPlotT> {
  pinUsableLanguage();
  const { default: uPlot } = await import('uplot');
  await import('uplot/dist/uPlot.min.css');
  return uPlot;
}

/** cssVar reads a theme colour from el's computed style, or fallback outside a page. */
export function cssVar(el: Element | null, name: string, fallback: string): string {
  const v = el ? getComputedStyle(el).getPropertyValue(name).trim() : '';
  return v || fallback;
}

/** AXIS_FONT is uPlot's own axis font, named so yAxisSize measures what is drawn. */
export const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
const AXIS_GAP = 5;
const AXIS_TICK = 10;
/** the narrowest a y axis gets, so short labels do not make the plot jump between charts */
const AXIS_MIN = 44;

/**
 * timeRange is a time axis' range that spans at least minSpan seconds, centred on
 * the data. uPlot stretches a single point over 1,000 days before it asks (a day in
 * its milliseconds, taken as seconds), with ticks a year apart that a day-and-month
 * label shows as "1 Jan", "1 Jan", "1 Jan": a stream with one 15-minute bin, or
 * analytics over one day, was drawn so. The span is therefore read from the data.
 */
export function timeRange(minSpan: number): uPlotT.Range.Function {
  return (u, min, max) => {
    const xs = (u?.data?.[0] ?? []) as ArrayLike<number>;
    const lo = xs.length > 0 ? xs[0] : min;
    const hi = xs.length > 0 ? xs[xs.length - 1] : max;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi - lo >= minSpan) return [min, max];
    const mid = (lo + hi) / 2;
    return [mid - minSpan / 2, mid + minSpan / 2];
  };
}

/** axisStyle is the look of every axis: muted labels on the theme's border colour. */
export function axisStyle(el: Element | null): Pick<uPlotT.Axis, 'stroke' | 'grid' | 'ticks' | 'font' | 'gap'> {
  const grid = cssVar(el, '--border', '#e2e5ea');
  return {
    stroke: cssVar(el, '--fg-muted', '#5c6470'),
    font: AXIS_FONT,
    gap: AXIS_GAP,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1, size: AXIS_TICK },
  };
}

let measureCtx: CanvasRenderingContext2D | null | undefined;

/** textWidth is the width of s in AXIS_FONT, in CSS pixels; 0 where there is no canvas (tests). */
function textWidth(s: string): number {
  if (measureCtx === undefined) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return 0;
  measureCtx.font = AXIS_FONT;
  return measureCtx.measureText(s).width;
}

/**
 * yAxisSize is a y axis' width from its widest label ("100 %", "1 000"), so no
 * label is cut at the chart's edge in any language; uPlot asks again whenever the
 * labels change. Measured on a canvas of its own: setting uPlot's canvas font
 * would leave uPlot's cached font stale.
 */
export function yAxisSize(values: readonly string[] | null | undefined): number {
  const widest = Math.max(0, ...(values ?? []).map((v) => textWidth(String(v))));
  return Math.max(AXIS_MIN, Math.ceil(widest + AXIS_GAP + AXIS_TICK + 4));
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
