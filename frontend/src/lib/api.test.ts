import { beforeEach, describe, expect, it, vi } from 'vitest';

const inboxMock = vi.hoisted(() => ({
  Conversations: vi.fn(),
  Thread: vi.fn(),
  Search: vi.fn(),
  Stats: vi.fn(),
  Accounts: vi.fn(),
  Tags: vi.fn(),
  SetStatus: vi.fn(),
  Assign: vi.fn(),
  AddTag: vi.fn(),
  RemoveTag: vi.fn(),
  CorrectSentiment: vi.fn(),
  Moderate: vi.fn(),
}));
const appMock = vi.hoisted(() => ({ Info: vi.fn(), Notify: vi.fn() }));
const runtimeMock = vi.hoisted(() => ({ EventsOn: vi.fn() }));

vi.mock('../../wailsjs/go/main/InboxService', () => inboxMock);
vi.mock('../../wailsjs/go/main/AppService', () => appMock);
vi.mock('../../wailsjs/runtime/runtime', () => runtimeMock);

import * as api from './api';
import { ApiError, toApiError } from './api';
import { goConversation, goMessage, goPendingApproval } from '../test/goRows';

const goWindow = globalThis as unknown as { go?: unknown };

beforeEach(() => {
  vi.resetAllMocks();
  goWindow.go = { main: {} };
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('api error normalization', () => {
  it('turns a rejected Go error string into an ApiError with that message', async () => {
    inboxMock.Thread.mockRejectedValue('store: conversation 42 not found');
    const err = await failure(api.thread(42));
    expect(err.message).toBe('store: conversation 42 not found');
    expect(err.kind).toBe('backend');
    expect(err.op).toBe('Thread');
  });

  it('keeps the message of a rejected Error and of an error object', async () => {
    inboxMock.Stats.mockRejectedValue(new Error('database is locked'));
    expect((await failure(api.stats())).message).toBe('database is locked');

    inboxMock.Tags.mockRejectedValue({ message: 'context canceled' });
    const err = await failure(api.tags());
    expect(err.message).toBe('context canceled');
    expect(err.kind).toBe('backend');
  });

  it('marks an empty rejection as unknown instead of showing an empty message silently', async () => {
    inboxMock.Accounts.mockRejectedValue(undefined);
    const err = await failure(api.accounts());
    expect(err.kind).toBe('unknown');
    expect(err.message).toBe('');
  });

  it('reports a missing Wails bridge as unavailable', async () => {
    delete goWindow.go;
    inboxMock.Stats.mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'main')");
    });
    const err = await failure(api.stats());
    expect(err.kind).toBe('unavailable');
    expect(err.op).toBe('Stats');
  });

  it('turns a synchronous throw inside a binding into an ApiError too', async () => {
    inboxMock.SetStatus.mockImplementation(() => {
      throw 'inbox: unknown status "archived"';
    });
    const err = await failure(api.setStatus(1, 'closed'));
    expect(err.message).toBe('inbox: unknown status "archived"');
  });

  it('leaves an ApiError untouched', () => {
    const e = new ApiError('X', 'boom', 'backend');
    expect(toApiError('Y', e)).toBe(e);
  });
});

describe('api calls', () => {
  it('passes arguments in binding order and reads the row Go sends', async () => {
    inboxMock.AddTag.mockResolvedValue(goConversation({ id: 7 }));
    const c = await api.addTag(7, 'vip');
    expect(inboxMock.AddTag).toHaveBeenCalledWith(7, 'vip');
    expect(c.tags).toEqual([]);
    expect(c.author.displayName).toBe('');
    expect(c.slaDueAt).toBeNull();
  });

  it('reads a page and keeps the keyset cursor', async () => {
    inboxMock.Conversations.mockResolvedValue({
      items: [goConversation({ id: 1, tags: ['a'], slaDueAt: '2025-01-01T10:00:00Z' }), goConversation({ id: 2 })],
      next: 'c2',
    });
    const q = {
      status: 'open', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
      unassigned: false, mine: false, order: 'sla', cursor: '', limit: 100, snoozed: false,
    } as const;
    const page = await api.conversations(q);
    expect(inboxMock.Conversations).toHaveBeenCalledWith(q);
    expect(page.next).toBe('c2');
    expect(page.items.map((c) => c.slaDueAt)).toEqual(['2025-01-01T10:00:00Z', null]);
    expect(page.items[0]!.tags).toEqual(['a']);
  });

  it('returns the empty lists Go sends for pages, threads and search results', async () => {
    inboxMock.Conversations.mockResolvedValue({ items: [], next: '' });
    inboxMock.Thread.mockResolvedValue({ conversation: goConversation({ id: 3 }), messages: [goMessage({ id: 9, direction: 'out' })], notes: [], snoozedUntil: null });
    inboxMock.Search.mockResolvedValue([]);
    expect((await api.conversations({} as never)).items).toEqual([]);
    const th = await api.thread(3);
    expect(th.messages[0]!.flags).toEqual([]);
    expect(th.messages[0]!.direction).toBe('out');
    expect(await api.search({ text: 'x', channel: '', beforeId: 0, limit: 10 })).toEqual([]);
  });

  it('subscribes to inbox:changed and hands back the unsubscribe function', () => {
    const off = vi.fn();
    runtimeMock.EventsOn.mockReturnValue(off);
    const cb = vi.fn();
    const unsubscribe = api.onInboxChanged(cb);
    expect(runtimeMock.EventsOn).toHaveBeenCalledWith('inbox:changed', expect.any(Function));
    runtimeMock.EventsOn.mock.calls[0]![1]();
    expect(cb).toHaveBeenCalledTimes(1);
    unsubscribe();
    expect(off).toHaveBeenCalled();
  });

  it('does not throw when there is no runtime to subscribe to', () => {
    runtimeMock.EventsOn.mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'EventsOnMultiple')");
    });
    expect(() => api.onInboxChanged(() => {})()).not.toThrow();
  });
});

describe('sync:progress', () => {
  it('carries the known total and the retry wait in milliseconds', () => {
    const got: api.SyncProgress[] = [];
    api.onSyncProgress((p) => got.push(p));
    const emit = runtimeMock.EventsOn.mock.calls[0]![1] as (p: api.SyncProgress) => void;
    emit({ account: 'acme-mail', fetched: 1000, stored: 990, more: true, total: 6046, error: '', retryInMs: 5000, completed: false });
    emit({ account: 'x', fetched: 0, stored: 0, more: false, total: 0, error: '', retryInMs: 0, completed: true });
    const p = got[0]!;
    expect(p.total).toBe(6046);
    expect(p.retryInMs).toBe(5000);
    expect(got[1]!.total).toBe(0);
  });
});

describe('SLA and correction fields', () => {
  it('reads the SLA state, warning time and policy, and a hand-set sentiment', async () => {
    inboxMock.Conversations.mockResolvedValue({
      items: [goConversation({ id: 1, slaState: 'warning', slaWarnAt: '2025-01-01T09:00:00Z', slaPolicy: 'public', slaDueAt: '2025-01-01T10:00:00Z' }), goConversation({ id: 2 })],
      next: '',
    });
    const page = await api.conversations({} as never);
    expect(page.items[0]).toMatchObject({ slaState: 'warning', slaWarnAt: '2025-01-01T09:00:00Z', slaPolicy: 'public' });
    expect(page.items[1]).toMatchObject({ slaState: '', slaWarnAt: null, slaPolicy: '' });

    expect(api.normMessage(goMessage({ id: 1, flags: ['sentiment-corrected'] })).sentimentCorrected).toBe(true);
    expect(api.normMessage({ ...goMessage({ id: 1 }), sentimentCorrected: true }).sentimentCorrected).toBe(true);
    expect(api.normMessage(goMessage({ id: 1, flags: ['invalid-utf8'] })).sentimentCorrected).toBe(false);
  });

  it('passes a correction to Go and rejects with its error text', async () => {
    inboxMock.CorrectSentiment.mockResolvedValue(null);
    await api.correctSentiment(42, 'positive');
    expect(inboxMock.CorrectSentiment).toHaveBeenCalledWith(42, 'positive');
    inboxMock.CorrectSentiment.mockRejectedValue('store: correct message 9: not found');
    const err = await failure(api.correctSentiment(9, 'negative'));
    expect(err.message).toBe('store: correct message 9: not found');
  });
});

describe('moderate', () => {
  it('passes confirm through and reads a warning without reasons', async () => {
    inboxMock.Moderate.mockResolvedValueOnce({ critical: true, reasons: ['negative', 'crisis'] });
    expect(await api.moderate(7, 'delete', false)).toEqual({ critical: true, reasons: ['negative', 'crisis'] });
    expect(inboxMock.Moderate).toHaveBeenCalledWith(7, 'delete', false);
    inboxMock.Moderate.mockResolvedValueOnce({ critical: false, reasons: [] });
    expect(await api.moderate(7, 'hide', true)).toEqual({ critical: false, reasons: [] });
  });

  it("keeps Go's error text", async () => {
    inboxMock.Moderate.mockRejectedValue('account demo-vk cannot moderate: no connector for vk');
    const err = await failure(api.moderate(3, 'hide', true));
    expect(err.message).toBe('account demo-vk cannot moderate: no connector for vk');
  });
});

describe('notifyDesktop and the approval queue', () => {
  it('sends the notification to Go and reads its answer strictly', async () => {
    appMock.Notify.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    const n = { tag: 'approval:r1', title: 'Approval requested', body: 'Ann drafted a reply', urgent: false };
    expect(await api.notifyDesktop(n)).toBe(true);
    expect(appMock.Notify).toHaveBeenCalledWith(n);
    expect(await api.notifyDesktop(n)).toBe(false);
  });

  it('reads queue entries as Go sends them', () => {
    const p = api.normPendingApproval(goPendingApproval({ reply: { id: 'r1', state: 'submitted' }, crisis: true, channel: 'vk' }));
    expect(p.reply.id).toBe('r1');
    expect(p.reply.problems).toEqual([]);
    expect(p.crisis).toBe(true);
    expect(p.author).toBe('');
    expect(api.normPendingApproval(goPendingApproval()).crisis).toBe(false);
  });
});
