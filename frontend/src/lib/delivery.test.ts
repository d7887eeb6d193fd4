import { describe, expect, it } from 'vitest';
import type { MessageDelivery } from './api';
import { deliveriesByMessage, deliveriesByReply, deliveryLine } from './delivery';
import { translate, type Key } from './i18n';

function d(over: Partial<MessageDelivery>): MessageDelivery {
  return { externalId: 'wamid.1', replyId: 'r1', status: 'sent', at: '2026-12-03T10:00:00Z', errorCode: 0, error: '', reason: '', ...over };
}

describe('deliveryLine', () => {
  it.each([
    ['sent', 'check', 'Sent'],
    ['delivered', 'checks', 'Delivered'],
    ['read', 'checks', 'Read'],
  ] as const)('%s: its word and icon, no reason', (status, icon, word) => {
    const l = deliveryLine(d({ status }))!;
    expect(l.icon).toBe(icon);
    expect(translate('en', l.label)).toBe(word);
    expect(l.reason).toBeNull();
    expect(l.platform).toBeNull();
  });

  it('a known failure is worded in each language, with the platform’s words kept', () => {
    const l = deliveryLine(d({ status: 'failed', errorCode: 131047, error: 'Re-engagement message', reason: 'window-closed' }))!;
    expect(l.icon).toBe('alert');
    expect(l.reason?.key).toBe('delivery.reason.window-closed');
    expect(translate('en', l.reason!.key)).toMatch(/24 hours/);
    expect(translate('ru', l.reason!.key)).toMatch(/24 час/);
    expect(translate('de', l.reason!.key)).toMatch(/24 Stunden/);
    expect(translate('de', l.label)).toBe('Nicht zugestellt');
    expect(translate('en', l.platform!.key, l.platform!.params)).toBe('The platform said: Re-engagement message (code 131047)');
  });

  it('an unknown reason falls back to the platform’s words, and with none to the code', () => {
    const withText = deliveryLine(d({ status: 'failed', errorCode: 135000, error: 'Generic user error', reason: 'some-new-code' }))!;
    expect(withText.reason).toBeNull();
    expect(translate('ru', withText.platform!.key, withText.platform!.params)).toContain('Generic user error');
    const bare = deliveryLine(d({ status: 'failed', errorCode: 135000 }))!;
    expect(bare.platform).toBeNull();
    expect(translate('en', bare.reason!.key, bare.reason!.params)).toBe('The platform gave no reason (code 135000).');
  });

  it('shows nothing for no delivery or a status this build does not know', () => {
    expect(deliveryLine(undefined)).toBeNull();
    expect(deliveryLine(d({ status: 'deleted' as MessageDelivery['status'] }))).toBeNull();
  });

  it('every status has a word in every language', () => {
    for (const status of ['sent', 'delivered', 'read', 'failed'] as const) {
      const key = deliveryLine(d({ status }))!.label as Key;
      for (const lang of ['en', 'ru', 'de'] as const) expect(translate(lang, key)).not.toBe(key);
    }
  });
});

describe('deliveriesByMessage', () => {
  it('indexes by the sent message’s id and tolerates a missing list', () => {
    const m = deliveriesByMessage([d({ externalId: 'wamid.A', status: 'read' }), d({ externalId: '', status: 'sent' })]);
    expect([...m.keys()]).toEqual(['wamid.A']);
    expect(deliveriesByMessage(undefined).size).toBe(0);
  });
});

describe('deliveriesByReply', () => {
  const thread = (id: number, ds: MessageDelivery[] | null) => ({ conversation: { id }, deliveries: ds });

  it('indexes the open thread’s statuses by reply for the composer’s history', () => {
    const m = deliveriesByReply(thread(7, [d({ replyId: 'r1', status: 'read' }), d({ externalId: 'm2', replyId: 'r2', status: 'delivered' })]), 7);
    expect(m.get('r1')?.status).toBe('read');
    expect(m.get('r2')?.status).toBe('delivered');
    expect(m.size).toBe(2);
  });

  it.each([
    ['another conversation’s thread', thread(8, [d({})]), 7],
    ['no thread yet', null, 7],
    ['no composer conversation', thread(7, [d({})]), null],
    ['no deliveries', thread(7, null), 7],
  ] as const)('%s: nothing', (_name, th, conv) => {
    expect(deliveriesByReply(th, conv).size).toBe(0);
  });
});
