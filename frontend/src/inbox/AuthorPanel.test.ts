import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

// The generated binding is replaced; lib/api normalisation and the component are the real code.
const authorsMock = vi.hoisted(() => ({
  Profile: vi.fn(),
  SetVIP: vi.fn(),
  SetNotes: vi.fn(),
  Moderate: vi.fn(),
}));
vi.mock('../../wailsjs/go/main/AuthorsService', () => authorsMock);

import AuthorPanel from './AuthorPanel.svelte';
import { setLang } from '../lib/i18n';
import { inbox } from '../lib/stores.svelte';
import { TEAM_ACTIONS } from '../lib/permissions';
import type { AppInfo } from '../lib/api';

const desk: AppInfo = { version: '', commit: '', date: '', dbPath: '', me: 'alex', role: 'approver', demo: false, team: false, actions: [...TEAM_ACTIONS], loops: [] };

type Over = { author?: Record<string, unknown>; standing?: Record<string, unknown>; record?: unknown[]; next?: unknown; influencer?: boolean };

// goPanel is what Go sends: every field, [] for an empty list, null for an unset time.
function goPanel(over: Over = {}) {
  return {
    profile: {
      author: { id: 42, channel: 'telegram', externalId: '42', handle: '@anna_k', displayName: 'Anna Krause', reach: 123456, notes: '', vip: false, banned: false, blockedUntil: null, ...over.author },
      conversations: [
        { id: 7, accountId: 1, account: 'acme-tg', brand: 'Acme', kind: 'dm', subject: '', snippet: 'Where is my parcel?', status: 'open', sentiment: 'negative', lastMessageAt: '2026-03-02T10:00:00Z', messageCount: 3 },
        { id: 3, accountId: 2, account: 'acme-de-tg', brand: 'Acme', kind: 'dm', subject: '', snippet: 'Danke!', status: 'closed', sentiment: 'positive', lastMessageAt: '2026-02-20T10:00:00Z', messageCount: 2 },
      ],
      totals: { conversations: 5, messages: 9, negative: 3, negativeShare: 1 / 3, firstSeen: '2026-01-05T08:00:00Z', lastSeen: '2026-03-02T10:00:00Z' },
      record: over.record ?? [],
      standing: { state: 'none', warnings: 0, blocks: 0, until: null, ...over.standing },
    },
    next: over.next ?? { kind: 'warning', hours: 0 },
    influencer: over.influencer ?? true,
  };
}

const warned = {
  record: [{ id: 1, authorId: 42, accountId: 1, kind: 'warning', reason: 'rude', until: null, by: 'alex', at: '2026-03-02T11:00:00Z' }],
  standing: { state: 'warned', warnings: 1 },
};

beforeEach(() => {
  vi.resetAllMocks();
  setLang('en');
  inbox.info = desk;
});

function renderPanel(onopen = vi.fn()) {
  render(AuthorPanel, { authorId: 42, accountId: 1, currentId: 7, onopen });
  return onopen;
}

describe('AuthorPanel', () => {
  it('shows who the author is, their reach, badges and history, and opens a conversation on click', async () => {
    authorsMock.Profile.mockResolvedValue(goPanel());
    const onopen = renderPanel();
    expect(await screen.findByText('Anna Krause')).toBeTruthy();
    expect(authorsMock.Profile).toHaveBeenCalledWith(42);
    expect(screen.getByText('AK')).toBeTruthy();
    expect(screen.getByText('@anna_k')).toBeTruthy();
    expect(screen.getByText('123.5K')).toBeTruthy();
    expect(screen.getByTestId('influencer-badge')).toBeTruthy();
    expect(screen.queryByTestId('vip-badge')).toBeNull();
    expect(screen.getByTestId('history-count').textContent).toBe('5 conversations');
    expect(screen.getByText('Showing the newest 2 of 5.')).toBeTruthy();
    expect(screen.getByText('33%')).toBeTruthy();
    expect(screen.getByTestId('standing').textContent).toBe('In good standing');
    expect(screen.getByText('No warnings, blocks or bans.')).toBeTruthy();
    expect(screen.getByText(/Nothing is sent to the platform/)).toBeTruthy();
    await fireEvent.click(screen.getByText('Danke!'));
    expect(onopen).toHaveBeenCalledWith(3);
  });

  it('localizes numbers and labels in Russian', async () => {
    setLang('ru');
    authorsMock.Profile.mockResolvedValue(goPanel({ ...warned, standing: { state: 'warned', warnings: 2 } }));
    renderPanel();
    expect(await screen.findByText('Anna Krause')).toBeTruthy();
    expect(screen.getByTestId('history-count').textContent).toBe('5 диалогов');
    expect(screen.getByTestId('standing').textContent).toBe('Предупреждён 2 раза');
    expect(screen.getByText('33 %')).toBeTruthy();
  });

  it('warns after a confirmation and shows the new record and next step', async () => {
    authorsMock.Profile.mockResolvedValue(goPanel());
    authorsMock.Moderate.mockResolvedValue({
      applied: true,
      warning: { critical: false, reasons: [] },
      panel: goPanel({ ...warned, next: { kind: 'block', hours: 24 } }),
    });
    renderPanel();
    await screen.findByText('Anna Krause');
    await fireEvent.input(screen.getByPlaceholderText('What happened (the team sees this)'), { target: { value: ' rude ' } });
    await fireEvent.click(screen.getByTestId('next-step'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/recorded in Stormdesk only/)).toBeTruthy();
    expect(authorsMock.Moderate).not.toHaveBeenCalled();
    await fireEvent.click(within(dialog).getByTestId('confirm-step'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(authorsMock.Moderate).toHaveBeenCalledWith({ authorId: 42, accountId: 1, kind: 'warning', reason: 'rude', hours: 0, confirm: false });
    expect(screen.getByTestId('standing').textContent).toBe('Warned 1 time');
    expect(within(screen.getByTestId('record')).getByText('Warning')).toBeTruthy();
    expect(screen.getByTestId('next-step').textContent?.trim()).toBe('Block for 1d');
    expect(screen.getByTestId('next-step').getAttribute('data-kind')).toBe('block');
  });

  it('asks for a reason before a block and never calls Go without one', async () => {
    authorsMock.Profile.mockResolvedValue(goPanel({ ...warned, next: { kind: 'block', hours: 24 } }));
    renderPanel();
    await screen.findByText('Anna Krause');
    await fireEvent.click(screen.getByTestId('next-step'));
    expect(screen.getByText('A reason is required for a block or a ban.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(authorsMock.Moderate).not.toHaveBeenCalled();
  });

  it('shows why banning an influencer is critical and bans only when confirmed again', async () => {
    const before = goPanel({ next: { kind: 'ban', hours: 0 }, standing: { state: 'warned', warnings: 2, blocks: 2 } });
    authorsMock.Profile.mockResolvedValue(before);
    authorsMock.Moderate.mockResolvedValueOnce({ applied: false, warning: { critical: true, reasons: ['influencer', 'negative'] }, panel: before });
    authorsMock.Moderate.mockResolvedValueOnce({
      applied: true,
      warning: { critical: true, reasons: ['influencer', 'negative'] },
      panel: goPanel({ next: { kind: 'lift', hours: 0 }, standing: { state: 'banned', blocks: 2 } }),
    });
    renderPanel();
    await screen.findByText('Anna Krause');
    await fireEvent.input(screen.getByPlaceholderText('What happened (the team sees this)'), { target: { value: 'threats' } });
    await fireEvent.click(screen.getByTestId('next-step'));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByTestId('confirm-step'));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('The author is an influencer (reach 123,456).')).toBeTruthy();
    expect(within(dialog).getByText(/may be a critic/)).toBeTruthy();
    // Nothing was recorded yet.
    expect(screen.getByTestId('standing').textContent).toBe('Warned 2 times');
    await fireEvent.click(within(dialog).getByText('Record it anyway'));
    await waitFor(() => expect(screen.getByTestId('standing').textContent).toBe('Banned'));
    expect(authorsMock.Moderate).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'ban', reason: 'threats', confirm: true }));
    expect(screen.getByTestId('next-step').textContent?.trim()).toBe('Lift');
  });

  it('toggles VIP, saves notes and shows a Go error as text', async () => {
    authorsMock.Profile.mockResolvedValue(goPanel());
    authorsMock.SetVIP.mockResolvedValue(goPanel({ author: { vip: true } }));
    authorsMock.SetNotes.mockRejectedValue('store: set notes of author 42: 10001 characters, at most 10000');
    renderPanel();
    await screen.findByText('Anna Krause');
    await fireEvent.click(screen.getByLabelText('VIP: answered first'));
    expect(authorsMock.SetVIP).toHaveBeenCalledWith(42, true);
    expect(await screen.findByTestId('vip-badge')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Notes'), { target: { value: 'x' } });
    await fireEvent.click(screen.getByText('Save notes'));
    expect((await screen.findByRole('alert')).textContent).toContain('at most 10000');
    expect(authorsMock.SetNotes).toHaveBeenCalledWith(42, 'x');
  });
});

describe('AuthorPanel for a team agent', () => {
  it('shows the record but offers no moderation step: the server would refuse it', async () => {
    authorsMock.Profile.mockResolvedValue(goPanel());
    inbox.info = { ...desk, team: true, role: 'agent', actions: ['read', 'work'] };
    renderPanel();
    await screen.findByTestId('record');
    expect(screen.queryByTestId('next-step')).toBeNull();
    expect(screen.queryByTestId('lift')).toBeNull();
    inbox.info = desk;
    await waitFor(() => expect(screen.getByTestId('next-step')).toBeTruthy());
  });
});
