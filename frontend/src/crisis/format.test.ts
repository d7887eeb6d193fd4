import { describe, expect, it } from 'vitest';
import type { Channel, CrisisAlert, KeyState } from '../lib/api';
import { setLang, t } from '../lib/i18n';
import { badgeKind, BIN_MS, byDay, cardFigures, isTopicStream, plainExplanation, streamAccounts } from './format';

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
    sequential: false,
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

describe('plainExplanation', () => {
  it('says how many negatives arrived in a window alert\'s window', () => {
    setLang('en');
    const p = plainExplanation(alert('2026-12-02T09:00:00Z'));
    expect(p.key).toBe('crisis.plain');
    expect(t(p.key, p.params)).toMatch(/^31 negative messages in the 1h from .*: 5 times the usual 6\.2\. An alert for a window this long starts at 20\.$/);
  });
  it('says how many more than expected arrived since when for a sequential alert, in every language', () => {
    const a = alert('2026-12-02T10:12:00Z', { sequential: true, start: '2026-12-02T09:05:00Z', windowMs: 67 * 60_000, observed: 31, baseline: 6.2, threshold: 24 });
    const want = { en: /^25 more negative messages than expected arrived since .*: 31 where 6\.2 were expected/, ru: /^С .* пришло на 25 негативных сообщений больше ожидаемого: 31 при ожидаемых 6,2/, de: /^Seit .* kamen 25 negative Nachrichten mehr als erwartet: 31, erwartet waren 6,2/ } as const;
    for (const [lang, re] of Object.entries(want)) {
      setLang(lang as 'en' | 'ru' | 'de');
      const p = plainExplanation(a);
      expect(p.key).toBe('crisis.plainSequential');
      expect(t(p.key, p.params)).toMatch(re);
      expect(t(p.pKey, p.params)).toContain('2,5'.replace(',', lang === 'en' ? '.' : ','));
    }
    setLang('en');
  });
});

describe('topic streams', () => {
  const accounts = [
    { name: 'care@aurora-air.com', brand: 'Aurora Air' },
    { name: '@AuroraAirHelpBot', brand: 'Aurora Air' },
    { name: 'support@sever-telecom.ru', brand: 'Sever Telecom' },
  ];
  it("maps a brand topic's stream to its brand's accounts, a competitor's to none", () => {
    expect(isTopicStream({ channel: 'listening' as Channel })).toBe(true);
    expect(isTopicStream({ channel: 'telegram' })).toBe(false);
    expect(streamAccounts({ account: 'aurora air', channel: 'listening' as Channel }, accounts)).toEqual(['care@aurora-air.com', '@AuroraAirHelpBot']);
    expect(streamAccounts({ account: 'Polar Wings', channel: 'listening' as Channel }, accounts)).toEqual([]);
    expect(streamAccounts({ account: 'support@sever-telecom.ru', channel: 'mail' }, accounts)).toEqual(['support@sever-telecom.ru']);
  });
  it("shows crisis mode on a topic's card only when all its brand's accounts are in it", () => {
    const s = state({ status: 'normal' });
    expect(badgeKind(s, ['a', 'b'], ['a', 'b'])).toBe('crisisMode');
    expect(badgeKind(s, ['a'], ['a', 'b'])).toBe('normal');
    expect(badgeKind(s, ['a'], [])).toBe('normal');
  });
});
