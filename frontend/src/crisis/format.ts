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
