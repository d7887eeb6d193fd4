import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

// The generated binding is replaced; lib/api, the composer store, the
// approvals store and the components are the real code.
const composeMock = vi.hoisted(() => ({
  Draft: vi.fn(),
  ApprovalQueue: vi.fn(),
  ApprovalPolicy: vi.fn(),
  DraftForGroup: vi.fn(),
  Cancel: vi.fn(),
  Step: vi.fn(),
  Replies: vi.fn(),
  Audit: vi.fn(),
}));
vi.mock('../../wailsjs/go/main/ComposeService', () => composeMock);
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: () => () => {} }));

import SelfReviewDialog from './SelfReviewDialog.svelte';
import Composer from './Composer.svelte';
import { composer } from '../lib/composer.svelte';
import { approvals } from '../lib/approvals.svelte';
import { inbox } from '../lib/stores.svelte';
import { setLang } from '../lib/i18n';

const CHECKLIST = ['facts-from-kb', 'no-unapproved-promises', 'known-and-unknown', 'next-update', 'no-blame'];

function crisisReply(over: Record<string, unknown> = {}) {
  return {
    id: 'r1', conversationId: 7, state: 'submitted', author: 'alex', draftText: 'We know', text: 'We know the network is down.',
    lang: 'en', source: 'offline', aiAssisted: false, citations: [], problems: ['unbacked-deadline:by Friday'], injection: [],
    approval: { needsApprover: true, twoPerson: true, reasons: ['crisis mode: a second person with the approver role must approve'] },
    approver: '', comment: '', failReason: '', externalId: '', idempotencyKey: '', updatedAt: '2026-01-01T10:00:00Z',
    // what Go's drafts.Allowed gives the one person of a single-person workspace
    allowed: ['withdraw', 'self-review'],
    ...over,
  };
}

const boxes = () => [...document.querySelectorAll<HTMLInputElement>('#self-review input[type=checkbox]')];
const confirmButton = () => document.querySelector<HTMLButtonElement>('[data-action=confirm-self-review]')!;

beforeEach(() => {
  vi.resetAllMocks();
  setLang('en');
});

describe('SelfReviewDialog', () => {
  it('approves only once every rule is ticked, and hands over what was ticked and the note', async () => {
    const onconfirm = vi.fn();
    render(SelfReviewDialog, { checklist: CHECKLIST, warnings: 2, onconfirm, oncancel: vi.fn() });
    expect(boxes()).toHaveLength(5);
    expect(screen.getByText('It states facts only from the knowledge base.')).toBeTruthy();
    expect(document.querySelector('[data-role=review-warnings]')!.textContent).toContain('2 open warnings');
    for (const b of boxes().slice(0, 4)) await fireEvent.click(b);
    expect(document.querySelector('[data-role=review-progress]')!.textContent).toBe('4 of 5 confirmed');
    expect(confirmButton().disabled).toBe(true);
    await fireEvent.click(confirmButton());
    expect(onconfirm).not.toHaveBeenCalled();
    await fireEvent.click(boxes()[4]!);
    expect(confirmButton().disabled).toBe(false);
    await fireEvent.input(document.querySelector('[data-role=review-note]')!, { target: { value: ' read it twice ' } });
    await fireEvent.click(confirmButton());
    expect(onconfirm).toHaveBeenCalledWith(CHECKLIST, 'read it twice');
  });

  it('is worked from the keyboard: focus starts on the first rule, Esc cancels without leaving the composer', async () => {
    const oncancel = vi.fn();
    const outer = vi.fn();
    document.addEventListener('keydown', outer);
    render(SelfReviewDialog, { checklist: CHECKLIST, onconfirm: vi.fn(), oncancel });
    await waitFor(() => expect(document.activeElement).toBe(boxes()[0]));
    await fireEvent.keyDown(boxes()[0]!, { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledTimes(1);
    expect(outer).not.toHaveBeenCalled();
    document.removeEventListener('keydown', outer);
  });

  it('reads naturally in Russian, and an item it has no words for still shows as Go’s code', async () => {
    setLang('ru');
    render(SelfReviewDialog, { checklist: [...CHECKLIST, 'new-rule'], onconfirm: vi.fn(), oncancel: vi.fn() });
    expect(screen.getByText('Самопроверка перед отправкой')).toBeTruthy();
    expect(screen.getByText('Ответ называет, когда будет следующее обновление.')).toBeTruthy();
    expect(screen.getByText('new-rule')).toBeTruthy();
    expect(confirmButton().textContent).toBe('Утвердить и отправить');
  });
});

describe('Composer with a self-review', () => {
  beforeEach(async () => {
    composer.destroy();
    composer.init();
    approvals.policy = { mode: 'single', me: { name: 'alex', role: 'agent' }, checklist: CHECKLIST };
    composeMock.Replies.mockResolvedValue([crisisReply()]);
    composer.conversationId = null;
    inbox.openId = 7;
    await composer.show(7);
    composer.open = true;
  });

  it('offers only what Go allows: a self-review, no Approve that Go would refuse', async () => {
    render(Composer);
    await screen.findByText('Review & send…');
    const actions = [...document.querySelectorAll('.toolbar button[data-action]')].map((b) => b.getAttribute('data-action'));
    expect(actions).toEqual(['draft', 'canned', 'withdraw', 'selfReview']);
    expect(document.querySelector('[data-role=self-review-needed]')).not.toBeNull();
  });

  it('the dialog’s confirmation sends the self-review with the whole checklist, then queues', async () => {
    composeMock.Step.mockImplementation(async (s: { action: string }) =>
      crisisReply({ state: s.action === 'self-review' ? 'approved' : 'queued', approver: 'alex', allowed: s.action === 'self-review' ? ['queue'] : [] }),
    );
    render(Composer);
    await fireEvent.click(await screen.findByText('Review & send…'));
    for (const b of boxes()) await fireEvent.click(b);
    await fireEvent.click(confirmButton());
    await waitFor(() => expect(document.querySelector('section.composer')!.getAttribute('data-state')).toBe('queued'));
    expect(composeMock.Step.mock.calls.map((c) => c[0])).toEqual([
      { replyId: 'r1', action: 'self-review', text: '', comment: '', checklist: CHECKLIST },
      { replyId: 'r1', action: 'queue', text: '', comment: '' },
    ]);
    expect(document.querySelector('#self-review')).toBeNull();
  });

  it('a refusal keeps the dialog open and says why inside it', async () => {
    composeMock.Step.mockRejectedValue('self-review reply r1 (submitted): the self-review checklist is incomplete: no-blame: not allowed');
    render(Composer);
    await fireEvent.click(await screen.findByText('Review & send…'));
    for (const b of boxes()) await fireEvent.click(b);
    await fireEvent.click(confirmButton());
    await waitFor(() => expect(document.querySelector('[data-role=review-error]')).not.toBeNull());
    expect(document.querySelector('#self-review')).not.toBeNull();
    expect(composeMock.Step).toHaveBeenCalledTimes(1);
  });
});
