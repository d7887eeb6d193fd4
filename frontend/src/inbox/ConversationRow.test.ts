import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import ConversationRow from './ConversationRow.svelte';
import { normConversation } from '../lib/api';
import { setLang } from '../lib/i18n';
import { goAuthor, goConversation } from '../test/goRows';

// What Go sends for a list row, normalised the way the list does it.
function row(author: Parameters<typeof goAuthor>[0]) {
  return normConversation(goConversation({
    id: 5, channel: 'vk', status: 'open', kind: 'comment', subject: '', snippet: 'Where is my refund?', sentiment: 'negative',
    lastMessageAt: '2026-03-02T10:00:00Z', slaState: 'ok', slaDueAt: '2026-03-02T11:00:00Z', tags: [], assignee: '',
    author: { id: 9, handle: '@olga', displayName: 'Olga', ...author },
  }));
}

describe('ConversationRow', () => {
  it.each([
    ['an ordinary author has no marks', { reach: 120, vip: false }, [], ''],
    ['a VIP is marked', { reach: 120, vip: true }, ['VIP'], ''],
    ['an influencer shows the audience', { reach: 25_000 }, [], '25K'],
    ['both', { reach: 1_200_000, vip: true }, ['VIP'], '1.2M'],
  ])('%s', (_name, author, vip, reach) => {
    setLang('en');
    const { container } = render(ConversationRow, { c: row(author), index: 0, selected: false, open: false, now: Date.parse('2026-03-02T10:05:00Z'), onpick: () => {} });
    expect([...container.querySelectorAll('.mark.vip')].map((e) => e.textContent?.trim())).toEqual(vip);
    expect(container.querySelector('.mark.reach')?.textContent?.trim() ?? '').toBe(reach);
  });

  it.each([
    ['no standing', {}, ''],
    ['banned', { banned: true, blockedUntil: '2026-03-03T10:00:00Z' }, 'Banned'],
    ['blocked while the block runs', { blockedUntil: '2026-03-02T12:00:00Z' }, 'Blocked'],
    ['a block that has ended shows nothing', { blockedUntil: '2026-03-02T09:00:00Z' }, ''],
  ])('moderation standing: %s', (_name, author, want) => {
    setLang('en');
    const { container } = render(ConversationRow, { c: row(author), index: 0, selected: false, open: false, now: Date.parse('2026-03-02T10:05:00Z'), onpick: () => {} });
    expect(container.querySelector('.mark.ban')?.textContent?.trim() ?? '').toBe(want);
  });

  it.each([
    ['times in range have no marker', false, ''],
    ['times the store had to clamp are marked', true, 'date?'],
  ])('%s', (_name, suspiciousDate, want) => {
    setLang('en');
    const c = normConversation({ ...row({}), suspiciousDate });
    const { container } = render(ConversationRow, { c, index: 0, selected: false, open: false, now: Date.parse('2026-03-02T10:05:00Z'), onpick: () => {} });
    expect(container.querySelector('.date-unsure')?.textContent?.trim() ?? '').toBe(want);
  });

  it.each([
    ['en', 'until '],
    ['ru', 'до '],
    ['de', 'bis '],
  ] as const)('a snoozed row shows when it wakes, in %s', (l, prefix) => {
    setLang(l);
    const now = new Date(2026, 2, 2, 10, 5); // Monday, local time
    const until = new Date(2026, 2, 3, 9, 0); // Tuesday 09:00
    const c = normConversation({ ...row({}), snoozedUntil: until.toISOString() });
    const { container } = render(ConversationRow, { c, index: 0, selected: false, open: false, now: now.getTime(), onpick: () => {} });
    const mark = container.querySelector('[data-role="snoozed-until"]');
    const weekday = new Intl.DateTimeFormat(l, { weekday: 'short' }).format(until);
    expect(mark?.textContent?.trim()).toMatch(new RegExp(`^${prefix}${weekday}.*09:00`));
    setLang('en');
  });

  it.each([
    ['not snoozed', null],
    ['a snooze whose time has passed (before Go wakes it)', '2026-03-02T09:00:00Z'],
  ])('%s: no wake time', (_name, snoozedUntil) => {
    setLang('en');
    const c = normConversation({ ...row({}), snoozedUntil });
    const { container } = render(ConversationRow, { c, index: 0, selected: false, open: false, now: Date.parse('2026-03-02T10:05:00Z'), onpick: () => {} });
    expect(container.querySelector('[data-role="snoozed-until"]')).toBeNull();
  });
  it.each([
    ['a voice note without words is named', '', [{ name: '', contentType: 'audio/ogg', size: 0, kind: 'audio', ref: '', sha256: '' }], 'Voice message'],
    ['a document is named with its file', '', [{ name: 'boarding-pass.pdf', contentType: '', size: 0, kind: 'document', ref: 'x', sha256: '' }], 'Document: boarding-pass.pdf'],
    ['words win over the attachment', 'Here it is', [{ name: 'a.pdf', contentType: '', size: 0, kind: 'document', ref: '', sha256: '' }], 'Here it is'],
    ['no words and no attachment says no subject', '', [], '(no subject)'],
  ])('snippet: %s', (_name, snippet, snippetAttachments, want) => {
    setLang('en');
    const c = normConversation({ ...row({}), snippet, snippetAttachments });
    const { container } = render(ConversationRow, { c, index: 0, selected: false, open: false, now: Date.parse('2026-03-02T10:05:00Z'), onpick: () => {} });
    expect(container.querySelector('.snippet')?.textContent?.trim()).toBe(want);
  });
});
