import { beforeEach, describe, expect, it, vi } from 'vitest';

// The real lib/api runs; only the Wails layer underneath is replaced, so the event
// travels the same path as in the app: runtime EventsOn -> normAlert -> store.
const handlers = vi.hoisted(() => new Map<string, (...d: unknown[]) => void>());
const runtimeMock = vi.hoisted(() => ({
  EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
    handlers.set(name, cb);
    return () => handlers.delete(name);
  }),
}));
const crisisMock = vi.hoisted(() => ({ States: vi.fn(), Alerts: vi.fn(), Groups: vi.fn(), SetCrisisMode: vi.fn(), InCrisis: vi.fn(), Timeline: vi.fn(), SampleConversations: vi.fn(), BurstGroups: vi.fn(), Series: vi.fn() }));
vi.mock('../../wailsjs/runtime/runtime', () => runtimeMock);
vi.mock('../../wailsjs/go/main/CrisisService', () => crisisMock);

import type { KeyState } from './api';
import { CrisisStore, defaultStream } from './crisis.svelte';

const goAlert = (account: string, start: string, detectedAt: string) => ({
  key: { account, channel: 'telegram' },
  start,
  detectedAt,
  windowMs: 3_600_000, // 1 h
  observed: 42,
  baseline: 3.5,
  threshold: 12,
  pValue: 1.2e-9,
  volume: 80,
  escalation: false,
  topTerms: [{ term: 'outage', count: 30, score: 8.1 }],
  topPhrases: [],
  samples: [
    { at: detectedAt, author: 'a', reach: 10, text: 'no internet since morning' },
    { at: detectedAt, author: 'b', reach: 5000, text: 'no internet since morning!!' },
    { at: detectedAt, author: 'c', reach: 1, text: 'billing is wrong' },
  ],
  authors: [],
  series: [],
});

beforeEach(() => {
  vi.useFakeTimers();
  handlers.clear();
  crisisMock.States.mockReset().mockResolvedValue([]);
  crisisMock.Alerts.mockReset().mockResolvedValue([]);
  crisisMock.Groups.mockReset();
  crisisMock.InCrisis.mockReset().mockResolvedValue([]);
  crisisMock.SetCrisisMode.mockReset().mockResolvedValue(null);
});

describe('crisis store', () => {
  it('lists a crisis:alert, toasts it, badges it while the dashboard is hidden, and refreshes the cards', async () => {
    const store = new CrisisStore();
    store.init();
    const emit = handlers.get('crisis:alert');
    expect(emit).toBeTypeOf('function');

    emit!(goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:20:00Z'));
    expect(store.alerts).toHaveLength(1);
    expect(store.alerts[0]).toMatchObject({ key: { account: 'nord-tg', channel: 'telegram' }, windowMs: 3_600_000, topPhrases: [], authors: [] });
    expect(store.toast?.key.account).toBe('nord-tg');
    expect(store.unseen).toBe(1);

    // The same alert again (a replayed event) is not news.
    emit!(goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:20:00Z'));
    expect(store.alerts).toHaveLength(1);
    expect(store.unseen).toBe(1);

    // A newer one goes first; with the dashboard shown it does not raise the badge.
    store.visible = true;
    emit!(goAlert('acme-tg', '2025-03-01T11:00:00Z', '2025-03-01T11:05:00Z'));
    expect(store.alerts.map((a) => a.key.account)).toEqual(['acme-tg', 'nord-tg']);
    expect(store.unseen).toBe(1);

    crisisMock.States.mockResolvedValue([{
      key: { account: 'acme-tg', channel: 'telegram' }, status: 'alert', binStart: '2025-03-01T11:00:00Z', observed: 9, volume: 12, baseline: 2,
      baselineVolume: 10, threshold: 6, historyFrom: '2025-01-01T00:00:00Z', learningUntil: null, lastAlert: '2025-03-01T11:05:00Z',
      cooldownUntil: '2025-03-01T17:05:00Z', late: 0, dropped: 0, lastMessage: '2025-03-01T11:05:00Z', dormant: false,
    }]);
    await vi.advanceTimersByTimeAsync(400);
    expect(crisisMock.States).toHaveBeenCalledTimes(1);
    // An unset time is null as Go sends it (it was '' while the UI patched Go's zero time).
    expect(store.states[0]).toMatchObject({ status: 'alert', observed: 9, learningUntil: null });

    store.markSeen();
    expect(store.unseen).toBe(0);
    store.destroy();
    expect(handlers.has('crisis:alert')).toBe(false);
  });

  it('keeps a live alert that Go does not list yet when loading, and groups samples of the selected alert', async () => {
    const store = new CrisisStore();
    store.init();
    handlers.get('crisis:alert')!(goAlert('live', '2025-03-02T10:00:00Z', '2025-03-02T10:01:00Z'));
    crisisMock.Alerts.mockResolvedValue([goAlert('old', '2025-03-01T10:00:00Z', '2025-03-01T10:01:00Z')]);
    await store.load();
    expect(store.alerts.map((a) => a.key.account)).toEqual(['live', 'old']);

    crisisMock.Groups.mockResolvedValue([[0, 1], [2]]);
    await store.select(store.alerts[0].id);
    expect(crisisMock.Groups).toHaveBeenCalledWith(['no internet since morning', 'no internet since morning!!', 'billing is wrong']);
    expect(store.groups).toEqual([[0, 1], [2]]);

    crisisMock.Groups.mockRejectedValue('crisis: grouping failed');
    await store.select(store.alerts[1].id);
    expect(store.groups).toBeNull();
    expect(store.groupsError?.message).toBe('crisis: grouping failed');
    store.destroy();
  });

  it('lists and toasts an escalation that shares its window start with the alert it grew from', async () => {
    const store = new CrisisStore();
    store.init();
    const emit = handlers.get('crisis:alert')!;
    emit(goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:20:00Z'));
    store.dismissToast();
    emit({ ...goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:35:00Z'), observed: 60, escalation: true });
    expect(store.alerts.map((a) => a.observed)).toEqual([60, 42]);
    expect(new Set(store.alerts.map((a) => a.id)).size).toBe(2);
    expect(store.toast?.observed).toBe(60);

    // Go lists both; loading keeps one row each, so the keyed list has no duplicate.
    crisisMock.Alerts.mockResolvedValue([
      { ...goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:35:00Z'), observed: 60, escalation: true },
      goAlert('nord-tg', '2025-03-01T10:00:00Z', '2025-03-01T10:20:00Z'),
    ]);
    await store.load();
    expect(store.alerts.map((a) => a.observed)).toEqual([60, 42]);
    await store.select(store.alerts[1].id);
    expect(store.selected?.observed).toBe(42);
    store.destroy();
  });

  it('charts the stream in alert after loading, marks its alerts, and switches streams on request', async () => {
    const store = new CrisisStore();
    crisisMock.States.mockResolvedValue([
      { key: { account: 'quiet', channel: 'mail' }, status: 'normal' },
      { key: { account: 'live', channel: 'telegram' }, status: 'alert' },
    ]);
    crisisMock.Alerts.mockResolvedValue([goAlert('live', '2025-03-02T10:00:00Z', '2025-03-02T10:01:00Z'), goAlert('old', '2025-03-01T10:00:00Z', '2025-03-01T10:01:00Z')]);
    crisisMock.InCrisis.mockResolvedValue([]);
    crisisMock.Series.mockResolvedValue([{ start: '2025-03-02T10:00:00Z', negative: 9, total: 12, baseline: 1, upper: 5, baselineTotal: 10, learning: false }]);
    await store.load();
    await vi.waitFor(() => expect(store.streamSeries).not.toBeNull());
    expect(crisisMock.Series).toHaveBeenLastCalledWith('live', 'telegram');
    expect(store.streamId).toBe('live/telegram');
    expect(store.streamSeries![0]).toMatchObject({ negative: 9, total: 12 });
    expect(store.streamAlerts.map((a) => a.key.account)).toEqual(['live']);

    crisisMock.Series.mockRejectedValue('crisis: the monitor is starting');
    await store.showStream({ account: 'quiet', channel: 'mail' });
    expect(store.streamId).toBe('quiet/mail');
    expect(store.streamSeries).toBeNull();
    expect(store.streamError?.message).toBe('crisis: the monitor is starting');
  });

  it('charts by default the stream in alert, else the one alerted last, else the first with history', () => {
    const st = (account: string, status: string, lastAlert: string | null = null) => ({ key: { account, channel: 'vk' }, status, lastAlert }) as KeyState;
    const cases: [string, KeyState[], string | undefined][] = [
      ['nothing', [], undefined],
      ['all learning', [st('a', 'learning'), st('b', 'learning')], 'a'],
      ['first with history', [st('a', 'learning'), st('b', 'normal'), st('c', 'normal')], 'b'],
      ['alerted last, even in normal state', [st('a', 'normal'), st('b', 'normal', '2025-03-01T10:00:00Z'), st('c', 'cooldown', '2025-03-02T10:00:00Z'), st('d', 'normal', '2025-02-01T10:00:00Z')], 'c'],
      ['in alert beats a newer alert elsewhere', [st('a', 'normal', '2025-03-03T10:00:00Z'), st('b', 'alert', '2025-03-02T10:00:00Z')], 'b'],
      ['the newest of two in alert', [st('a', 'alert', '2025-03-02T10:00:00Z'), st('b', 'alert', '2025-03-02T11:00:00Z')], 'b'],
      ['an unreadable date counts as none', [st('a', 'normal', 'soon'), st('b', 'normal')], 'a'],
    ];
    for (const [name, states, want] of cases) {
      expect(defaultStream(states)?.key.account, name).toBe(want);
    }
  });

  it('shows the Go error text when loading fails', async () => {
    const store = new CrisisStore();
    crisisMock.States.mockRejectedValue('the crisis monitor is starting');
    await store.load();
    expect(store.error?.message).toBe('the crisis monitor is starting');
    expect(store.loaded).toBe(true);
  });
});

describe('crisis mode', () => {
  it('load reads the accounts in crisis; setMode switches one and rereads Go', async () => {
    const store = new CrisisStore();
    crisisMock.InCrisis.mockResolvedValueOnce(['acme-vk']);
    await store.load();
    expect(store.inCrisis).toEqual(['acme-vk']);

    crisisMock.InCrisis.mockResolvedValueOnce(['acme-vk', 'nord-tg']);
    await store.setMode('nord-tg', true);
    expect(crisisMock.SetCrisisMode).toHaveBeenCalledWith('nord-tg', true);
    expect(store.inCrisis).toEqual(['acme-vk', 'nord-tg']);
    expect(store.switching.size).toBe(0);
  });

  it("keeps the list and shows Go's error when the switch fails", async () => {
    const store = new CrisisStore();
    crisisMock.InCrisis.mockResolvedValueOnce(['acme-vk']);
    await store.load();
    crisisMock.SetCrisisMode.mockRejectedValueOnce('crisis mode for "ghost": store: not found');
    await store.setMode('ghost', true);
    expect(store.modeError?.message).toBe('crisis mode for "ghost": store: not found');
    expect(store.inCrisis).toEqual(['acme-vk']);
    expect(store.switching.size).toBe(0);
  });
});
