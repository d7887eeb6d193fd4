import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const svc = vi.hoisted(() => {
  const names = ['Topics', 'SaveTopic', 'DeleteTopic', 'CheckQuery', 'Preview', 'Mentions', 'CorrectTonality', 'ToConversation', 'Sources', 'SaveSource', 'DeleteSource',
    'ForwardRules', 'SaveForwardRule', 'DeleteForwardRule', 'TestForwardRule', 'ForwardConfig', 'SaveForwardConfig'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
const runtimeMock = vi.hoisted(() => ({ EventsOn: vi.fn() }));
vi.mock('../../wailsjs/go/main/ListeningService', () => svc);
vi.mock('../../wailsjs/runtime/runtime', () => runtimeMock);

import ListeningScreen from './ListeningScreen.svelte';
import { setLang } from '../lib/i18n';

const topic = { id: 1, name: 'Aurora Air', query: '"aurora air"', kind: 'brand', enabled: true, createdAt: '2026-05-01T00:00:00Z' };

function mention(id: number, over: Record<string, unknown> = {}) {
  return {
    id, source: 'mastodon', externalId: String(id), url: `https://m.example/${id}`, author: `user${id}`, authorId: '', authorUrl: '',
    reach: 1200, title: '', text: `Aurora Air post ${id}`, lang: 'en', published: '2026-05-01T10:00:00Z', replies: -1, reactions: -1,
    replyChannel: 'mastodon', replyThread: String(id), replyTo: String(id), sentiment: 'negative', score: -0.7, corrected: false,
    conversationId: 0, foundAt: '2026-05-01T10:01:00Z', sources: [{ source: 'mastodon', url: '' }], topicIds: [1], ...over,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
  svc.Topics.mockResolvedValue([topic]);
  svc.ForwardRules.mockResolvedValue([]);
  svc.ForwardConfig.mockResolvedValue({ smtpHost: '', smtpPort: 0, smtpTls: '', smtpUser: '', from: '', hasBotToken: false, hasPassword: false });
  svc.Mentions.mockResolvedValue({ mentions: [mention(1), mention(2, { source: 'hn', replyChannel: '' })], next: '' });
});

describe('ListeningScreen', () => {
  it('lists the mentions and turns the selected one into a conversation with c', async () => {
    render(ListeningScreen);
    const list = await screen.findByRole('list', { name: 'Mentions' });
    expect(list.querySelectorAll('[data-mention]')).toHaveLength(2);
    expect(list.textContent).toContain('1,200 followers');
    expect(list.textContent).toContain('This source cannot be answered from Stormdesk.');
    // Sources by the names people know, not their ids.
    const badges = [...list.querySelectorAll('.src')].map((e) => e.textContent);
    expect(badges).toEqual(['Mastodon', 'Hacker News']);
    const sourceFilter = screen.getByRole('combobox', { name: 'All sources' }) as HTMLSelectElement;
    expect([...sourceFilter.options].map((o) => o.textContent)).toContain('Hacker News');

    svc.ToConversation.mockResolvedValue(77);
    await fireEvent.keyDown(list, { key: 'c' });
    await waitFor(() => expect(svc.ToConversation).toHaveBeenCalledWith(1));
    await screen.findByRole('button', { name: 'Open the conversation' });

    // j moves to the Hacker News mention, which cannot be answered: c does nothing.
    await fireEvent.keyDown(list, { key: 'j' });
    expect(list.querySelector('[aria-current="true"]')?.getAttribute('data-mention')).toBe('2');
    await fireEvent.keyDown(list, { key: 'c' });
    expect(svc.ToConversation).toHaveBeenCalledTimes(1);
  });

  it('corrects the tonality of a mention through the sentiment menu', async () => {
    render(ListeningScreen);
    const list = await screen.findByRole('list', { name: 'Mentions' });
    svc.CorrectTonality.mockResolvedValue(undefined);
    const row = list.querySelector('[data-mention="1"]') as HTMLElement;
    await fireEvent.click(row.querySelector('button[aria-label]') as HTMLElement);
    await fireEvent.click(row.querySelector('[data-label="positive"]') as HTMLElement);
    await waitFor(() => expect(svc.CorrectTonality).toHaveBeenCalledWith(1, 'positive'));
    await waitFor(() => expect(row.querySelector('[data-corrected="positive"]')).not.toBeNull());
  });

  it('filters the stream by topic and tonality', async () => {
    render(ListeningScreen);
    await screen.findByRole('list', { name: 'Mentions' });
    const tone = screen.getByRole('combobox', { name: 'Any tonality' }) as HTMLSelectElement;
    tone.value = 'positive';
    await fireEvent.change(tone);
    await waitFor(() => expect(svc.Mentions).toHaveBeenLastCalledWith(expect.objectContaining({ sentiment: 'positive', topicId: 0 }), ''));
    await fireEvent.click(screen.getByRole('button', { name: 'Aurora Air Brand' }));
    await waitFor(() => expect(svc.Mentions).toHaveBeenLastCalledWith(expect.objectContaining({ topicId: 1, sentiment: 'positive' }), ''));
  });

  for (const [lang, where] of [['en', 'at character 6'], ['ru', 'в позиции 6'], ['de', 'an Zeichen 6']] as const) {
    it(`checks the query as it is typed and says where it is wrong (${lang}), then previews a good one`, async () => {
      setLang(lang);
      render(ListeningScreen);
      await waitFor(() => expect(svc.Topics).toHaveBeenCalled());
      await fireEvent.click(document.querySelector('[data-new-topic]')!);
      const area = document.querySelector('[data-topic-editor] textarea') as HTMLTextAreaElement;
      svc.CheckQuery.mockResolvedValue({ ok: false, code: 'unclosed-quote', pos: 5, end: 6, param: '', terms: null });
      area.value = 'acme "x';
      await fireEvent.input(area);
      await waitFor(() => expect(document.querySelector('[data-query-check]')?.textContent).toContain(where));
      expect(area.getAttribute('aria-invalid')).toBe('true');
      expect(svc.Preview).not.toHaveBeenCalled();

      svc.CheckQuery.mockResolvedValue({ ok: true, code: '', pos: 0, end: 0, param: '', terms: ['acme', 'x'] });
      svc.Preview.mockResolvedValue([mention(5, { text: 'acme x preview' })]);
      area.value = 'acme "x"';
      await fireEvent.input(area);
      await waitFor(() => expect(document.querySelector('[data-preview]')?.textContent).toContain('acme x preview'));
      expect(area.getAttribute('aria-invalid')).toBe('false');
    });
  }
});
