import { describe, expect, it } from 'vitest';
import { csvFilename, hasData, heatLevel, sentimentData } from './analytics';

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
