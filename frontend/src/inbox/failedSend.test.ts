import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import ConversationRow from './ConversationRow.svelte';
import { normConversation } from '../lib/api';
import { setLang, type Lang } from '../lib/i18n';
import { buildQuery, VIEWS, viewPreset } from '../lib/stores.svelte';
import { goConversation } from '../test/goRows';

// A list row as Go sends it, with or without a reply that failed to send.
function row(failedSend: boolean | undefined, status = 'open') {
  const c = goConversation({
    id: 7, channel: 'mail', status, kind: 'mail', subject: 'Bill', snippet: 'Why is my bill so high?', sentiment: 'negative',
    lastMessageAt: '2026-03-02T10:00:00Z', slaState: 'ok', slaDueAt: '2026-03-02T11:00:00Z', tags: [], assignee: '',
    author: { id: 9, handle: 'olga@example.com', displayName: 'Olga' },
  });
  // undefined: a row from a Go older than the field.
  return normConversation({ ...c, failedSend: failedSend as boolean });
}

const now = Date.parse('2026-03-02T10:05:00Z');

describe('the failed-send mark on a row', () => {
  it.each<[string, boolean | undefined, string, Lang, string, string]>([
    ['an open row whose reply failed', true, 'open', 'en', 'Not sent', 'A reply failed to send'],
    ['a closed row keeps the mark', true, 'closed', 'ru', 'Не отправлен', 'Ответ не отправлен'],
    ['in German', true, 'pending', 'de', 'Nicht gesendet', 'Eine Antwort wurde nicht gesendet'],
    ['no failed reply, no mark', false, 'closed', 'en', '', ''],
    ['an older Go without the field, no mark', undefined, 'open', 'en', '', ''],
  ])('%s', (_name, failed, status, lang, text, title) => {
    setLang(lang);
    const { container } = render(ConversationRow, { c: row(failed, status), index: 0, selected: false, open: false, now, onpick: () => {} });
    const mark = container.querySelector('[data-role=failed-send]');
    expect(mark?.textContent?.trim() ?? '').toBe(text);
    expect(mark?.getAttribute('title') ?? '').toBe(title);
    setLang('en');
  });
});

describe('the "Failed to send" view', () => {
  it('is in the table of views and asks Go for failed sends in any status', () => {
    const v = VIEWS.find((x) => x.id === 'failed');
    expect(v?.label).toBe('view.failed');
    const q = buildQuery('failed', viewPreset('failed').filters);
    expect(q.failedSend).toBe(true);
    expect(q.status).toBe('');
    expect(q.snoozed).toBe(false);
  });

  it('no other view asks for failed sends only', () => {
    for (const v of VIEWS.filter((x) => x.id !== 'failed')) {
      expect(buildQuery(v.id, v.preset.filters).failedSend, v.id).toBe(false);
    }
  });
});
