import { describe, expect, it, vi } from 'vitest';
import type { Conversation } from './api';
import { Notifier, SlaWatcher, type NotifyApi } from './notify';

function fakeApi(permission: string) {
  const shown: { title: string; body?: string; tag?: string }[] = [];
  const requestPermission = vi.fn(async () => 'granted');
  const ctor = function (this: unknown, title: string, o?: { body?: string; tag?: string }) {
    shown.push({ title, ...o });
  } as unknown as NotifyApi;
  Object.assign(ctor, { permission, requestPermission });
  return { api: ctor, shown, requestPermission };
}

const conv = (id: number, slaState: string, status = 'open') => ({ id, slaState, status }) as unknown as Conversation;

describe('Notifier', () => {
  it('asks for permission once and shows each id once', async () => {
    const f = fakeApi('default');
    const n = new Notifier(f.api);
    await n.requestOnce();
    await n.requestOnce();
    expect(f.requestPermission).toHaveBeenCalledTimes(1);

    (f.api as unknown as { permission: string }).permission = 'granted';
    expect(await n.show('sla:1', 'SLA breached', 'Ann: late parcel')).toBe(true);
    expect(await n.show('sla:1', 'SLA breached', 'again')).toBe(false);
    expect(f.shown).toEqual([{ title: 'SLA breached', body: 'Ann: late parcel', tag: 'sla:1' }]);
  });

  it('stays silent without permission or without the API', async () => {
    const f = fakeApi('denied');
    expect(await new Notifier(f.api).show('x', 't', 'b')).toBe(false);
    expect(f.shown).toHaveLength(0);
    const none = new Notifier(null);
    await none.requestOnce();
    expect(await none.show('x', 't', 'b')).toBe(false);
  });

  it('prefers the desktop service and falls back to the web API when it cannot show', async () => {
    const f = fakeApi('granted');
    const native = vi.fn(async (n: { tag: string }) => n.tag !== 'web');
    const n = new Notifier(f.api, native);
    expect(await n.show('crisis:1', 'Alert', 'acme', true)).toBe(true);
    expect(native).toHaveBeenCalledWith({ tag: 'crisis:1', title: 'Alert', body: 'acme', urgent: true });
    expect(f.shown).toHaveLength(0);
    expect(await n.show('web', 'Approval', 'reply 1')).toBe(true);
    expect(f.shown).toEqual([{ title: 'Approval', body: 'reply 1', tag: 'web' }]);

    const broken = new Notifier(f.api, async () => {
      throw new Error('bus gone');
    });
    expect(await broken.show('x', 'Still shown', 'b')).toBe(true);
    expect(f.shown).toHaveLength(2);
  });
});

describe('SlaWatcher', () => {
  it('reports a conversation when it turns warning or breached between refreshes', () => {
    const w = new SlaWatcher();
    expect(w.update([conv(1, 'ok'), conv(2, 'breached'), conv(3, 'warning'), conv(5, 'ok')])).toEqual([]);
    const turned = w.update([conv(1, 'breached'), conv(2, 'breached'), conv(3, 'warning'), conv(4, 'breached'), conv(5, 'warning')]);
    expect(turned.map((c) => [c.conversation.id, c.to])).toEqual([
      [1, 'breached'],
      [5, 'warning'],
    ]);
    expect(w.update([conv(1, 'breached'), conv(3, 'breached', 'closed'), conv(5, 'breached')]).map((c) => [c.conversation.id, c.to])).toEqual([
      [5, 'breached'],
    ]);
    // Back from breached to warning (the deadline moved) rings nothing.
    expect(w.update([conv(1, 'warning')])).toEqual([]);
  });
});
