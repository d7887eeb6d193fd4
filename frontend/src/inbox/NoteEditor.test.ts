import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const inboxMock = vi.hoisted(() => {
  const names = ['Assignees', 'AddNote', 'Mentions', 'MarkMentionsRead'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
vi.mock('../../wailsjs/go/main/InboxService', () => inboxMock);

import NoteEditor from './NoteEditor.svelte';
import NoteCard from './NoteCard.svelte';
import { nav } from '../lib/nav.svelte';
import { setLang } from '../lib/i18n';
import type { Note } from '../lib/api';

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
  inboxMock.Assignees.mockResolvedValue(['Ann', 'Ann Lee', 'Pete Lee']);
});

/** type sets the text and the caret at its end, as typing does, and fires input. */
async function type(area: HTMLTextAreaElement, text: string) {
  area.value = text;
  area.setSelectionRange(text.length, text.length);
  await fireEvent.input(area);
}

describe('NoteEditor @ completion', () => {
  it('offers the teammates matching what follows @ and completes the picked one', async () => {
    nav.noteEditor = true;
    render(NoteEditor);
    const area = screen.getByRole('combobox') as HTMLTextAreaElement;
    await waitFor(() => expect(inboxMock.Assignees).toHaveBeenCalled());

    await type(area, 'please @an');
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent?.trim())).toEqual(['@Ann', '@Ann Lee']);

    await fireEvent.keyDown(area, { key: 'ArrowDown' });
    expect(screen.getByRole('option', { selected: true }).textContent?.trim()).toBe('@Ann Lee');
    await fireEvent.keyDown(area, { key: 'Enter' });
    await waitFor(() => expect(area.value).toBe('please @Ann Lee '));
    expect(area.selectionStart).toBe('please @Ann Lee '.length);
    expect(screen.queryByRole('option')).toBeNull();
    expect(inboxMock.AddNote).not.toHaveBeenCalled(); // Enter completed, it did not save

    await type(area, 'please @Ann Lee and @zz');
    expect(screen.queryByRole('listbox')).toBeNull();
    await type(area, 'mail ann@pe');
    expect(screen.queryByRole('listbox')).toBeNull();
    nav.noteEditor = false;
  });

  it('closes the suggestions on Escape and keeps the editor open', async () => {
    nav.noteEditor = true;
    render(NoteEditor);
    const area = screen.getByRole('combobox') as HTMLTextAreaElement;
    await waitFor(() => expect(inboxMock.Assignees).toHaveBeenCalled());
    await type(area, '@pe');
    await screen.findByRole('option');
    await fireEvent.keyDown(area, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(nav.noteEditor).toBe(true);
    nav.noteEditor = false;
  });
});

describe('NoteCard', () => {
  it('marks the mentions Go recorded, mine apart', () => {
    const note = { id: 1, conversationId: 2, author: 'Pete Lee', body: 'ask @ann lee, not @Bob or @Ann', createdAt: '2026-12-01T10:00:00Z', mentions: ['Ann Lee'] } as Note;
    const { container } = render(NoteCard, { note, mine: false, me: 'Ann Lee', ondelete: () => {} });
    const marks = [...container.querySelectorAll('mark[data-mention]')];
    expect(marks.map((m) => [m.getAttribute('data-mention'), m.textContent, m.classList.contains('me')])).toEqual([['Ann Lee', '@ann lee', true]]);
    expect(container.querySelector('.body')?.textContent).toBe(note.body);
  });
});
