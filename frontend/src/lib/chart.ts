// Pure math behind the crisis chart: the data uPlot draws (negatives per bin,
// the expected baseline and the band up to the alert threshold, all messages and
// the negative share), the y scale, and where alert windows sit. Kept free of the
// DOM so it can be tested.
import type { CrisisAlert, SeriesBin } from './api';

/** niceCeil rounds v up to 1, 2, 2.5 or 5 × a power of ten (at least 1), for a readable axis top. */
export function niceCeil(v: number): number {
  if (!Number.isFinite(v) || v <= 1) return 1;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) {
    const c = m * base;
    // Tolerate float noise so 200 stays 200 instead of becoming 250.
    if (c >= v - base * 1e-9) return c;
  }
  return 10 * base;
}

/** Band is the shaded range of one bin: from the expected count up to what would alert. */
export interface Band {
  lo: number;
  hi: number;
}

/** band clamps a bin's band so it is never inverted and never below zero. */
export function band(b: SeriesBin): Band {
  const lo = Math.max(0, Number.isFinite(b.baseline) ? b.baseline : 0);
  const hi = Math.max(lo, Number.isFinite(b.upper) ? b.upper : lo);
  return { lo, hi };
}

/** yMax is the top of the y axis: room for every bar, the volume line and the whole band, plus 10 % headroom. */
export function yMax(series: readonly SeriesBin[]): number {
  let m = 0;
  for (const b of series) m = Math.max(m, b.negative, Number.isFinite(b.total) ? b.total : 0, band(b).hi);
  return niceCeil(m * 1.1);
}

/**
 * ChartData is uPlot's aligned data: x in Unix seconds, then negatives, baseline,
 * band top, all messages, and the negative share in percent (null for an empty bin).
 */
export type ChartData = [number[], (number | null)[], number[], number[], (number | null)[], (number | null)[]];

/** chartData turns an alert's series into uPlot columns, oldest first, skipping bins without a time. */
export function chartData(series: readonly SeriesBin[]): ChartData {
  const rows = series
    .map((b) => ({ x: Date.parse(b.start) / 1000, b }))
    .filter((r) => Number.isFinite(r.x))
    .sort((a, c) => a.x - c.x);
  const xs: number[] = [];
  const neg: (number | null)[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const total: (number | null)[] = [];
  const share: (number | null)[] = [];
  for (const { x, b } of rows) {
    const bd = band(b);
    xs.push(x);
    neg.push(Number.isFinite(b.negative) ? b.negative : null);
    lo.push(bd.lo);
    hi.push(bd.hi);
    total.push(Number.isFinite(b.total) ? b.total : null);
    share.push(b.total > 0 && Number.isFinite(b.negative) ? (100 * b.negative) / b.total : null);
  }
  return [xs, neg, lo, hi, total, share];
}

/** alertSpans lists the windows of the alerts of one stream, in Unix seconds, skipping those without a start. */
export function alertSpans(alerts: readonly Pick<CrisisAlert, 'start' | 'windowMs'>[]): [number, number][] {
  return alerts.map(alertSpan).filter((s): s is [number, number] => s !== null);
}

/** alertSpan is the window that fired, in Unix seconds; null without a start time. */
export function alertSpan(a: Pick<CrisisAlert, 'start' | 'windowMs'>): [number, number] | null {
  const s = Date.parse(a.start);
  if (!Number.isFinite(s)) return null;
  return [s / 1000, (s + Math.max(0, a.windowMs)) / 1000];
}

/** linear maps a value from a domain onto a pixel range (either may be reversed). */
export function linear(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** ratio is observed / baseline for the explanation ("4.2× the baseline"); Infinity for a zero baseline. */
export function ratio(observed: number, baseline: number): number {
  if (baseline <= 0) return observed > 0 ? Infinity : 0;
  return observed / baseline;
}

/** HourBar is one hour of the crisis timeline's volume chart, in SVG user units (y grows downwards). */
export interface HourBar {
  x: number;
  width: number;
  /** top of the inbound bar; h when nothing came in */
  inY: number;
  /** top of the negative bar, drawn over the inbound one; h when none was negative */
  negY: number;
}

/**
 * hourBars lays out one bar per hour across w × h, scaled to the busiest hour.
 * Bars rather than a line, because right after crisis mode opens there is one
 * hour, and a one-point polyline draws nothing. A non-zero hour is at least
 * one unit tall so it never vanishes next to a much busier one.
 */
export function hourBars(bins: readonly { inbound: number; negative: number }[], w: number, h: number): HourBar[] {
  if (bins.length === 0) return [];
  const top = Math.max(1, ...bins.map((b) => Math.max(b.inbound, b.negative)));
  // Hours fill from the left; a slot never grows past MAX_HOUR_SLOT, so one hour is a bar, not a wall.
  const slot = Math.min(w / bins.length, MAX_HOUR_SLOT);
  const width = slot * 0.75;
  const y = (v: number) => (v > 0 ? h - Math.max(1, (v / top) * h) : h);
  return bins.map((b, i) => ({ x: i * slot + (slot - width) / 2, width, inY: y(b.inbound), negY: y(b.negative) }));
}

/** MAX_HOUR_SLOT is the widest an hour gets on the timeline's volume chart. */
export const MAX_HOUR_SLOT = 24;
