import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Mention, NoteMention } from './api';

// The page's "team:mention" handlers, as the store subscribes them.
const bus = vi.hoisted(() => ({ mention: [] as ((m: NoteMention) => void)[] }));

vi.mock('./api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./api')>();
  return {
    ...orig,
    onTeamMention: vi.fn((cb: (m: NoteMention) => void) => {
      bus.mention.push(cb);
      return () => (bus.mention = bus.mention.filter((h) => h !== cb));
    }),
    onStreamReset: vi.fn(() => () => {}),
    mentions: vi.fn(async () => []),
    markMentionsRead: vi.fn(async () => {}),
    assignees: vi.fn(async () => ['Ann', 'Pete Lee']),
  };
});

import * as api from './api';
import { ApiError } from './api';
import { MentionStore } from './mentions.svelte';

const list = vi.mocked(api.mentions);
const markRead = vi.mocked(api.markMentionsRead);

function mention(noteId: number, readAt: string | null = null): Mention {
  return { noteId, conversationId: 10 + noteId, customer: 'Casey', subject: '', author: 'Pete Lee', body: `@Ann look ${noteId}`, createdAt: '2026-12-01T10:00:00Z', readAt };
}

function event(member: string, noteId = 7): NoteMention {
  return { member, conversationId: 17, noteId, author: 'Pete Lee', excerpt: '@Ann look' };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('MentionStore', () => {
  let store: MentionStore;
  beforeEach(() => {
    bus.mention = [];
    list.mockReset().mockResolvedValue([]);
    markRead.mockReset().mockResolvedValue(undefined);
    store = new MentionStore();
  });

  it('acts on mentions of its own member only: notifies and reloads the list', async () => {
    const heard: NoteMention[] = [];
    store.onMention = (m) => heard.push(m);
    store.init(() => 'Ann');
    await flush();
    expect(store.names).toEqual(['Ann', 'Pete Lee']);
    const loads = list.mock.calls.length;

    list.mockResolvedValue([mention(7)]);
    for (const h of bus.mention) h(event('Pete Lee'));
    for (const h of bus.mention) h(event(''));
    await flush();
    expect(heard).toEqual([]);
    expect(list.mock.calls.length).toBe(loads);

    for (const h of bus.mention) h(event('Ann'));
    await flush();
    expect(heard).toEqual([event('Ann')]);
    expect(store.items.map((m) => m.noteId)).toEqual([7]);
    expect(store.unread).toBe(1);

    store.destroy();
    expect(bus.mention).toEqual([]);
  });

  it('counts unread mentions and marks them read at once, then in Go', async () => {
    list.mockResolvedValue([mention(3), mention(2), mention(1, '2026-12-01T11:00:00Z')]);
    await store.load();
    expect(store.unread).toBe(2);

    await store.markRead([3, 1, 99]);
    expect(markRead).toHaveBeenCalledWith([3]); // read before, or not mine: not sent
    expect(store.unread).toBe(1);
    expect(store.items.find((m) => m.noteId === 3)?.readAt).toBeTruthy();

    markRead.mockClear();
    await store.markRead([1]);
    expect(markRead).not.toHaveBeenCalled();
  });

  it('reloads what Go has when marking read fails, and shows why', async () => {
    list.mockResolvedValue([mention(3)]);
    await store.load();
    markRead.mockRejectedValue(new ApiError('InboxService.MarkMentionsRead', 'database is locked', 'backend'));
    await store.markRead([3]);
    await flush();
    expect(store.error?.message).toContain('database is locked');
    expect(store.unread).toBe(1);
  });
});
