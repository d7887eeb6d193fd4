import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const libraryMock = vi.hoisted(() => {
  const names = ['Canned', 'SaveCanned', 'DeleteCanned', 'KB', 'SaveKB', 'DeleteKB', 'Brands', 'SaveBrand'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
vi.mock('../../wailsjs/go/main/ReplyLibraryService', () => libraryMock);

import CannedPicker from './CannedPicker.svelte';
import type { Thread } from '../lib/api';
import { setLang } from '../lib/i18n';

const thread = {
  conversation: { id: 1, accountId: 1, channel: 'mail', subject: 'Late parcel', author: { handle: 'h@example.com', displayName: 'Hannah Smith' } },
  messages: [{ direction: 'in', author: { handle: 'h@example.com', displayName: 'Hannah Smith' } }],
} as unknown as Thread;

const delay = { id: 'c1', title: 'Delivery delay', lang: 'en', body: 'Hi {{customer}}, your parcel is late; ETA {{eta}}. {{agent}}', tags: ['delivery'] };
const refund = { id: 'c2', title: 'Refund policy', lang: 'en', body: 'Dear {{customer}}, refunds take 5 days.', tags: [] };

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
});

describe('CannedPicker', () => {
  it('searches Go as you type, moves with arrows and inserts the filled text on Enter', async () => {
    libraryMock.Canned.mockImplementation(async (q: string) => (q === '' ? [delay, refund] : q === 'ref' ? [refund, delay] : []));
    const oninsert = vi.fn();
    render(CannedPicker, { vars: { thread, me: 'alex', brand: 'Aurora' }, oninsert, onclose: vi.fn() });
    const input = screen.getByRole('combobox');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(document.activeElement).toBe(input);
    // the preview already shows what will be inserted, and the variable the thread lacks
    expect(screen.getAllByRole('option')[0]!.textContent).toContain('Hi Hannah Smith, your parcel is late; ETA {{eta}}. alex');
    expect(screen.getAllByRole('option')[0]!.querySelector('mark')!.textContent).toBe('{{eta}}');

    await fireEvent.input(input, { target: { value: 'ref' } });
    await waitFor(() => expect(libraryMock.Canned).toHaveBeenLastCalledWith('ref'));
    await waitFor(() => expect(screen.getAllByRole('option')[0]!.textContent).toContain('Refund policy'));
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(oninsert).toHaveBeenCalledWith('Dear Hannah Smith, refunds take 5 days.');
  });

  it('says when nothing matches and closes on Esc', async () => {
    libraryMock.Canned.mockResolvedValue([]);
    const onclose = vi.fn();
    render(CannedPicker, { vars: { thread: null, me: '', brand: '' }, oninsert: vi.fn(), onclose });
    await screen.findByText('No canned replies stored yet');
    await fireEvent.keyDown(screen.getByRole('combobox'), { key: 'Escape' });
    expect(onclose).toHaveBeenCalled();
  });
});
