// Dates are typed as text in the app's language rather than in <input type="date">,
// whose look follows the system's locale (an English WebKitGTK shows 12/05/2026 in the
// Russian UI, and Chromium its own browser locale), not the language chosen in the app.
// The value kept and sent to Go stays ISO (YYYY-MM-DD).

import type { Lang } from './i18n';

/** Day-first languages type and show DD.MM.YYYY; English shows ISO, which no reader misreads. */
const dayFirst: Record<Lang, boolean> = { en: false, ru: true, de: true };

const pad = (n: number) => String(n).padStart(2, '0');

/** isoParts splits an ISO day (YYYY-MM-DD) into year, month (1–12) and day; null for anything else. */
export function isoParts(value: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** utcDay is the ISO day of a UTC date. */
function utcDay(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  // Day 0 of the next month is the last day of this one (28–31).
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** formatDate shows an ISO day in language l's numeric form; '' stays '', anything not ISO is shown as it is. */
export function formatDate(value: string, l: Lang): string {
  const p = isoParts(value);
  if (!p || !dayFirst[l]) return value;
  return `${pad(p[2])}.${pad(p[1])}.${p[0]}`;
}

/**
 * parseDate reads a day as people type it in language l and answers it as ISO:
 * ISO itself (2026-12-05) in every language; day first with dots (5.12.2026,
 * 05.12.26) in every language, as no one writes the month first with dots;
 * with slashes the order of l (12/5/2026 in English, 5/12/2026 in Russian and
 * German); and eight digits in l's order. Two-digit years are 20YY.
 * '' (only spaces) answers ''; a day that does not exist (31.02.2026) or
 * anything else answers null.
 */
export function parseDate(text: string, l: Lang): string | null {
  const v = text.trim();
  if (v === '') return '';
  const year = (s: string) => (s.length === 2 ? 2000 + Number(s) : Number(s));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(v);
  if (m) return iso(year(m[3]!), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(v);
  if (m) return dayFirst[l] ? iso(year(m[3]!), Number(m[2]), Number(m[1])) : iso(year(m[3]!), Number(m[1]), Number(m[2]));
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(v);
  if (m && dayFirst[l]) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m && !dayFirst[l]) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** addDays moves an ISO day by n days (calendar days, no time zone involved). */
export function addDays(value: string, n: number): string {
  const p = isoParts(value);
  return p ? utcDay(new Date(Date.UTC(p[0], p[1] - 1, p[2] + n))) : value;
}

/** localDay is the ISO day of a time in the local zone. */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * monthWeeks lays out the month of an ISO day as weeks from Monday to Sunday:
 * ISO days, '' where a week reaches into the month before or after.
 */
export function monthWeeks(value: string): string[][] {
  const m = /^(\d{4})-(\d{2})/.exec(value);
  if (!m) return [];
  const y = Number(m[1]);
  const mon = Number(m[2]);
  const days = new Date(Date.UTC(y, mon, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(y, mon - 1, 1)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const cells: string[] = Array(lead).fill('');
  for (let d = 1; d <= days; d++) cells.push(`${y}-${pad(mon)}-${pad(d)}`);
  while (cells.length % 7) cells.push('');
  const weeks: string[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** addMonths moves an ISO day by n months, keeping the day where the month has it (31 March − 1 is 28 or 29 February). */
export function addMonths(value: string, n: number): string {
  const p = isoParts(value);
  if (!p) return value;
  const first = new Date(Date.UTC(p[0], p[1] - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return utcDay(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(p[2], last))));
}
