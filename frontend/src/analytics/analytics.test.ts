import { describe, expect, it } from 'vitest';
import { addDays, csvFilename, hasData, heatLevel, responseCells, sentimentData, spanRange, todayIn } from './analytics';

describe('heatLevel', () => {
  it.each([
    [0, 100, 0],
    [1, 100, 1], // sqrt(0.01)*5 = 0.5 -> 1: any traffic is visible
    [25, 100, 3], // sqrt(0.25)*5 = 2.5 -> 3
    [64, 100, 4],
    [100, 100, 5],
    [250, 100, 5], // clamped
    [5, 0, 0], // no max: nothing to scale against
    [-3, 10, 0],
    [Number.NaN, 10, 0],
  ])('heatLevel(%d, %d) = %d', (n, max, want) => {
    expect(heatLevel(n, max)).toBe(want);
  });
  it('grows with the count', () => {
    let prev = 0;
    for (let n = 0; n <= 50; n++) {
      const l = heatLevel(n, 50);
      expect(l).toBeGreaterThanOrEqual(prev);
      prev = l;
    }
  });
});

describe('csvFilename', () => {
  it('names the shown days, the last one included', () => {
    expect(csvFilename('heatmap', '2026-03-02T00:00:00+01:00', '2026-03-09T00:00:00+01:00')).toBe(
      'stormdesk-heatmap-2026-03-02-2026-03-08.csv',
    );
  });
  it('adds a safe account name and crosses month ends', () => {
    expect(csvFilename('sla', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', 'Acme VK/Shop')).toBe(
      'stormdesk-sla-2026-02-01-2026-02-28-acme-vk-shop.csv',
    );
  });
  it('survives dates it cannot read', () => {
    expect(csvFilename('topics', '', 'soon')).toBe('stormdesk-topics-unknown-unknown.csv');
  });
});

describe('sentimentData', () => {
  it('makes aligned columns at local noon and skips bad days', () => {
    const d = sentimentData([
      { day: '2026-03-28', negative: 1, neutral: 2, positive: 3, unscored: 0 },
      { day: 'bad', negative: 9, neutral: 9, positive: 9, unscored: 9 },
      { day: '2026-03-29', negative: 4, neutral: 5, positive: 6, unscored: 1 },
    ]);
    expect(d[1]).toEqual([1, 4]);
    expect(d[3]).toEqual([3, 6]);
    expect(new Date(d[0][0]! * 1000).getHours()).toBe(12);
    expect(new Date(d[0][1]! * 1000).getDate()).toBe(29);
  });
});

describe('hasData', () => {
  it('is false for an empty period only', () => {
    expect(hasData({ inbound: 0, total: { conversations: 0 } })).toBe(false);
    expect(hasData({ inbound: 0, total: { conversations: 2 } })).toBe(true);
  });
});

describe('spanRange', () => {
  it('opens on the data span when all of it is older than the default period', () => {
    expect(spanRange({ first: '2015-02-16', last: '2015-02-24' }, '2026-12-02', 30)).toEqual({ from: '2015-02-16', to: '2015-02-24' });
  });
  it('keeps the default period when the data reaches into it', () => {
    expect(spanRange({ first: '2015-02-16', last: '2026-11-20' }, '2026-12-02', 30)).toBeNull();
    expect(spanRange({ first: '', last: '' }, '2026-12-02', 30)).toBeNull();
    expect(spanRange(null, '2026-12-02', 30)).toBeNull();
  });
  it('keeps the newest 366 days of a longer span, and days 0 always gives the span', () => {
    expect(spanRange({ first: '2012-01-01', last: '2015-02-24' }, '2026-12-02', 30)).toEqual({ from: '2014-02-24', to: '2015-02-24' });
    expect(spanRange({ first: '2026-11-30', last: '2026-12-01' }, '', 0)).toEqual({ from: '2026-11-30', to: '2026-12-01' });
  });
  it('counts calendar days across month ends and leap days', () => {
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2015-03-01', -1)).toBe('2015-02-28');
    expect(todayIn('Asia/Tokyo', new Date('2026-12-01T20:00:00Z'))).toBe('2026-12-02');
    expect(todayIn('America/Los_Angeles', new Date('2026-12-02T05:00:00Z'))).toBe('2026-12-01');
  });
});

describe('responseCells', () => {
  const row = {
    dimension: 'all', key: 'all', conversations: 12, firstResponseCount: 0, firstResponseP50: 0, firstResponseP90: 0,
    resolutionCount: 0, resolutionP50: 0, resolutionP90: 0, withSla: 0, withinSla: 0, withinPct: 0, breached: 0, warnings: 0,
  };
  it('says "no data", never 0, where the period has no replies and no SLA clock (imported history)', () => {
    expect(responseCells(row, 'en')).toEqual({ frt: 'no data / no data', resolution: 'no data / no data', within: 'no data', breached: 'no data', warnings: 'no data' });
    expect(responseCells(row, 'ru').frt).toBe('нет данных / нет данных');
    expect(responseCells(row, 'de').breached).toBe('keine Daten');
  });
  it('shows the reply times history holds, and real zeros where clocks ran', () => {
    const c = responseCells({ ...row, firstResponseCount: 3, firstResponseP50: 40 * 60, firstResponseP90: 2 * 3600, withSla: 4, withinSla: 4, withinPct: 100 }, 'en');
    expect(c.frt).not.toContain('no data');
    expect(c.frt).toMatch(/40/);
    expect(c.breached).toBe('0');
    expect(c.within).toBe('100%');
  });
});
