import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import MessageCard from './MessageCard.svelte';
import { normMessage, type MessageDelivery } from '../lib/api';
import { setLang } from '../lib/i18n';
import { goMessage } from '../test/goRows';

function msg(direction: 'in' | 'out') {
  return normMessage(goMessage({
    id: 7, conversationId: 5, direction, kind: 'dm', text: 'Hello', sentAt: '2026-03-02T10:00:00Z', flags: [],
    externalId: 'wamid.A', author: { id: 1, handle: '@acme', displayName: 'Acme' },
  }));
}

const read: MessageDelivery = { externalId: 'wamid.A', replyId: 'r1', status: 'read', at: '2026-03-02T10:05:00Z', errorCode: 0, error: '', reason: '' };

describe('delivery status under a sent message', () => {
  it('shows the word, and names it for a screen reader', () => {
    setLang('en');
    const { container } = render(MessageCard, { m: msg('out'), delivery: read });
    const el = container.querySelector('[data-delivery]');
    expect(el?.getAttribute('data-delivery')).toBe('read');
    expect(el?.getAttribute('role')).toBe('status');
    expect(el?.querySelector('.word')?.textContent).toBe('Read');
    expect(el?.querySelector('.visually-hidden')?.textContent).toBe('Delivery status: Read');
    expect(el?.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('words a failure in the person’s language', () => {
    setLang('ru');
    const failed = { ...read, status: 'failed' as const, errorCode: 131026, error: 'Message undeliverable', reason: 'undeliverable' };
    const { container } = render(MessageCard, { m: msg('out'), delivery: failed });
    expect(container.querySelector('.word')?.textContent).toBe('Не доставлено');
    expect(container.querySelector('[data-role="delivery-reason"]')?.textContent).toMatch(/не удалось доставить/);
    expect(container.querySelector('[data-role="delivery-platform"]')?.textContent).toContain('131026');
    setLang('en');
  });

  it('is not shown on a customer’s message, nor without a status', () => {
    expect(render(MessageCard, { m: msg('in'), delivery: read }).container.querySelector('[data-delivery]')).toBeNull();
    expect(render(MessageCard, { m: msg('out') }).container.querySelector('[data-delivery]')).toBeNull();
  });
});
