// Number formats of the crisis screens, in the current language.
import { formatDateTime, formatDuration, lang, type Key, type Params } from '../lib/i18n';
import type { CrisisAlert, CrisisKey, KeyState } from '../lib/api';
import { ratio } from '../lib/chart';

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

export function badgeKind(s: KeyState, inCrisis: readonly string[], members: readonly string[] = [s.key.account]): BadgeKind {
  if (members.length > 0 && members.every((m) => inCrisis.includes(m))) return 'crisisMode';
  if (s.dormant) return 'history';
  return s.status;
}

/**
 * plainExplanation is an alert's explanation in plain words and the p-value's, as dictionary
 * keys and their values: a window alert says how many negatives arrived in its window, a
 * sequential one how many more than expected arrived since its run began.
 */
export function plainExplanation(a: CrisisAlert): { key: Key; pKey: Key; params: Params } {
  const params: Params = {
    window: formatDuration(a.windowMs),
    start: formatDateTime(a.start),
    observed: a.observed,
    more: Math.max(0, Math.round(a.observed - a.baseline)),
    baseline: fmtRate(a.baseline),
    ratio: fmtRatio(ratio(a.observed, a.baseline)),
    threshold: a.threshold,
    p: fmtP(a.pValue),
  };
  if (a.sequential) return { key: 'crisis.plainSequential', pKey: 'crisis.pExplainSequential', params };
  return { key: 'crisis.plain', pKey: 'crisis.pExplain', params };
}

/** isTopicStream: the stream is a listening topic's (its account is the topic's name). */
export function isTopicStream(k: Pick<CrisisKey, 'channel'>): boolean {
  return (k.channel as string) === 'listening';
}

/**
 * streamAccounts are the accounts whose crisis mode a stream's button shows and switches: the
 * stream's own account, or for a listening topic's stream every account of the brand the topic
 * is named after (the rule of Go's Workspace.TopicAccounts); none for a competitor's topic.
 */
export function streamAccounts(k: Pick<CrisisKey, 'account' | 'channel'>, accounts: readonly { name: string; brand: string }[]): string[] {
  if (!isTopicStream(k)) return [k.account];
  const name = k.account.toLowerCase();
  return accounts.filter((a) => a.brand.toLowerCase() === name || a.name.toLowerCase() === name).map((a) => a.name);
}
