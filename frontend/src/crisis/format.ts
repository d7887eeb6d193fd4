// Number formats of the crisis screens, in the current language.
import { lang } from '../lib/i18n';
import type { CrisisAlert, KeyState } from '../lib/api';

/** fmtRate formats an expected count: one decimal below 10, whole numbers above. */
export function fmtRate(v: number): string {
  const digits = v < 10 ? 1 : 0;
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

/** fmtP formats a p-value: scientific below 0.001 ("3.2E-7"), else three significant digits. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.001) return new Intl.NumberFormat(lang(), { notation: 'scientific', maximumFractionDigits: 1 }).format(p);
  return new Intl.NumberFormat(lang(), { maximumSignificantDigits: 3 }).format(p);
}

/** fmtRatio formats observed / baseline ("4.2"). */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '∞';
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: 1 }).format(r);
}

/** fmtDay formats the local calendar day of a time ("24 Feb 2015"). */
export function fmtDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium' }).format(d);
}

/** dayKey is the local calendar day of a time as YYYY-MM-DD, for grouping. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** byDay groups items (already in order) by the local day of at(item), keeping the order. */
export function byDay<T>(items: readonly T[], at: (x: T) => string): { day: string; items: T[] }[] {
  const out: { day: string; items: T[] }[] = [];
  for (const x of items) {
    const day = dayKey(at(x));
    const last = out[out.length - 1];
    if (last && last.day === day) last.items.push(x);
    else out.push({ day, items: [x] });
  }
  return out;
}

/** BIN_MS is the detector's bin: a card's running figures are per 15 minutes. */
export const BIN_MS = 15 * 60 * 1000;

/** CardFigures are what a stream's card shows: the window they count over and its numbers. */
export type CardFigures = { windowMs: number; observed: number; baseline: number; threshold: number };

/**
 * cardFigures: a card in alert shows its newest alert's window, count, baseline and
 * threshold (so the card and the alert agree); otherwise the running 15-minute bin.
 */
export function cardFigures(s: KeyState, alerts: readonly CrisisAlert[]): CardFigures {
  const a = s.status === 'alert' ? newestAlertOf(s, alerts) : null;
  if (a) return { windowMs: a.windowMs, observed: a.observed, baseline: a.baseline, threshold: a.threshold };
  return { windowMs: BIN_MS, observed: s.observed, baseline: s.baseline, threshold: s.threshold };
}

function newestAlertOf(s: KeyState, alerts: readonly CrisisAlert[]): CrisisAlert | null {
  let best: CrisisAlert | null = null;
  for (const a of alerts) {
    if (a.key.account !== s.key.account || a.key.channel !== s.key.channel) continue;
    if (!best || Date.parse(a.detectedAt) > Date.parse(best.detectedAt)) best = a;
  }
  return best;
}

/** BadgeKind is what a card's badge says: a stream in crisis mode never says "normal". */
export type BadgeKind = 'crisisMode' | 'history' | KeyState['status'];

export function badgeKind(s: KeyState, inCrisis: readonly string[]): BadgeKind {
  if (inCrisis.includes(s.key.account)) return 'crisisMode';
  if (s.dormant) return 'history';
  return s.status;
}
