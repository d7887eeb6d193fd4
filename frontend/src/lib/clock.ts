// Quiet hours are typed as 24-hour HH:MM text rather than <input type="time">, whose
// look (a 12-hour "--:-- PM" in an English WebKitGTK) follows the system's locale, not
// the app's language.

/**
 * normalizeClock reads a 24-hour time as people type it ("7:5" is not one, "7:05",
 * "07:05", "0705" and "22.00" are) and answers it as Go's rule wants it, HH:MM;
 * "" stays "" (no quiet hours); anything else is null.
 */
export function normalizeClock(s: string): string | null {
  const v = s.trim();
  if (v === '') return '';
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(v);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}
