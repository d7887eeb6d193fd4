import { describe, expect, it } from 'vitest';
import { addDays, addMonths, formatDate, monthWeeks, parseDate } from './dates';
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

describe('addMonths', () => {
  it.each([
    ['2026-12-05', 1, '2027-01-05'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2028-03-31', -1, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-05-15', -12, '2025-05-15'],
  ])('%s + %i months is %s', (value, n, want) => {
    expect(addMonths(value, n)).toBe(want);
  });
});

describe('monthWeeks', () => {
  it('lays out December 2026 from Monday, blanks outside the month', () => {
    const w = monthWeeks('2026-12-05');
    expect(w).toHaveLength(5);
    // 1 December 2026 is a Tuesday, 31 December a Thursday.
    expect(w[0]).toEqual(['', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(w[4]).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '', '', '']);
    expect(w.flat().filter(Boolean)).toHaveLength(31);
  });

  it('gives February 2021 (Monday the 1st, 28 days) four whole weeks', () => {
    const w = monthWeeks('2021-02-14');
    expect(w).toHaveLength(4);
    expect(w[0]![0]).toBe('2021-02-01');
    expect(w[3]![6]).toBe('2021-02-28');
  });

  it('needs six weeks for a 31-day month that starts on a Sunday', () => {
    const w = monthWeeks('2026-03-01');
    expect(w).toHaveLength(6);
    expect(w[0]).toEqual(['', '', '', '', '', '', '2026-03-01']);
    expect(w[5]![1]).toBe('2026-03-31');
  });
});
