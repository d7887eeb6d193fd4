// Pure helpers of the analytics page: heatmap shading, the CSV file name, the
// sentiment chart's columns and the browser's time zone. Kept free of the DOM so
// they can be tested alone.
import type { AnalyticsCsvKind, DaySentiment, ListeningCsvKind, ResponseRow } from '../lib/api';
import { formatDuration, formatNumber, lang, translate, type Lang } from '../lib/i18n';

/** RANGES are the periods the range picker offers, in days. */
export const RANGES = [7, 30, 90] as const;

/** DEFAULT_DAYS is the period the page opens on. */
export const DEFAULT_DAYS = 30;

/** MAX_DAYS is the longest period Go accepts. */
export const MAX_DAYS = 366;

/** todayIn is today's date (YYYY-MM-DD) in an IANA zone. */
export function todayIn(zone: string, now: Date = new Date()): string {
  try {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** addDays shifts a YYYY-MM-DD date by n calendar days. */
export function addDays(day: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]! + n)).toISOString().slice(0, 10);
}

/**
 * spanRange is the custom range to open on for data covering span: null when there
 * is no data or its last day falls inside the default period (the last `days` days up
 * to today; days 0 always gives the span). A span longer than MAX_DAYS keeps its
 * newest days.
 */
export function spanRange(span: { first: string; last: string } | null, today: string, days: number): { from: string; to: string } | null {
  if (!span?.first || !span.last) return null;
  if (days > 0 && span.last > addDays(today, -days)) return null;
  const earliest = addDays(span.last, -(MAX_DAYS - 1));
  return { from: span.first < earliest ? earliest : span.first, to: span.last };
}

/**
 * heatLevel maps a cell's count onto 0..steps: 0 only for an empty cell, so a
 * quiet hour never looks like no traffic at all. A square-root scale keeps one
 * busy hour from washing out the rest of the week.
 */
export function heatLevel(n: number, max: number, steps = 5): number {
  if (!(n > 0) || !(max > 0)) return 0;
  const s = Math.sqrt(Math.min(n, max) / max);
  return Math.max(1, Math.min(steps, Math.ceil(s * steps)));
}

/** csvFilename names an export: stormdesk-<kind>-<from>-<to>[-<account>].csv, dates as YYYY-MM-DD. */
export function csvFilename(kind: AnalyticsCsvKind | `listening-${ListeningCsvKind}`, from: string, to: string, account = ''): string {
  const day = (iso: string) => (/^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? 'unknown');
  // The period is [from, to): the last day shown is the day before "to".
  const last = (() => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(to);
    if (!m) return 'unknown';
    const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]! - 1));
    return d.toISOString().slice(0, 10);
  })();
  const safe = account
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `stormdesk-${kind}-${day(from)}-${last}${safe ? '-' + safe : ''}.csv`;
}

/** SentimentData is uPlot's aligned data: x (Unix seconds, local noon), negative, neutral, positive. */
export type SentimentData = [number[], number[], number[], number[]];

/** sentimentData turns per-day counts into chart columns; days that do not parse are skipped. */
export function sentimentData(days: readonly DaySentiment[]): SentimentData {
  const out: SentimentData = [[], [], [], []];
  for (const d of days) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.day);
    if (!m) continue;
    // Noon of the local day: a bar centred on its day whatever the DST offset.
    out[0].push(new Date(+m[1]!, +m[2]! - 1, +m[3]!, 12).getTime() / 1000);
    out[1].push(d.negative);
    out[2].push(d.neutral);
    out[3].push(d.positive);
  }
  return out;
}

/** localZone is the browser's IANA zone, UTC when it has none. */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** hasData reports whether a period had any inbound message or conversation. */
export function hasData(a: { inbound: number; total: { conversations: number } }): boolean {
  return a.inbound > 0 || a.total.conversations > 0;
}

/** The cells of one response-times row as the table shows them. */
export interface ResponseCells {
  frt: string;
  resolution: string;
  within: string;
  breached: string;
  warnings: string;
}

/**
 * responseCells words one row of the response-times table in language l. What the
 * period holds no data for reads "no data", never 0: times without replies (or
 * closes), and SLA counts of conversations that ran no clock (imported history).
 */
export function responseCells(r: ResponseRow, l: Lang = lang()): ResponseCells {
  const none = translate(l, 'analytics.noData');
  const dur = (count: number, secs: number) => (count > 0 ? formatDuration(secs * 1000, l) : none);
  const pct = new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 1 });
  const sla = r.withSla > 0;
  return {
    frt: `${dur(r.firstResponseCount, r.firstResponseP50)} / ${dur(r.firstResponseCount, r.firstResponseP90)}`,
    resolution: `${dur(r.resolutionCount, r.resolutionP50)} / ${dur(r.resolutionCount, r.resolutionP90)}`,
    within: sla ? pct.format(r.withinPct / 100) : none,
    breached: sla ? formatNumber(r.breached, l) : none,
    warnings: sla ? formatNumber(r.warnings, l) : none,
  };
}
