// Number formats of the crisis screens, in the current language.
import { lang } from '../lib/i18n';

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
