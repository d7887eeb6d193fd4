import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Page } from './api';

// The page's "events:reset" handler, as the inbox subscribes it.
const reset = vi.hoisted(() => ({ handlers: [] as (() => void)[] }));

vi.mock('./api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./api')>();
  return {
    ...orig,
    onStreamReset: vi.fn((cb: () => void) => {
      reset.handlers.push(cb);
      return () => (reset.handlers = reset.handlers.filter((h) => h !== cb));
    }),
    accounts: vi.fn(async () => []),
    savedViews: vi.fn(async () => []),
    info: vi.fn(async () => ({})),
    conversations: vi.fn(),
    setStatus: vi.fn(),
    triage: vi.fn(),
    undo: vi.fn(),
    thread: vi.fn(async (id: number) => ({ conversation: conv(id), messages: [], notes: [], snoozedUntil: null })),
    stats: vi.fn(async () => ({ channels: [], conversations: 0, messages: 0 })),
    tags: vi.fn(async () => []),
    addNote: vi.fn(),
  };
});

import * as api from './api';
import { ApiError } from './api';
import { buildQuery, CHANGED_GAP_MS, InboxStore, viewPreset, withItem } from './stores.svelte';

const conversations = vi.mocked(api.conversations);
const setStatus = vi.mocked(api.setStatus);
const triage = vi.mocked(api.triage);
const undo = vi.mocked(api.undo);
const thread = vi.mocked(api.thread);

function conv(id: number, status: Conversation['status'] = 'open'): Conversation {
  return {
    id, accountId: 1, channel: 'mail', threadKey: '', kind: 'mail', subject: `s${id}`, status, assignee: '',
    priority: 0, tags: [], snippet: '', snippetAttachments: [], sentiment: '', negativeCount: 0, messageCount: 1,
    firstMessageAt: '2025-01-01T00:00:00Z', lastMessageAt: '2025-01-01T00:00:00Z', slaDueAt: null, slaState: '', slaWarnAt: null, slaPolicy: '', suspiciousDate: false, failedSend: false, snoozedUntil: null,
    author: { id: 1, channel: 'mail', externalId: 'a', handle: 'a', displayName: 'A', reach: 0, notes: '', vip: false, banned: false, blockedUntil: null },
  };
}
const page = (ids: number[], next: string): Page => ({ items: ids.map((i) => conv(i)), next });

beforeEach(() => {
  conversations.mockReset();
  setStatus.mockReset();
  triage.mockReset();
  undo.mockReset();
  thread.mockClear();
});

describe('views and filters', () => {
  it('combines a view with the filters bar into the query', () => {
    const mine = buildQuery('mine', { ...viewPreset('mine').filters, channel: 'vk' });
    expect(mine).toMatchObject({ mine: true, unassigned: false, status: 'open', channel: 'vk', order: 'newest' });
    expect(buildQuery('sla', viewPreset('sla').filters)).toMatchObject({ status: 'open', order: 'sla' });
    expect(buildQuery('tag:press', viewPreset('tag:press').filters)).toMatchObject({ tag: 'press', status: '' });
    expect(buildQuery('channel:youtube', viewPreset('channel:youtube').filters)).toMatchObject({ channel: 'youtube' });
    expect(buildQuery('negative', viewPreset('negative').filters, 'cur', 50)).toMatchObject({
      sentiment: 'negative',
      cursor: 'cur',
      limit: 50,
    });
  });
});

describe('snoozed and saved views', () => {
  it('the Snoozed view asks Go for snoozed conversations of any status', () => {
    expect(buildQuery('snoozed', viewPreset('snoozed').filters)).toMatchObject({ snoozed: true, status: '' });
    expect(buildQuery('all', viewPreset('all').filters)).toMatchObject({ snoozed: false, status: 'open' });
  });

  it('a saved view starts from its base view with its own filters and order', () => {
    const saved = [{ id: 4, name: 'My angry mail', filters: { base: 'mine', status: '' as const, channel: 'mail' as const, sentiment: 'negative' as const, order: 'sla' as const } }];
    const p = viewPreset('saved:4', saved);
    expect(p.mine).toBe(true);
    expect(buildQuery(p, p.filters)).toMatchObject({ mine: true, status: '', channel: 'mail', sentiment: 'negative', order: 'sla' });
    expect(viewPreset('saved:99', saved).filters.status).toBe('open');
  });
});

describe('keyset paging', () => {
  it('passes page.next as the cursor and appends until the end', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2], 'n1')).mockResolvedValueOnce(page([3, 2, 4], '')); // 2 repeats
    await s.reload();
    expect(conversations.mock.calls[0]![0].cursor).toBe('');
    await s.loadMore();
    expect(conversations.mock.calls[1]![0].cursor).toBe('n1');
    expect(s.items.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    await s.loadMore();
    expect(conversations).toHaveBeenCalledTimes(2);
  });

  it('shows a failed load as an error with the Go message', async () => {
    const s = new InboxStore();
    conversations.mockRejectedValueOnce(new ApiError('Conversations', 'store: bad cursor', 'backend'));
    await s.reload();
    expect(s.items).toEqual([]);
    expect(s.errors.map((e) => e.error.message)).toEqual(['store: bad cursor']);
    s.dismissError(s.errors[0]!.id);
    expect(s.errors).toEqual([]);
  });
});

describe('server unreachable', () => {
  const away = () => new ApiError('Conversations', 'bridge unreachable: InboxService.Conversations: Failed to fetch', 'unknown');

  it('keeps the loaded list and a thread read before, and leaves the telling to the offline banner', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2], ''));
    await s.reload();
    await s.open(2);
    expect(s.thread?.conversation.id).toBe(2);
    await s.open(1);

    conversations.mockRejectedValueOnce(away());
    thread.mockRejectedValueOnce(away());
    await s.reload();
    await s.open(2);
    expect(s.items.map((c) => c.id)).toEqual([1, 2]);
    expect(s.thread?.conversation.id).toBe(2);
    expect(s.errors).toEqual([]);

    // A thread never read is not there to show.
    thread.mockRejectedValueOnce(away());
    await s.open(9);
    expect(s.thread).toBeNull();
  });
});

describe('actions', () => {
  /** The invariant: a highlighted row and an open thread are one conversation. */
  function expectInStep(s: InboxStore) {
    if (s.openId !== null && s.selected >= 0) expect(s.items[s.selected]!.id).toBe(s.openId);
  }

  it('e closes the open conversation in one Go call, the thread moves on with the highlight, and undo brings it back', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2, 3], ''));
    await s.reload();
    s.select(1);
    await vi.waitFor(() => expect(s.thread?.conversation.id).toBe(2));
    triage.mockResolvedValueOnce({ undoId: 7, items: [conv(2, 'closed')] });
    await s.closeTarget();
    expect(triage).toHaveBeenCalledWith([2], { action: 'close', assignee: '', tag: '', until: '' });
    expect(s.items.map((c) => c.id)).toEqual([1, 3]);
    expect(s.selected).toBe(1);
    expect(s.openId).toBe(3);
    expectInStep(s);
    expect(s.undoable).toEqual({ undoId: 7, action: 'close', count: 1 });

    undo.mockResolvedValueOnce([conv(2)]);
    conversations.mockResolvedValueOnce(page([1, 2, 3], ''));
    await s.undo();
    expect(undo).toHaveBeenCalledWith(7);
    expect(s.undoable).toBeNull();
    expect(s.openId).toBe(2);
    expect(s.selected).toBe(1);
    expectInStep(s);
  });

  it('a list load that read before the close cannot bring the closed row back', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2, 3], ''));
    await s.reload();
    s.select(1);
    await vi.waitFor(() => expect(s.thread?.conversation.id).toBe(2));
    // A refresh (say, inbox:changed) is in flight while e closes 2; its page predates the close.
    let answerOld!: (p: Page) => void;
    conversations.mockReturnValueOnce(new Promise<Page>((r) => (answerOld = r)));
    const refresh = s.reload(true);
    triage.mockResolvedValueOnce({ undoId: 9, items: [conv(2, 'closed')] });
    conversations.mockResolvedValueOnce(page([1, 3], ''));
    await s.closeTarget();
    answerOld(page([1, 2, 3], ''));
    await refresh;
    await vi.waitFor(() => expect(s.loading).toBe(false));
    expect(s.items.map((c) => c.id)).toEqual([1, 3]);
    expectInStep(s);
  });

  it('x and shift+j check rows, e closes them all in one call, and the highlight stays on the open one', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2, 3, 4, 5], ''));
    await s.reload();
    s.select(3); // 4 is open
    s.select(0);
    s.toggleCheck(); // 1
    s.extendCheck(1); // 1, 2
    s.extendCheck(1); // 1, 2, 3; highlight and thread on 3
    expect([...s.checked.ids].sort()).toEqual([1, 2, 3]);
    expect(s.openId).toBe(3);
    triage.mockResolvedValueOnce({ undoId: 8, items: [conv(1, 'closed'), conv(2, 'closed'), conv(3, 'closed')] });
    await s.closeTarget();
    expect(triage).toHaveBeenCalledTimes(1);
    expect(triage.mock.calls[0]![0].sort()).toEqual([1, 2, 3]);
    expect(s.items.map((c) => c.id)).toEqual([4, 5]);
    expect(s.checked.ids.size).toBe(0);
    expect(s.openId).toBe(4);
    expectInStep(s);
    expect(s.undoable?.count).toBe(3);
  });

  it('a refresh without the open conversation highlights no other row', async () => {
    const s = new InboxStore();
    conversations.mockResolvedValueOnce(page([1, 2, 3], ''));
    await s.reload();
    s.select(2);
    conversations.mockResolvedValueOnce(page([1, 2], ''));
    await s.reload(true);
    expect(s.openId).toBe(3);
    expect(s.selected).toBe(-1);
    conversations.mockResolvedValueOnce(page([5, 3, 1], ''));
    await s.reload(true);
    expect(s.selected).toBe(1);
    expectInStep(s);
  });
});

describe('a reset event stream', () => {
  it('reloads the list, the open thread, counts, accounts and saved views at once', async () => {
    conversations.mockResolvedValue(page([1, 2], ''));
    const s = new InboxStore();
    await s.init();
    await s.open(2);
    conversations.mockClear();
    thread.mockClear();
    vi.mocked(api.stats).mockClear();
    vi.mocked(api.accounts).mockClear();
    vi.mocked(api.savedViews).mockClear();
    // The list changed while the page was away and no event said so.
    conversations.mockResolvedValue(page([3, 1, 2], ''));
    expect(reset.handlers).toHaveLength(1);
    reset.handlers[0]();
    await vi.waitFor(() => expect(s.items.map((c) => c.id)).toEqual([3, 1, 2]));
    expect(conversations).toHaveBeenCalledTimes(1);
    expect(thread).toHaveBeenCalledWith(2);
    expect(api.stats).toHaveBeenCalled();
    expect(api.accounts).toHaveBeenCalled();
    expect(api.savedViews).toHaveBeenCalled();
    expect(s.openId).toBe(2);
    s.destroy();
    expect(reset.handlers).toHaveLength(0);
  });
});

describe('inbox:changed', () => {
  it('a lone change refreshes at once; a burst costs one more refresh after the gap, none after', async () => {
    conversations.mockResolvedValue(page([1, 2], ''));
    const s = new InboxStore();
    await s.reload();
    await s.open(2);
    await vi.waitFor(() => expect(s.thread?.conversation.id).toBe(2));
    vi.useFakeTimers();
    try {
      conversations.mockClear();
      thread.mockClear();
      // Another member changed the open conversation: its thread and the list are read now.
      s.onChanged();
      expect(thread).toHaveBeenCalledTimes(1);
      expect(thread).toHaveBeenCalledWith(2);
      expect(conversations).toHaveBeenCalledTimes(1);

      // A sync stores a burst: ten events within the gap wait for it, then refresh once.
      for (let i = 0; i < 10; i++) s.onChanged();
      expect(thread).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(CHANGED_GAP_MS);
      expect(thread).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(CHANGED_GAP_MS * 4);
      expect(thread).toHaveBeenCalledTimes(2);

      // After a quiet gap the next change is again refreshed at once.
      s.onChanged();
      expect(thread).toHaveBeenCalledTimes(3);
      s.destroy();
      await vi.advanceTimersByTimeAsync(CHANGED_GAP_MS * 4);
      expect(thread).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('notes', () => {
  it('keeps one copy of a note the change event brought before AddNote answered', async () => {
    const s = new InboxStore();
    await s.open(2);
    const note = { id: 7, conversationId: 2, author: 'Ann', body: 'hi @Pete', createdAt: '2025-01-01T00:00:00Z', mentions: ['Pete'] };
    let answer!: (n: typeof note) => void;
    vi.mocked(api.addNote).mockImplementationOnce(() => new Promise((r) => (answer = r)));
    const saving = s.addNote(note.body);
    // The server's event reloads the thread, which already holds the stored note.
    thread.mockImplementationOnce(async (id: number) => ({ conversation: conv(id), messages: [], notes: [note], snoozedUntil: null }) as never);
    s.onChanged();
    await vi.waitFor(() => expect(s.thread?.notes).toHaveLength(1));
    answer(note);
    expect(await saving).toBe(true);
    expect(s.thread?.notes.map((n) => n.id)).toEqual([7]);
    s.destroy();
  });

  it('withItem adds a new id and replaces a known one in place', () => {
    const list = [{ id: 1, v: 'a' }, { id: 2, v: 'b' }];
    expect(withItem(list, { id: 3, v: 'c' }).map((x) => x.id)).toEqual([1, 2, 3]);
    expect(withItem(list, { id: 1, v: 'z' })).toEqual([{ id: 1, v: 'z' }, { id: 2, v: 'b' }]);
  });
});
