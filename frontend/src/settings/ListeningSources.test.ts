import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

const svc = vi.hoisted(() => {
  const names = ['Kinds', 'Sources', 'SaveSource', 'DeleteSource'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
const runtimeMock = vi.hoisted(() => ({ EventsOn: vi.fn() }));
vi.mock('../../wailsjs/go/main/ListeningService', () => svc);
vi.mock('../../wailsjs/runtime/runtime', () => runtimeMock);

import ListeningSources from './ListeningSources.svelte';
import { setLang } from '../lib/i18n';
import { formFromSource, missing, settingsJSON } from './listeningSourceForm';

const kinds = [
  { kind: 'rss', fields: [{ name: 'url', type: 'text', optional: true }, { name: 'userAgent', type: 'text', optional: true }], secrets: [{ name: 'url', label: 'Private feed address', required: false }] },
  {
    kind: 'mastodon',
    fields: [{ name: 'baseUrl', type: 'text', optional: false }, { name: 'hashtags', type: 'list', optional: true }],
    secrets: [{ name: 'token', label: 'Access token (read:search)', required: false }],
  },
  { kind: 'youtube', fields: [{ name: 'maxPages', type: 'number', optional: true }], secrets: [{ name: 'api-key', label: 'API key', required: true }] },
];

const source = (over: Record<string, unknown> = {}) => ({
  id: 3, kind: 'mastodon', name: 'Fediverse', settings: '{"baseUrl":"https://m.example","hashtags":["aurora","air"]}', enabled: true,
  remaining: 250, resetAt: null, nextPoll: null, polledAt: '2026-05-01T10:00:00Z', errorCode: '', errorParams: {}, errorDetail: '',
  createdAt: '2026-05-01T00:00:00Z', ...over,
});

beforeEach(() => {
  vi.resetAllMocks();
  setLang('en');
  svc.Kinds.mockResolvedValue(kinds);
  svc.Sources.mockResolvedValue([]);
});

describe('listeningSourceForm', () => {
  it('round-trips settings, with lists and numbers, and leaves empty fields out', () => {
    const f = formFromSource(source(), kinds[1] as never);
    expect(f.fields).toEqual({ baseUrl: 'https://m.example', hashtags: 'aurora, air' });
    expect(f.secrets).toEqual({});
    f.fields.hashtags = ' aurora ,, jets ';
    expect(JSON.parse(settingsJSON(f, kinds[1] as never))).toEqual({ baseUrl: 'https://m.example', hashtags: ['aurora', 'jets'] });
    const yt = { id: 0, kind: 'youtube', name: 'Videos', enabled: true, fields: { maxPages: '3' }, secrets: {} };
    expect(JSON.parse(settingsJSON(yt, kinds[2] as never))).toEqual({ maxPages: 3 });
    expect(missing(yt, kinds[2] as never)).toBe('secret:api-key');
    expect(missing({ ...yt, id: 9 }, kinds[2] as never)).toBe('');
    expect(missing({ ...yt, name: ' ' }, kinds[2] as never)).toBe('name');
  });
});

describe('ListeningSources', () => {
  it('lists sources with their status, the last error worded from its code', async () => {
    setLang('ru');
    svc.Sources.mockResolvedValue([
      source(),
      source({ id: 4, kind: 'rss', name: 'Reviews', settings: '{"url":"https://r.example/feed"}', remaining: -1, errorCode: 'feed-unreadable', errorDetail: 'got text/html' }),
    ]);
    render(ListeningSources);
    const rows = await screen.findAllByRole('row');
    const review = rows.find((r) => r.dataset.source === 'Reviews')!;
    expect(within(review).getByText('Лента RSS/Atom')).toBeTruthy();
    expect(review.querySelector('[data-role="source-status"]')!.textContent).toContain('По этому адресу нет читаемой RSS- или Atom-ленты.');
    expect(review.querySelector('[data-role="remaining"]')!.textContent).toBe('неизвестно');
    const fedi = rows.find((r) => r.dataset.source === 'Fediverse')!;
    expect(fedi.querySelector('[data-role="source-status"]')!.textContent).toBe('Работает');
    expect(fedi.querySelector('[data-role="remaining"]')!.textContent).toBe('250');
  });

  it('adds a source with its kind fields and secrets, and never shows a secret back', async () => {
    svc.SaveSource.mockResolvedValue(source({ id: 5, kind: 'youtube', name: 'Videos' }));
    render(ListeningSources);
    await fireEvent.click(await screen.findByRole('button', { name: 'Add source' }));
    const kind = screen.getByLabelText('Kind') as HTMLSelectElement;
    await fireEvent.change(kind, { target: { value: 'youtube' } });
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Videos' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save source' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Fill in “API key”.');
    expect(svc.SaveSource).not.toHaveBeenCalled();
    const key = document.querySelector('[data-secret="api-key"]') as HTMLInputElement;
    expect(key.type).toBe('password');
    await fireEvent.input(key, { target: { value: 'k-123' } });
    await fireEvent.input(document.querySelector('[data-field="maxPages"]')!, { target: { value: '2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save source' }));
    await waitFor(() => expect(svc.SaveSource).toHaveBeenCalledTimes(1));
    expect(svc.SaveSource.mock.calls[0][0]).toEqual({ id: 0, kind: 'youtube', name: 'Videos', enabled: true, settings: '{"maxPages":2}', secrets: { 'api-key': 'k-123' } });
    expect(await screen.findByRole('status')).toBeTruthy();
  });

  it('edits a source with its secrets empty, keeping the stored ones', async () => {
    svc.Sources.mockResolvedValue([source()]);
    svc.SaveSource.mockResolvedValue(source());
    render(ListeningSources);
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const token = document.querySelector('[data-secret="token"]') as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.placeholder).toContain('leave empty');
    expect((document.querySelector('[data-field="hashtags"]') as HTMLInputElement).value).toBe('aurora, air');
    await fireEvent.click(screen.getByRole('button', { name: 'Save source' }));
    await waitFor(() => expect(svc.SaveSource).toHaveBeenCalledTimes(1));
    expect(svc.SaveSource.mock.calls[0][0]).toMatchObject({ id: 3, kind: 'mastodon', secrets: {} });
  });

  it('deletes a source after asking', async () => {
    svc.Sources.mockResolvedValue([source()]);
    svc.DeleteSource.mockResolvedValue(undefined);
    vi.stubGlobal('confirm', vi.fn(() => true));
    render(ListeningSources);
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(svc.DeleteSource).toHaveBeenCalledWith(3));
    vi.unstubAllGlobals();
  });
});
