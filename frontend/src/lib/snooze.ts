// When a snooze ends: the presets of the snooze menu, in the user's local time.

import { isoParts, localDay } from './dates';

export type SnoozePreset = 'laterToday' | 'tomorrow' | 'nextWeek';
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['laterToday', 'tomorrow', 'nextWeek'];

/** The hour "tomorrow morning" and "next week" start at. */
export const MORNING_HOUR = 9;

/**
 * snoozeUntil: later today is three hours on, at the full hour (after 21:00
 * it is tomorrow morning instead); tomorrow morning is 09:00 tomorrow; next
 * week is Monday 09:00 of the coming week.
 */
export function snoozeUntil(preset: SnoozePreset, now: Date): Date {
  const d = new Date(now.getTime());
  switch (preset) {
    case 'laterToday':
      if (now.getHours() < 21) {
        d.setHours(now.getHours() + 3, 0, 0, 0);
        return d;
      }
      return snoozeUntil('tomorrow', now);
    case 'tomorrow':
      d.setDate(d.getDate() + 1);
      d.setHours(MORNING_HOUR, 0, 0, 0);
      return d;
    case 'nextWeek': {
      const days = ((8 - d.getDay()) % 7) || 7; // to the next Monday, a week on when today is Monday
      d.setDate(d.getDate() + days);
      d.setHours(MORNING_HOUR, 0, 0, 0);
      return d;
    }
  }
}

/**
 * parseLocal reads a local day (ISO, YYYY-MM-DD) and a 24-hour clock (HH:MM)
 * as one time; null when either is empty or unreadable or the time is not in
 * the future.
 */
export function parseLocal(day: string, clock: string, now: Date): Date | null {
  const p = isoParts(day);
  const cm = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!p || !cm) return null;
  const d = new Date(p[0], p[1] - 1, p[2], +cm[1]!, +cm[2]!);
  return Number.isNaN(d.getTime()) || d.getTime() <= now.getTime() ? null : d;
}

/** toLocalInput splits a time into the custom fields' local day (ISO) and clock (HH:MM). */
export function toLocalInput(d: Date): { day: string; clock: string } {
  const p = (n: number) => String(n).padStart(2, '0');
  return { day: localDay(d), clock: `${p(d.getHours())}:${p(d.getMinutes())}` };
}

/**
 * formatWake words when a snooze ends for a list row, in language l: the time
 * alone today, weekday and time within the coming six days, else day, month
 * (and year when it differs) with the time. '' for an unreadable time.
 */
export function formatWake(iso: string, now: Date, l: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const hm: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(d) - day(now)) / 86400000);
  let opts: Intl.DateTimeFormatOptions;
  if (days === 0) opts = hm;
  else if (days > 0 && days < 7) opts = { weekday: 'short', ...hm };
  else if (d.getFullYear() === now.getFullYear()) opts = { day: 'numeric', month: 'short', ...hm };
  else opts = { day: 'numeric', month: 'short', year: 'numeric', ...hm };
  return new Intl.DateTimeFormat(l, opts).format(d);
}
