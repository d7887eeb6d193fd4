import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeriesBin } from './api';
import { alertSpan, alertSpans, band, chartData, hourBars, linear, MAX_HOUR_SLOT, niceCeil, ratio, yMax } from './chart';
import { FALLBACK_LOCALE, loadUPlot, pinUsableLanguage, timeRange, usableLocale } from './plot';

function bin(start: string, negative: number, baseline: number, upper: number): SeriesBin {
  return { start, negative, total: negative * 3, baseline, upper, baselineTotal: 0, learning: false };
}

describe('chart math', () => {
  it.each([
    [0, 1], [0.4, 1], [1, 1], [1.2, 2], [2, 2], [2.1, 2.5], [3, 5], [7, 10], [10, 10], [11, 20], [200, 200], [201, 250], [4800, 5000], [NaN, 1],
  ])('niceCeil(%s) = %s', (v, want) => {
    expect(niceCeil(v)).toBe(want);
  });

  it('keeps the band between baseline and threshold, never inverted or negative', () => {
    expect(band(bin('x', 0, 1.5, 6))).toEqual({ lo: 1.5, hi: 6 });
    expect(band(bin('x', 0, 4, 2))).toEqual({ lo: 4, hi: 4 });
    expect(band(bin('x', 0, -1, NaN))).toEqual({ lo: 0, hi: 0 });
  });

  it('scales y to cover the volume line, the tallest bar and the band top with headroom', () => {
    const s = [bin('2025-01-01T00:00:00Z', 3, 1, 8), bin('2025-01-01T00:15:00Z', 46, 1.2, 8)];
    expect(yMax(s)).toBe(200); // 138 messages × 1.1 = 151.8 -> 200
    expect(yMax([bin('2025-01-01T00:00:00Z', 2, 1, 9)])).toBe(10); // the band top (9 × 1.1) decides
    expect(yMax([{ ...bin('2025-01-01T00:00:00Z', 40, 1, 9), total: 40 }])).toBe(50); // the bar (44) decides
    expect(yMax([])).toBe(1);
  });

  it('builds aligned uPlot columns in time order, in seconds, skipping bins without a time', () => {
    const d = chartData([
      bin('2025-01-01T00:15:00Z', 5, 1, 7),
      bin('', 99, 9, 9),
      bin('2025-01-01T00:00:00Z', 2, 1.5, 6),
    ]);
    const t0 = Date.parse('2025-01-01T00:00:00Z') / 1000;
    expect(d.slice(0, 5)).toEqual([[t0, t0 + 900], [2, 5], [1.5, 1], [6, 7], [6, 15]]);
    expect(d[5].map((v) => (v === null ? null : Math.round(v)))).toEqual([33, 33]);
    // An empty bin has no share rather than 0 % or NaN.
    expect(chartData([{ ...bin('2025-01-01T00:00:00Z', 0, 0, 0), total: 0 }])[5]).toEqual([null]);
  });

  it('lists the windows of several alerts', () => {
    const t0 = Date.parse('2025-01-01T10:00:00Z') / 1000;
    expect(alertSpans([{ start: '2025-01-01T10:00:00Z', windowMs: 900_000 }, { start: '', windowMs: 1 }])).toEqual([[t0, t0 + 900]]);
  });

  it('marks the window that fired and maps values to pixels', () => {
    const s = alertSpan({ start: '2025-01-01T10:00:00Z', windowMs: 3_600_000 });
    const t0 = Date.parse('2025-01-01T10:00:00Z') / 1000;
    expect(s).toEqual([t0, t0 + 3600]);
    expect(alertSpan({ start: '', windowMs: 1 })).toBeNull();
    const y = linear([0, 100], [200, 0]); // canvas y grows downwards
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(linear([5, 5], [0, 10])(5)).toBe(0);
  });

  it('draws the single hour right after crisis mode opens as a bar, not an invisible one-point line', () => {
    const [b] = hourBars([{ inbound: 12, negative: 5 }], 240, 36);
    expect(b.width).toBeCloseTo(MAX_HOUR_SLOT * 0.75);
    expect(b.inY).toBe(0); // the busiest hour fills the height
    expect(b.negY).toBeCloseTo(36 - (5 / 12) * 36);
  });

  it('lays hours out left to right, scaled to the busiest, keeping a quiet hour visible', () => {
    const bars = hourBars(
      [
        { inbound: 0, negative: 0 },
        { inbound: 1, negative: 0 },
        { inbound: 400, negative: 300 },
      ],
      240,
      36,
    );
    expect(bars.map((b) => b.x)).toEqual([3, 27, 51]);
    expect(bars[0].inY).toBe(36); // nothing came in: no bar
    expect(bars[1].inY).toBe(35); // 1 of 400 still shows one unit
    expect(bars[1].negY).toBe(36);
    expect(bars[2].negY).toBeCloseTo(9);
    const many = hourBars(Array.from({ length: 48 }, () => ({ inbound: 1, negative: 0 })), 240, 36);
    expect(many[47].x + many[47].width).toBeLessThanOrEqual(240); // a long crisis still fits
    expect(hourBars([], 240, 36)).toEqual([]);
  });

  it('explains observed against baseline as a ratio', () => {
    expect(ratio(42, 10)).toBeCloseTo(4.2);
    expect(ratio(3, 0)).toBe(Infinity);
    expect(ratio(0, 0)).toBe(0);
  });
});

// WebKitGTK reports navigator.language "C" under LANG=C.UTF-8, and uPlot's module
// passes it to Intl.NumberFormat while loading: the charts in the window stayed empty.
describe('chart locale', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    Reflect.deleteProperty(navigator, 'language');
  });

  it.each([
    ['C', FALLBACK_LOCALE],
    ['C.UTF-8', FALLBACK_LOCALE],
    ['en_US', FALLBACK_LOCALE],
    ['', FALLBACK_LOCALE],
    [undefined, FALLBACK_LOCALE],
    ['de-DE', 'de-DE'],
    ['ru', 'ru'],
  ])('usableLocale(%j) = %s', (tag, want) => {
    expect(usableLocale(tag)).toBe(want);
  });

  it('shadows an unusable navigator.language and leaves a usable one alone', () => {
    class Nav {
      constructor(private readonly tag: string) {}
      get language() {
        return this.tag;
      }
    }
    const c = new Nav('C');
    expect(pinUsableLanguage(c)).toBe(FALLBACK_LOCALE);
    expect(c.language).toBe(FALLBACK_LOCALE);
    const de = new Nav('de-DE');
    expect(pinUsableLanguage(de)).toBe('de-DE');
    expect(Object.getOwnPropertyDescriptor(de, 'language')).toBeUndefined();
  });

  it('loads uPlot while the page reports the C locale', async () => {
    Object.defineProperty(navigator, 'language', { value: 'C', configurable: true });
    // jsdom has no matchMedia; uPlot asks it for the pixel ratio on load.
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    const uPlot = await loadUPlot();
    expect(typeof uPlot).toBe('function');
    expect(navigator.language).toBe(FALLBACK_LOCALE);
  });
});

describe('timeRange', () => {
  const range = timeRange(6 * 3600);
  type U = Parameters<typeof range>[0];
  const over = (xs: number[]) => ({ data: [xs] }) as unknown as U;
  it.each([
    // uPlot asks with a single point already stretched over 1,000 days.
    ['one point is centred in the least span', [1_000_000], 1_000_000, 1_000_000 + 86_400_000, [1_000_000 - 3 * 3600, 1_000_000 + 3 * 3600]],
    ['a short series is widened around its middle', [0, 900, 3600], 0, 3600, [1800 - 3 * 3600, 1800 + 3 * 3600]],
    ['a long series keeps its own range', [0, 72 * 3600], 0, 72 * 3600, [0, 72 * 3600]],
    ['exactly the least span is kept', [100, 100 + 6 * 3600], 100, 100 + 6 * 3600, [100, 100 + 6 * 3600]],
  ])('%s', (_name, xs, min, max, want) => {
    expect(range(over(xs), min, max, 'x')).toEqual(want);
  });
  it('leaves a chart without data alone', () => {
    expect(range(over([]), null as unknown as number, null as unknown as number, 'x')).toEqual([null, null]);
  });
});
