import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationViewers, Viewer } from './api/presence';
import { BEAT_MS, PresenceStore, REPLY_EDITOR_ID, TYPING_IDLE_MS, TYPING_RENEW_MS, presenceText, type PresenceApi } from './presence.svelte';
import { setLang } from './i18n';

function fakeApi() {
  let listener: ((p: ConversationViewers) => void) | null = null;
  const api = {
    heartbeat: vi.fn(async (_id: number, _typing: boolean): Promise<Viewer[]> => []),
    leavePresence: vi.fn(async () => {}),
    leaveOnUnload: vi.fn(() => {}),
    viewing: vi.fn(async (): Promise<ConversationViewers[]> => [{ conversationId: 3, viewers: [{ name: 'Bob', typing: false }] }]),
    onPresenceChanged: vi.fn((cb: (p: ConversationViewers) => void) => {
      listener = cb;
      return () => (listener = null);
    }),
  } satisfies PresenceApi;
  return { api, emit: (p: ConversationViewers) => listener?.(p) };
}

const beats = (api: ReturnType<typeof fakeApi>['api']) => api.heartbeat.mock.calls.map(([id, typing]) => `${id}:${typing}`);

describe('PresenceStore', () => {
  let f: ReturnType<typeof fakeApi>;
  let p: PresenceStore;

  beforeEach(async () => {
    vi.useFakeTimers();
    f = fakeApi();
    p = new PresenceStore(f.api);
    p.me = 'Ann';
    p.init();
    await vi.advanceTimersByTimeAsync(0);
  });
  afterEach(() => {
    p.destroy();
    vi.useRealTimers();
  });

  it('beats at once and every 10 s, follows the open conversation and leaves the one it closed', async () => {
    expect(beats(f.api)).toEqual(['0:false']);
    expect(p.others(3)).toEqual([{ name: 'Bob', typing: false }]); // from Viewing at start
    p.open(7);
    p.open(7);
    expect(beats(f.api)).toEqual(['0:false', '7:false']);
    await vi.advanceTimersByTimeAsync(BEAT_MS);
    expect(beats(f.api)).toEqual(['0:false', '7:false', '7:false']);
    p.open(9);
    expect(f.api.leavePresence).toHaveBeenCalledWith(7);
    p.open(null);
    expect(f.api.leavePresence).toHaveBeenCalledWith(9);
    expect(beats(f.api).at(-1)).toBe('0:false');
  });

  it('leaves when the page goes away', () => {
    window.dispatchEvent(new Event('pagehide'));
    expect(f.api.leaveOnUnload).toHaveBeenCalledTimes(1);
  });

  it('shows others, not me, and the members online', () => {
    f.emit({ conversationId: 7, viewers: [{ name: 'Ann', typing: true }, { name: 'Bob', typing: false }] });
    f.emit({ conversationId: 0, viewers: [{ name: 'Ann', typing: false }, { name: 'Bob', typing: false }] });
    expect(p.others(7)).toEqual([{ name: 'Bob', typing: false }]);
    expect(p.online).toEqual(['Ann', 'Bob']);
    f.emit({ conversationId: 7, viewers: [] });
    expect(p.others(7)).toEqual([]);
  });

  it('warns while another member is replying, until confirmed or they leave', () => {
    p.open(7);
    f.emit({ conversationId: 7, viewers: [{ name: 'Bob', typing: true }] });
    expect(p.collisionWith(7)).toEqual(['Bob']);
    // Bob pauses but keeps the conversation open: still replying.
    f.emit({ conversationId: 7, viewers: [{ name: 'Bob', typing: false }] });
    expect(p.collisionWith(7)).toEqual(['Bob']);
    f.emit({ conversationId: 7, viewers: [] });
    expect(p.collisionWith(7)).toEqual([]);
    f.emit({ conversationId: 7, viewers: [{ name: 'Bob', typing: true }] });
    p.confirm(7);
    expect(p.collisionWith(7)).toEqual([]);
    expect(p.collisionWith(8)).toEqual([]);
  });

  it('does not stop a member who was replying first', () => {
    p.open(7);
    p.typed();
    f.emit({ conversationId: 7, viewers: [{ name: 'Ann', typing: true }, { name: 'Bob', typing: true }] });
    expect(p.collisionWith(7)).toEqual([]);
  });

  it('sends typing at once, renews it while keys are pressed and ends it after a pause', async () => {
    p.open(7);
    const editor = document.createElement('textarea');
    editor.id = REPLY_EDITOR_ID;
    document.body.append(editor);
    editor.dispatchEvent(new Event('input', { bubbles: true }));
    expect(beats(f.api).slice(-1)).toEqual(['7:true']);
    await vi.advanceTimersByTimeAsync(TYPING_RENEW_MS / 2);
    p.typed();
    expect(beats(f.api).filter((b) => b === '7:true')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(TYPING_RENEW_MS / 2);
    p.typed();
    expect(beats(f.api).filter((b) => b === '7:true')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(TYPING_IDLE_MS);
    expect(beats(f.api).at(-1)).toBe('7:false');
    // Other inputs are not the reply.
    const other = document.createElement('input');
    document.body.append(other);
    const n = f.api.heartbeat.mock.calls.length;
    other.dispatchEvent(new Event('input', { bubbles: true }));
    expect(f.api.heartbeat.mock.calls.length).toBe(n);
    editor.remove();
    other.remove();
  });
});

describe('presenceText', () => {
  it('lists names in the language and agrees with their number', () => {
    setLang('en');
    expect(presenceText('presence.typing', ['Ann'])).toBe('Ann is typing…');
    expect(presenceText('presence.viewing', ['Ann', 'Bob'])).toBe('Ann and Bob are viewing');
    setLang('de');
    expect(presenceText('presence.replying', ['Ann', 'Bob'])).toBe('Ann und Bob antworten in dieser Unterhaltung');
    setLang('en');
  });
});

describe('PresenceStore and the draft button', () => {
  it('counts asking for a draft as starting a reply', async () => {
    vi.useFakeTimers();
    const f = fakeApi();
    const p = new PresenceStore(f.api);
    p.init();
    p.open(5);
    const section = document.createElement('section');
    section.className = 'composer';
    section.innerHTML = '<button data-action="draft"><span>Draft</span></button>';
    document.body.append(section);
    section.querySelector('span')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(beats(f.api).at(-1)).toBe('5:true');
    section.remove();
    p.destroy();
    vi.useRealTimers();
  });
});

describe('OnlineMembers', () => {
  it('lists the other members online in the sidebar, not me', async () => {
    const { render, screen } = await import('@testing-library/svelte');
    const { presence } = await import('./presence.svelte');
    const OnlineMembers = (await import('../inbox/OnlineMembers.svelte')).default;
    setLang('en');
    presence.me = 'Ann';
    presence.apply({ conversationId: 0, viewers: [{ name: 'Ann', typing: false }] });
    const { rerender } = render(OnlineMembers);
    expect(screen.queryByText(/Also online/)).toBeNull();
    presence.apply({ conversationId: 0, viewers: ['Ann', 'Bob', 'Cy'].map((name) => ({ name, typing: false })) });
    await rerender({});
    expect(screen.getByText('Also online: Bob and Cy')).toBeTruthy();
  });
});
