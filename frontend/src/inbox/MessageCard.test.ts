import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import MessageCard from './MessageCard.svelte';
import { normMessage } from '../lib/api';
import { formatDateTime, setLang } from '../lib/i18n';
import { goMessage } from '../test/goRows';
import { inbox } from '../lib/stores.svelte';
import { flushSync } from 'svelte';

// What Go sends for a message in a thread, normalised the way the thread does it.
function msg(extra: Parameters<typeof goMessage>[0]) {
  return normMessage(goMessage({
    id: 7, conversationId: 5, direction: 'out', kind: 'dm', text: 'Hello', sentAt: '2026-03-02T10:00:00Z', flags: [],
    author: { id: 1, handle: '@acme', displayName: 'Acme' }, ...extra,
  }));
}

describe('MessageCard date marker', () => {
  it.each([
    ['a trusted date has no marker', {}, '', ''],
    ['a replaced date names the claim', { flags: ['suspicious-date'], claimedAt: '3000-01-02T03:04:05Z' }, 'date?', 'The sender dated it ' + formatDateTime('3000-01-02T03:04:05Z', 'en')],
    ['a missing claim says so', { flags: ['suspicious-date'], claimedAt: null }, 'date?', 'The sender gave no usable date'],
  ])('%s', (_name, extra, text, title) => {
    setLang('en');
    const { container } = render(MessageCard, { m: msg(extra) });
    const mark = container.querySelector('.date-unsure');
    expect(mark?.textContent?.trim() ?? '').toBe(text);
    expect(mark?.getAttribute('title') ?? '').toBe(title);
  });

  it('is translated', () => {
    setLang('de');
    const { container } = render(MessageCard, { m: msg({ flags: ['suspicious-date'] }) });
    expect(container.querySelector('.date-unsure')?.textContent?.trim()).toBe('Datum?');
    setLang('en');
  });
});

describe('MessageCard moderation on Meta channels', () => {
  it.each([
    ['a Facebook comment can be shown again', 'facebook', 'comment', true],
    ['an Instagram comment can be shown again', 'instagram', 'comment', true],
    ['an Instagram DM cannot be moderated that way', 'instagram', 'dm', false],
    ['a YouTube comment has no unhide', 'youtube', 'comment', false],
  ])('%s', (_name, channel, kind, offered) => {
    setLang('en');
    inbox.info = { ...(inbox.info ?? {}), actions: ['read', 'work', 'moderate'] } as typeof inbox.info;
    const { container } = render(MessageCard, {
      m: msg({ direction: 'in', kind, author: { id: 2, handle: 'olga', displayName: 'Olga', channel } }),
    });
    const trigger = container.querySelector<HTMLButtonElement>('[data-action="moderate-menu"]');
    expect(trigger).not.toBeNull();
    trigger!.click();
    flushSync();
    expect(container.querySelector('[data-action="moderate-hide"]')).not.toBeNull();
    expect(container.querySelector('[data-action="moderate-unhide"]') !== null).toBe(offered);
    inbox.info = null;
  });
});

describe('MessageCard attachments', () => {
  it('shows a media message as its chips, not as an empty message', () => {
    setLang('en');
    const { container } = render(MessageCard, {
      m: msg({ direction: 'in', text: '', attachments: [{ name: '', contentType: 'image/jpeg', size: 0, kind: 'image', ref: '1481', sha256: '' }] }),
    });
    expect(container.textContent).not.toContain('(empty message)');
    expect(container.querySelector('.chip .label')?.textContent).toBe('Image');
  });

  it('keeps a caption above the chips', () => {
    setLang('en');
    const { container } = render(MessageCard, {
      m: msg({ direction: 'in', text: 'my ticket', attachments: [{ name: 'ticket.pdf', contentType: 'application/pdf', size: 0, kind: 'document', ref: '1', sha256: '' }] }),
    });
    expect(container.querySelector('.text')?.textContent).toBe('my ticket');
    expect(container.querySelector('.chip .label')?.textContent).toBe('ticket.pdf');
  });
});
