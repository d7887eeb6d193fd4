import { describe, expect, it } from 'vitest';
import { addDays, formatDate, parseDate } from './dates';
import type { Lang } from './i18n';

describe('parseDate', () => {
  it.each<[Lang, string, string | null]>([
    ['en', '', ''],
    ['ru', '   ', ''],
    ['en', '2026-12-05', '2026-12-05'],
    ['ru', '2026-12-05', '2026-12-05'],
    ['de', ' 2026-2-5 ', '2026-02-05'],
    ['ru', '05.12.2026', '2026-12-05'],
    ['de', '5.12.26', '2026-12-05'],
    ['en', '5.12.2026', '2026-12-05'], // dots are day first everywhere
    ['en', '12/5/2026', '2026-12-05'], // slashes in the language's order
    ['ru', '5/12/2026', '2026-12-05'],
    ['de', '05122026', '2026-12-05'],
    ['en', '20261205', '2026-12-05'],
    ['ru', '29.02.2028', '2028-02-29'],
    ['ru', '29.02.2026', null], // not a leap year
    ['de', '31.04.2026', null],
    ['en', '2026-13-01', null],
    ['en', '2026-00-10', null],
    ['ru', '0.12.2026', null],
    ['en', '13/5/2026', null],
    ['ru', '5.12', null],
    ['de', 'morgen', null],
    ['en', '2026-12-05T10:00', null],
    ['ru', '05.12.0026', null],
  ])('%s %j is %j', (l, text, want) => {
    expect(parseDate(text, l)).toBe(want);
  });
});

describe('formatDate', () => {
  it.each<[Lang, string, string]>([
    ['en', '2026-12-05', '2026-12-05'],
    ['ru', '2026-12-05', '05.12.2026'],
    ['de', '2026-01-09', '09.01.2026'],
    ['ru', '', ''],
    ['de', 'not a day', 'not a day'],
  ])('%s %j is %j', (l, value, want) => {
    expect(formatDate(value, l)).toBe(want);
  });

  it('reads back what it shows in every language', () => {
    for (const l of ['en', 'ru', 'de'] as Lang[]) {
      for (const d of ['2026-01-01', '2026-02-28', '2028-02-29', '2026-12-31']) expect(parseDate(formatDate(d, l), l)).toBe(d);
    }
  });
});

describe('addDays', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-03-29', 1, '2026-03-30'], // a daylight-saving night is still one day
    ['2026-12-05', -30, '2026-11-05'],
    ['', 1, ''],
  ])('%s + %i is %s', (value, n, want) => {
    expect(addDays(value, n)).toBe(want);
  });
});
