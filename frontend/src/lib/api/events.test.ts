import { beforeEach, describe, expect, it, vi } from 'vitest';

// Only the Wails runtime is replaced: each payload below is the JSON Go's
// events.go emits, delivered the way EventsOn hands it to the page.
const handlers = vi.hoisted(() => new Map<string, (...d: unknown[]) => void>());
const runtimeMock = vi.hoisted(() => ({
  EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
    handlers.set(name, cb);
    return () => handlers.delete(name);
  }),
}));
vi.mock('../../../wailsjs/runtime/runtime', () => runtimeMock);

import { Events, onComposeDelta, onCrisisEvent, onReplyDelivered, onStreamReset, onSyncProgress } from './events';

beforeEach(() => handlers.clear());

describe('typed events', () => {
  it('names every event once', () => {
    const names = Object.values(Events);
    expect(new Set(names).size).toBe(names.length);
  });

  it('adapts the payloads Go sends', () => {
    const got: unknown[] = [];
    onComposeDelta((d) => got.push(d));
    onReplyDelivered((d) => got.push(d));
    onCrisisEvent((e) => got.push(e));
    onSyncProgress((p) => got.push(p));
    handlers.get(Events.ComposeDelta)!({ conversationId: 7, text: 'Hello ' });
    handlers.get(Events.ReplyDelivered)!({ conversationId: 7, replyId: 'r1', state: 'sent' });
    handlers.get(Events.CrisisEvent)!({ id: 3, accountId: 2, at: '2026-03-01T10:00:00Z', kind: 'alert', text: 'spike', ref: '' });
    handlers.get(Events.SyncProgress)!({ account: 'acme-mail', fetched: 5, stored: 4, more: false, total: 0, error: '', retryInMs: 2000, completed: true });
    expect(got).toEqual([
      { conversationId: 7, text: 'Hello ' },
      { conversationId: 7, replyId: 'r1', state: 'sent' },
      { id: 3, accountId: 2, at: '2026-03-01T10:00:00Z', kind: 'alert', text: 'spike', ref: '' },
      expect.objectContaining({ account: 'acme-mail', stored: 4, error: '', completed: true, retryInMs: 2000 }),
    ]);
  });

  it('hears the reset a team server sends a page that missed pruned events', () => {
    let resets = 0;
    const off = onStreamReset(() => resets++);
    handlers.get('events:reset')!();
    expect(resets).toBe(1);
    off();
    expect(handlers.has('events:reset')).toBe(false);
  });
});
