import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { backoff, BACKOFF_MS, dropDraft, flushDrafts, keepDraft, localDraft, localDrafts, OfflineStore, unreachable } from './offline.svelte';

const coded = (code: string) => `stormdesk-error:{"code":"${code}","params":{},"detail":"x"}`;

describe('unreachable', () => {
  it.each([
    ['the shim could not fetch', new Error('bridge unreachable: InboxService.Stats: Failed to fetch'), true],
    ['the desktop proxy says so', new ApiError('Info', 'Server unreachable', 'backend', null, { code: 'server-unreachable', params: {}, detail: '' }), true],
    ['a gateway without JSON', new ApiError('Info', 'bridge: AppService.Info: HTTP 502, not JSON', 'unknown'), true],
    ['a bare 503', 'HTTP 503', true],
    ['coded text', coded('server-unreachable'), true],
    ['a refusal', new ApiError('Step', 'no', 'backend', null, { code: 'role-required', params: {}, detail: '' }), false],
    ['a platform that is down is not the server', new ApiError('Sync', 'x', 'backend', null, { code: 'unreachable', params: {}, detail: 'bridge unreachable' }), false],
    ['a plain Go error', 'store: disk full', false],
    ['a 500', 'HTTP 500', false],
  ])('%s', (_, err, want) => {
    expect(unreachable(err)).toBe(want);
  });
});

describe('backoff', () => {
  it('grows, then stays at its longest wait', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(backoff)).toEqual([...BACKOFF_MS, BACKOFF_MS.at(-1), BACKOFF_MS.at(-1)]);
  });
});

describe('local drafts', () => {
  beforeEach(() => localStorage.clear());

  it('keeps one text per conversation, oldest first, and ignores what is not a draft', () => {
    keepDraft({ conversationId: 7, replyId: 'r1', text: 'one', submit: false, at: '2026-01-01T10:00:01Z' });
    keepDraft({ conversationId: 3, replyId: 'r2', text: 'two', submit: true, at: '2026-01-01T10:00:00Z' });
    keepDraft({ conversationId: 7, replyId: 'r1', text: 'one, longer', submit: false, at: '2026-01-01T10:00:02Z' });
    localStorage.setItem('stormdesk.draft.9', '{not json');
    localStorage.setItem('stormdesk.theme', 'dark');
    expect(localDraft(7)?.text).toBe('one, longer');
    expect(localDrafts().map((d) => d.conversationId)).toEqual([3, 7]);
    dropDraft(3);
    expect(localDraft(3)).toBeNull();
  });

  it('flushes: saves each text, submits when asked, keeps what the server refuses, stops when it is away again', async () => {
    keepDraft({ conversationId: 1, replyId: 'a', text: 'saved', submit: false, at: '1' });
    keepDraft({ conversationId: 2, replyId: 'b', text: 'submitted', submit: true, at: '2' });
    keepDraft({ conversationId: 3, replyId: 'c', text: 'refused', submit: false, at: '3' });
    const step = vi.fn(async (s: { replyId: string; action: string }) => {
      if (s.replyId === 'c') throw coded('conflict');
    });
    const { saved, refused } = await flushDrafts({ step });
    expect(step.mock.calls.map((c) => [c[0].replyId, c[0].action])).toEqual([
      ['a', 'edit'],
      ['b', 'edit'],
      ['b', 'submit'],
      ['c', 'edit'],
    ]);
    expect(saved.map((d) => d.replyId)).toEqual(['a', 'b']);
    expect(refused.map((r) => r.draft.replyId)).toEqual(['c']);
    expect(localDrafts().map((d) => d.replyId)).toEqual(['c']);

    keepDraft({ conversationId: 4, replyId: 'd', text: 'later', submit: false, at: '4' });
    const away = vi.fn(async () => {
      throw new Error('bridge unreachable: ComposeService.Step: Failed to fetch');
    });
    const again = await flushDrafts({ step: away });
    expect(away).toHaveBeenCalledTimes(1);
    expect(again.saved).toEqual([]);
    expect(localDrafts().map((d) => d.replyId)).toEqual(['c', 'd']);
  });
});

describe('OfflineStore', () => {
  // A scheduler the test runs by hand: no clock involved.
  function manual() {
    const waits: number[] = [];
    let pending: (() => void) | null = null;
    return {
      waits,
      schedule: (fn: () => void, ms: number) => {
        waits.push(ms);
        pending = fn;
        return waits.length;
      },
      cancel: () => (pending = null),
      async fire() {
        const f = pending;
        pending = null;
        f?.();
        await new Promise((r) => setTimeout(r, 0));
      },
    };
  }

  it('goes down on an unreachable call only, probes with backoff, and runs the listeners once it answers', async () => {
    const clock = manual();
    let up = false;
    const probe = vi.fn(async () => {
      if (!up) throw new Error('bridge unreachable: AppService.Info: Failed to fetch');
      return {};
    });
    const store = new OfflineStore({ probe, schedule: clock.schedule, cancel: clock.cancel });
    const back = vi.fn();
    store.onBack(back);

    expect(store.report(coded('role-required'))).toBe(false);
    expect(store.down).toBe(false);
    expect(store.report('bridge unreachable: X.Y: Failed to fetch')).toBe(true);
    expect(store.down).toBe(true);
    expect(store.report('HTTP 502')).toBe(true); // already down: no second probe loop
    expect(clock.waits).toEqual([BACKOFF_MS[0]]);

    await clock.fire();
    await clock.fire();
    expect(probe).toHaveBeenCalledTimes(2);
    expect(clock.waits).toEqual([BACKOFF_MS[0], BACKOFF_MS[1], BACKOFF_MS[2]]);
    expect(back).not.toHaveBeenCalled();

    up = true;
    await clock.fire();
    expect(store.down).toBe(false);
    expect(back).toHaveBeenCalledTimes(1);
  });

  it('a refusal answers the probe too: the server is there', async () => {
    const clock = manual();
    const store = new OfflineStore({ probe: async () => Promise.reject(coded('member-disabled')), schedule: clock.schedule, cancel: clock.cancel });
    store.report('bridge unreachable: A.B: down');
    await store.retryNow();
    expect(store.down).toBe(false);
  });

  it('asks once when the event stream drops, and goes down only if the server does not answer', async () => {
    const clock = manual();
    let up = true;
    const probe = vi.fn(async () => {
      if (!up) throw new Error('bridge unreachable: AppService.Info: Failed to fetch');
      return {};
    });
    const store = new OfflineStore({ probe, schedule: clock.schedule, cancel: clock.cancel });
    const source = new EventTarget() as EventTarget & { readyState: number };
    const off = store.watch(source as unknown as EventSource);
    const drop = async () => {
      source.readyState = 0; // CONNECTING: the EventSource lost its connection and retries
      source.dispatchEvent(new Event('error'));
      await new Promise((r) => setTimeout(r, 0));
    };

    await drop(); // a blip: the server answers, nothing is said
    expect(probe).toHaveBeenCalledTimes(1);
    expect(store.down).toBe(false);

    up = false;
    await drop();
    expect(probe).toHaveBeenCalledTimes(2);
    expect(store.down).toBe(true);
    await drop(); // down already: the store's own backoff probes, not every stream retry
    expect(probe).toHaveBeenCalledTimes(2);

    source.readyState = 2; // closed for good is the access banner's case, not this one
    up = true;
    await store.retryNow();
    source.dispatchEvent(new Event('error'));
    expect(probe).toHaveBeenCalledTimes(3);
    off();
    await drop();
    expect(probe).toHaveBeenCalledTimes(3);
  });
});
