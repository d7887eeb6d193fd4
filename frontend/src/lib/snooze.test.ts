import { describe, expect, it } from 'vitest';
import { formatWake } from './snooze';

describe('formatWake', () => {
  const now = new Date(2026, 11, 7, 10, 0); // Monday 7 December 2026, local time
  const at = (y: number, m: number, d: number, h: number) => new Date(y, m, d, h, 0).toISOString();

  it.each(['en', 'ru', 'de'])('words the wake time by distance, in %s', (l) => {
    const hm = (iso: string) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
    const weekday = (iso: string) => new Intl.DateTimeFormat(l, { weekday: 'short' }).format(new Date(iso));
    // Today: the time alone.
    const today = at(2026, 11, 7, 15);
    expect(formatWake(today, now, l)).toBe(hm(today));
    // Tomorrow and later this week: weekday and time.
    for (const iso of [at(2026, 11, 8, 9), at(2026, 11, 13, 9)]) {
      const s = formatWake(iso, now, l);
      expect(s).toContain(weekday(iso));
      expect(s).toContain(hm(iso));
    }
    // A week or more on: day and month, no weekday; the year only when it differs.
    const later = formatWake(at(2026, 11, 14, 9), now, l);
    expect(later).toContain('14');
    expect(later).not.toContain(weekday(at(2026, 11, 14, 9)));
    expect(later).not.toContain('2026');
    expect(formatWake(at(2027, 0, 20, 9), now, l)).toContain('2027');
  });

  it('is empty for an unreadable time', () => {
    expect(formatWake('soon', now, 'en')).toBe('');
  });
});
