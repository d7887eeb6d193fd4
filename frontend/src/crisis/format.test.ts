import { describe, expect, it } from 'vitest';
import type { CrisisAlert, KeyState } from '../lib/api';
import { badgeKind, BIN_MS, byDay, cardFigures } from './format';

function state(over: Partial<KeyState> = {}): KeyState {
  return {
    key: { account: 'acme-tg', channel: 'telegram' },
    status: 'normal',
    binStart: '2026-12-02T10:00:00Z',
    observed: 3,
    volume: 10,
    baseline: 1.5,
    baselineVolume: 9,
    threshold: 9,
    historyFrom: '',
    learningUntil: '',
    lastAlert: '',
    cooldownUntil: '',
    lastMessage: '2026-12-02T10:05:00Z',
    late: 0,
    dropped: 0,
    dormant: false,
    ...over,
  } as KeyState;
}

function alert(detectedAt: string, over: Partial<CrisisAlert> = {}): CrisisAlert {
  return {
    id: `acme-tg/telegram@${detectedAt}`,
    key: { account: 'acme-tg', channel: 'telegram' },
    start: detectedAt,
    detectedAt,
    windowMs: 3_600_000,
    observed: 31,
    baseline: 6.2,
    threshold: 20,
    pValue: 1e-7,
    volume: 50,
    escalation: false,
    topTerms: [],
    topPhrases: [],
    samples: [],
    authors: [],
    series: [],
    ...over,
  } as CrisisAlert;
}

describe('cardFigures', () => {
  it('shows the running bin while the stream is not in alert', () => {
    expect(cardFigures(state(), [alert('2026-12-02T09:00:00Z')])).toEqual({ windowMs: BIN_MS, observed: 3, baseline: 1.5, threshold: 9 });
  });
  it('shows the newest alert of the stream while in alert, so the card and the alert agree', () => {
    const alerts = [
      alert('2026-12-02T09:00:00Z', { threshold: 12, windowMs: BIN_MS }),
      alert('2026-12-02T09:40:00Z'),
      alert('2026-12-02T09:50:00Z', { key: { account: 'other', channel: 'telegram' }, threshold: 99 }),
    ];
    expect(cardFigures(state({ status: 'alert' }), alerts)).toEqual({ windowMs: 3_600_000, observed: 31, baseline: 6.2, threshold: 20 });
  });
});

describe('badgeKind', () => {
  it('never says normal for a stream in crisis mode', () => {
    for (const status of ['learning', 'normal', 'alert', 'cooldown'] as const) {
      expect(badgeKind(state({ status }), ['acme-tg'])).toBe('crisisMode');
    }
    expect(badgeKind(state({ dormant: true }), ['acme-tg'])).toBe('crisisMode');
  });
  it('says past data for a dormant stream, else the detector status', () => {
    expect(badgeKind(state({ dormant: true }), [])).toBe('history');
    expect(badgeKind(state({ status: 'cooldown' }), ['other'])).toBe('cooldown');
  });
});

describe('byDay', () => {
  it('groups consecutive items by their local day, keeping the order', () => {
    const at = (h: number, d: number) => new Date(2015, 1, d, h).toISOString();
    const g = byDay([at(18, 23), at(9, 23), at(22, 22), at(1, 20)], (x) => x);
    expect(g.map((x) => [x.day, x.items.length])).toEqual([
      ['2015-02-23', 2],
      ['2015-02-22', 1],
      ['2015-02-20', 1],
    ]);
  });
});
