import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

// The generated binding is replaced; everything above it (lib/api normalisation,
// the composer store, the component) is the real code.
const composeMock = vi.hoisted(() => ({
  Draft: vi.fn(),
  ApprovalQueue: vi.fn(),
  DraftForGroup: vi.fn(),
  Cancel: vi.fn(),
  Step: vi.fn(),
  Replies: vi.fn(),
  Audit: vi.fn(),
  SendCheck: vi.fn(),
}));
const events = vi.hoisted(() => new Map<string, (...d: unknown[]) => void>());
vi.mock('../../wailsjs/go/main/ComposeService', () => composeMock);
const appMock = vi.hoisted(() => ({ Info: vi.fn(), Notify: vi.fn(), LoadDemo: vi.fn(), EventTypes: vi.fn() }));
vi.mock('../../wailsjs/go/main/AppService', () => appMock);
vi.mock('../../wailsjs/runtime/runtime', () => ({
  EventsOn: (name: string, cb: (...d: unknown[]) => void) => {
    events.set(name, cb);
    return () => events.delete(name);
  },
}));

import Composer from './Composer.svelte';
import { composer } from '../lib/composer.svelte';
import { inbox } from '../lib/stores.svelte';
import { setLang } from '../lib/i18n';
import { clockTime, localDraft, offline } from '../lib/offline.svelte';

// What Go's drafts.Allowed offers a person who may approve, per state; a test
// of another rule (crisis, self-review) passes its own allowed list.
const ALLOWED: Record<string, string[]> = { draft: ['edit', 'submit'], rejected: ['edit', 'submit'], submitted: ['approve', 'reject'], approved: ['queue'], failed: ['retry', 'discard'] };

function goReply(over: Record<string, unknown> = {}) {
  return {
    allowed: ALLOWED[(over.state as string) ?? 'draft'] ?? [],
    id: 'r1', conversationId: 7, state: 'draft', author: 'alex', draftText: 'Hi', text: 'Hi', lang: 'en',
    source: 'llm', aiAssisted: true, citations: [], problems: [], injection: [],
    approval: { needsApprover: false, twoPerson: false, reasons: [] }, approver: '', comment: '', failReason: '',
    externalId: '', idempotencyKey: '', updatedAt: '2026-01-01T10:00:00Z', ...over,
  };
}

async function showConversation(replies: unknown[]) {
  composeMock.Replies.mockResolvedValue(replies);
  composer.conversationId = null;
  // The pane follows the open conversation.
  inbox.openId = 7;
  await composer.show(7);
  composer.open = true;
}

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
  composer.destroy();
  composer.init();
});

describe('Composer', () => {
  it('shows every problem marker and injection finding as readable text, with approval reasons', async () => {
    await showConversation([
      goReply({
        problems: ['truncated', 'wrong-language:de', 'unbacked-promise:refund', 'injection-suspected'],
        injection: [{ rule: 'dictates-reply', lang: 'en', excerpt: 'promise me a full refund' }],
        approval: { needsApprover: true, twoPerson: false, reasons: ['the thread contains a suspected prompt injection'] },
        citations: ['faq-delivery'],
      }),
    ]);
    render(Composer);
    const box = await screen.findByRole('alert');
    expect(box.textContent).toContain('Cut off: the model stopped at its length limit');
    expect(box.textContent).toContain('Wrong language: the draft is in German');
    expect(box.textContent).toContain('Promises a refund that no knowledge-base entry backs.');
    expect(box.textContent).toContain('Injection attempt (dictates-reply): “promise me a full refund”');
    expect(document.querySelector('[data-role=approval]')!.textContent).toContain('the thread contains a suspected prompt injection');
    expect(document.querySelector('[data-role=citations]')!.textContent).toContain('faq-delivery');
    expect(document.querySelector('[data-role=source]')!.textContent).toBe('LLM');
    expect(document.querySelector('[data-role=ai]')!.textContent).toBe('AI-assisted');
  });

  it('shows the approver what the draft states that nothing backs, and the audit keeps what was approved over', async () => {
    const problems = ['unlisted-phone:+1 800 555 0123', 'unbacked-deadline:by Friday', 'unbacked-amount:$50', 'settings-injection:tone'];
    await showConversation([goReply({ state: 'submitted', author: 'someone-else', problems })]);
    composeMock.Audit.mockResolvedValue([
      { replyId: 'r1', who: 'lena', role: 'approver', when: '2026-01-01T11:00:00Z', action: 'approve', from: 'submitted', to: 'approved',
        comment: 'called the customer\napproved with open warnings: unlisted-phone:+1 800 555 0123; unbacked-amount:$50', diff: '' },
    ]);
    setLang('ru');
    render(Composer);
    const box = await screen.findByRole('alert');
    for (const line of [
      'Номера телефона +1 800 555 0123 нет ни в базе знаний, ни в профиле бренда.',
      'Срока или даты «by Friday» нет ни в одной записи базы знаний',
      'Суммы $50 нет ни в одной записи базы знаний',
      'Настройка «Тон» похожа на инструкции для модели',
    ]) {
      expect(box.textContent).toContain(line);
    }
    await fireEvent.click(document.querySelector('[data-action=audit]')!);
    const warned = await waitFor(() => document.querySelector('[data-role=approved-warnings]')!);
    expect(warned.textContent).toContain('Утверждено, несмотря на предупреждения:');
    expect(warned.textContent).toContain('Номера телефона +1 800 555 0123 нет');
    expect(warned.textContent).not.toContain('unlisted-phone');
    expect(document.querySelector('[data-role=audit] .comment')!.textContent).toBe('“called the customer”');
  });

  it('r focuses the editor once; a composer mounted later (the thread moved on) leaves focus where it is', async () => {
    await showConversation([goReply()]);
    composer.focus();
    const first = render(Composer);
    const area = (await screen.findByLabelText('Reply text')) as HTMLTextAreaElement;
    await waitFor(() => expect(document.activeElement).toBe(area));
    first.unmount();

    // The user went on to the search field; the next conversation's composer mounts.
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    render(Composer);
    await screen.findByLabelText('Reply text');
    await new Promise((r) => setTimeout(r, 20));
    expect(document.activeElement).toBe(field);
    field.remove();
  });

  it('offers the buttons of the state and shows Go’s refusal as text', async () => {
    await showConversation([goReply({ state: 'submitted', author: 'someone-else' })]);
    render(Composer);
    await screen.findByText('Approve & send');
    const actions = [...document.querySelectorAll('.toolbar button[data-action]')].map((b) => b.getAttribute('data-action'));
    expect(actions).toEqual(['draft', 'canned', 'approve', 'approveSend', 'reject']);
    const refusal = 'approve reply r1 (submitted) as agent "alex": this reply needs an approver (the thread contains a suspected prompt injection): not allowed';
    composeMock.Step.mockRejectedValue(refusal);
    await fireEvent.click(screen.getByText('Approve & send'));
    await waitFor(() => expect(document.querySelector('[data-role=error]')!.textContent).toContain(refusal));
    // approve was refused, so queue was never asked for
    expect(composeMock.Step).toHaveBeenCalledTimes(1);
    expect(composeMock.Step.mock.calls[0]![0]).toMatchObject({ replyId: 'r1', action: 'approve' });
  });

  it('Approve & send approves, then queues', async () => {
    await showConversation([goReply({ state: 'submitted' })]);
    composeMock.Step.mockImplementation(async (s: { action: string }) =>
      goReply({ state: s.action === 'approve' ? 'approved' : 'queued', approver: 'alex' }),
    );
    composeMock.Replies.mockResolvedValue([goReply({ state: 'queued', approver: 'alex' })]);
    render(Composer);
    await fireEvent.click(await screen.findByText('Approve & send'));
    await waitFor(() => expect(document.querySelector('section.composer')!.getAttribute('data-state')).toBe('queued'));
    expect(composeMock.Step.mock.calls.map((c) => (c[0] as { action: string }).action)).toEqual(['approve', 'queue']);

    // Go announces the delivery: the composer shows "sent" at once, without waiting for its poll.
    composeMock.Replies.mockResolvedValue([goReply({ state: 'sent', approver: 'alex', externalId: 'x1' })]);
    const reads = composeMock.Replies.mock.calls.length;
    events.get('reply:delivered')!({ conversationId: 8, replyId: 'other', state: 'sent' }); // another conversation
    expect(composeMock.Replies).toHaveBeenCalledTimes(reads);
    events.get('reply:delivered')!({ conversationId: 7, replyId: 'r1', state: 'sent' });
    await waitFor(() => expect(document.querySelector('section.composer')!.getAttribute('data-state')).toBe('sent'));
    composer.destroy(); // stop the outbox poll
  });

  it("another member's reply step (reply:changed) shows in the open composer and keeps unsaved edits", async () => {
    await showConversation([goReply()]);
    render(Composer);
    const area = (await screen.findByLabelText('Reply text')) as HTMLTextAreaElement;
    await fireEvent.input(area, { target: { value: 'Hi, my unsaved words' } });
    const reads = composeMock.Replies.mock.calls.length;
    events.get('reply:changed')!({ conversationId: 8, replyId: 'other', state: 'submitted' }); // another conversation
    expect(composeMock.Replies).toHaveBeenCalledTimes(reads);

    // A colleague drafted a second reply here: the list gains it, the editor keeps its text.
    composeMock.Replies.mockResolvedValue([goReply(), goReply({ id: 'r2', author: 'bo', text: 'From Bo' })]);
    events.get('reply:changed')!({ conversationId: 7, replyId: 'r2', state: 'draft' });
    await waitFor(() => expect(composer.replies.map((r) => r.id)).toEqual(['r1', 'r2']));
    expect(composer.text).toBe('Hi, my unsaved words');

    // The colleague submitted the reply shown: its new state shows at once.
    composeMock.Replies.mockResolvedValue([goReply({ state: 'submitted' })]);
    events.get('reply:changed')!({ conversationId: 7, replyId: 'r1', state: 'submitted' });
    await waitFor(() => expect(document.querySelector('section.composer')!.getAttribute('data-state')).toBe('submitted'));
  });

  it('Submit saves an unsaved edit first; a failed reply shows its reason and Retry', async () => {
    await showConversation([goReply()]);
    composeMock.Step.mockImplementation(async (s: { action: string; text: string }) =>
      goReply({ state: s.action === 'submit' ? 'submitted' : 'draft', text: 'Hi there' }),
    );
    render(Composer);
    const area = (await screen.findByLabelText('Reply text')) as HTMLTextAreaElement;
    await fireEvent.input(area, { target: { value: 'Hi there' } });
    await fireEvent.click(screen.getByText('Submit for approval'));
    await waitFor(() => expect(composeMock.Step).toHaveBeenCalledTimes(2));
    expect(composeMock.Step.mock.calls.map((c) => c[0])).toEqual([
      { replyId: 'r1', action: 'edit', text: 'Hi there', comment: '' },
      { replyId: 'r1', action: 'submit', text: '', comment: '' },
    ]);
  });

  it('a failed reply shows Go’s reason and offers Retry and Discard only', async () => {
    await showConversation([goReply({ state: 'failed', failReason: 'no connector for account 3: token missing' })]);
    render(Composer);
    expect((await screen.findByText(/Sending failed/)).textContent).toBe('Sending failed: no connector for account 3: token missing');
    const actions = [...document.querySelectorAll('.toolbar button[data-action]')].map((b) => b.getAttribute('data-action'));
    expect(actions).toEqual(['draft', 'canned', 'retry', 'discard']);
  });

  it('Discard asks first, then records the step with the note; the composer starts afresh', async () => {
    setLang('de');
    await showConversation([goReply({ state: 'failed', failReason: 'smtp: 550 mailbox unavailable' })]);
    composeMock.Step.mockResolvedValue(goReply({ state: 'discarded', allowed: [] }));
    render(Composer);
    await fireEvent.click(await screen.findByText('Verwerfen'));
    const confirm = await screen.findByRole('group', { name: /verwerfen/ });
    expect(confirm.textContent).toContain('Diese Antwort verwerfen? Sie wird nicht gesendet');
    expect(composeMock.Step).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('Grund (optional, bleibt im Protokoll)'), { target: { value: 'per Telefon geklärt' } });
    await fireEvent.click(screen.getByText('Antwort verwerfen'));
    await waitFor(() => expect(composeMock.Step).toHaveBeenCalledTimes(1));
    expect(composeMock.Step.mock.calls[0]![0]).toMatchObject({ replyId: 'r1', action: 'discard', comment: 'per Telefon geklärt' });
    await waitFor(() => expect(document.querySelector('[data-role=discard-confirm]')).toBeNull());
    // A discarded reply is done with, like a sent one: nothing to work on, Draft offered.
    await waitFor(() => expect(document.querySelector('section.composer')!.getAttribute('data-state')).toBe('none'));
  });

  it('Esc cancels a discard without a step', async () => {
    await showConversation([goReply({ state: 'failed', failReason: 'x' })]);
    render(Composer);
    await fireEvent.click(await screen.findByText('Discard'));
    await screen.findByRole('group', { name: /Discard this reply/ });
    await fireEvent.keyDown(document.getElementById('discard-note')!, { key: 'Escape' });
    await waitFor(() => expect(document.querySelector('[data-role=discard-confirm]')).toBeNull());
    expect(composeMock.Step).not.toHaveBeenCalled();
  });

  it('a send that failed with a code says why in the user’s language, Go’s text under Details', async () => {
    const reason = 'stormdesk-error:{"code":"demo-account","params":{"account":"demo-mail"},"detail":"no connector for account 4: account demo-mail is demo data"}';
    setLang('ru');
    await showConversation([goReply({ state: 'failed', failReason: reason })]);
    render(Composer);
    const box = await screen.findByRole('alert');
    expect(box.querySelector('details summary')!.textContent).toBe('Подробности');
    expect(box.querySelector('details code')!.textContent).toBe('no connector for account 4: account demo-mail is demo data');
    expect(box.textContent).toContain('Не отправлено: demo-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.');
    // The audit's fail step carries the same reason, worded the same way.
    composeMock.Audit.mockResolvedValue([
      { replyId: 'r1', who: 'outbox', role: 'system', when: '2026-01-01T11:00:00Z', action: 'fail', from: 'queued', to: 'failed', comment: reason, diff: '' },
    ]);
    await fireEvent.click(document.querySelector('[data-action=audit]')!);
    await waitFor(() => expect(document.querySelector('[data-role=audit] .comment')).not.toBeNull());
    const step = document.querySelector('[data-role=audit] .comment')!;
    expect(step.textContent).toContain('“demo-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.”');
    expect(step.querySelector('details code')!.textContent).toContain('no connector for account 4');
  });

  it('on an account that cannot send, the buttons that end in a send are disabled with the reason in the user’s language', async () => {
    const demo = 'stormdesk-error:{"code":"demo-account","params":{"account":"demo-mail"},"detail":"account demo-mail is demo data"}';
    composeMock.SendCheck.mockResolvedValue(demo);
    setLang('ru');
    await showConversation([goReply({ state: 'submitted', author: 'someone-else' })]);
    render(Composer);
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('demo-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения.');
    const send = document.querySelector<HTMLButtonElement>('[data-action=approveSend]')!;
    expect(send.disabled).toBe(true);
    expect(send.title).toBe('demo-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.');
    expect(send.getAttribute('aria-describedby')).toBe('send-block');
    // Approving alone sends nothing, so it stays offered; rejecting too.
    expect(document.querySelector<HTMLButtonElement>('[data-action=approve]')!.disabled).toBe(false);
    expect(document.querySelector<HTMLButtonElement>('[data-action=reject]')!.disabled).toBe(false);
  });

  it('Retry of a failed reply is disabled when the account was disabled since; the same reason is not said twice', async () => {
    const disabled = 'stormdesk-error:{"code":"account-disabled","params":{"account":"shop"},"detail":"account shop is disabled"}';
    composeMock.SendCheck.mockResolvedValue(disabled);
    await showConversation([goReply({ state: 'failed', failReason: 'smtp: 451 try later' })]);
    render(Composer);
    await screen.findByRole('note');
    const retry = document.querySelector<HTMLButtonElement>('[data-action=retry]')!;
    expect(retry.disabled).toBe(true);
    expect(retry.getAttribute('aria-describedby')).toBe('send-block');

    composer.destroy();
    composer.init();
    composeMock.SendCheck.mockResolvedValue(disabled);
    await showConversation([goReply({ id: 'r2', state: 'failed', failReason: disabled })]);
    await waitFor(() => expect(document.querySelector<HTMLButtonElement>('[data-action=retry]')!.getAttribute('aria-describedby')).toBe('fail-reason'));
    expect(document.querySelector('[data-role=send-block]')).toBeNull();
    expect(document.querySelector<HTMLButtonElement>('[data-action=retry]')!.disabled).toBe(true);
  });

  it('where sending works nothing is disabled or noted', async () => {
    composeMock.SendCheck.mockResolvedValue('');
    await showConversation([goReply({ state: 'failed', failReason: 'smtp: 451 try later' })]);
    render(Composer);
    await screen.findByText(/Sending failed/);
    expect(document.querySelector<HTMLButtonElement>('[data-action=retry]')!.disabled).toBe(false);
    expect(document.querySelector('[data-role=send-block]')).toBeNull();
  });

  it('a refusal with a code names the rule in the user’s language', async () => {
    setLang('de');
    await showConversation([goReply({ state: 'submitted', author: 'alex' })]);
    render(Composer);
    await screen.findByText('Freigeben & senden');
    composeMock.Step.mockRejectedValue('stormdesk-error:{"code":"not-allowed","params":{"rule":"second-person"},"detail":"store: apply step to reply r1: crisis mode needs a second person: not allowed"}');
    await fireEvent.click(screen.getByText('Freigeben & senden'));
    await waitFor(() => expect(document.querySelector('[data-role=error]')).not.toBeNull());
    const box = document.querySelector('[data-role=error]')!;
    expect(box.textContent).toContain('Im Krisenmodus gibt eine zweite Person jede Antwort frei');
    expect(box.querySelector('details code')!.textContent).toContain('crisis mode needs a second person');
  });

  it('Reject needs a comment before it can be sent', async () => {
    await showConversation([goReply({ state: 'submitted', author: 'x' })]);
    composeMock.Step.mockResolvedValue(goReply({ state: 'rejected', comment: 'too vague' }));
    render(Composer);
    await fireEvent.click(await screen.findByText('Reject'));
    const confirm = screen.getByText('Reject with this comment') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Why is it rejected? (required)'), { target: { value: 'too vague' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await waitFor(() => expect(composeMock.Step).toHaveBeenCalledWith({ replyId: 'r1', action: 'reject', text: '', comment: 'too vague' }));
    await screen.findByText('Rejected: too vague');
  });

  it('streams compose:delta text of this conversation only while drafting', async () => {
    await showConversation([]);
    let finish!: (v: unknown) => void;
    composeMock.Draft.mockReturnValue(new Promise((res) => (finish = res)));
    render(Composer);
    await fireEvent.click(await screen.findByText('Draft reply'));
    const emit = events.get('compose:delta')!;
    emit({ conversationId: 7, text: 'Hello ' });
    emit({ conversationId: 8, text: 'NOT THIS ' });
    emit({ conversationId: 7, text: 'Hannah' });
    await waitFor(() => expect(document.querySelector('[data-role=streaming] pre')!.textContent).toBe('Hello Hannah'));
    finish(goReply({ text: 'Hello Hannah', source: 'offline', aiAssisted: false }));
    await waitFor(() => expect((screen.getByLabelText('Reply text') as HTMLTextAreaElement).value).toBe('Hello Hannah'));
    expect(document.querySelector('[data-role=source]')!.textContent).toBe('Offline template');
    expect(document.querySelector('[data-role=ai]')).toBeNull();
  });
});

// The composer in a team: a reply the conversation was answered after asks
// before it goes out (reply-superseded), and a text written while the server
// is unreachable is kept on this computer and saved when it answers again.
const superseded = 'stormdesk-error:{"code":"reply-superseded","params":{"at":"2026-01-01T14:05:00Z"},"detail":"reply r1: another reply was sent at 2026-01-01T14:05:00Z, after it was drafted"}';
const unreachableText = 'bridge unreachable: ComposeService.Step: Failed to fetch';

/** shown waits until selector matches (waitFor retries only on a throw). */
function shown(selector: string): Promise<Element> {
  return waitFor(() => {
    const el = document.querySelector(selector);
    if (!el) throw new Error(`${selector} not shown`);
    return el;
  });
}

describe('Composer in a team', () => {
  it('asks "send this one too?" when another reply went out meanwhile, and sends only when told to', async () => {
    await showConversation([goReply({ state: 'submitted', author: 'ann' })]);
    localStorage.clear();
    render(Composer);
    await screen.findByText('Approve & send');
    composeMock.Step.mockRejectedValueOnce(superseded);
    await fireEvent.click(screen.getByText('Approve & send'));
    const q = await shown('[data-role=supersede]');
    expect(q.textContent).toContain(`Another reply was sent at ${clockTime('2026-01-01T14:05:00Z', 'en')} — send this one too?`);
    expect(document.querySelector('[data-role=error]')).toBeNull();
    expect(composeMock.Step).toHaveBeenCalledTimes(1);

    // No: nothing more is asked of Go.
    await fireEvent.click(document.querySelector('[data-action=supersede-no]')!);
    expect(document.querySelector('[data-role=supersede]')).toBeNull();
    expect(composeMock.Step).toHaveBeenCalledTimes(1);

    // Yes: approve and queue again, both saying supersede.
    composeMock.Step.mockRejectedValueOnce(superseded);
    await fireEvent.click(screen.getByText('Approve & send'));
    await shown('[data-action=supersede-yes]');
    composeMock.Step.mockImplementation(async (s: { action: string }) => goReply({ state: s.action === 'approve' ? 'approved' : 'queued', approver: 'pete' }));
    await fireEvent.click(document.querySelector('[data-action=supersede-yes]')!);
    await waitFor(() => expect(composeMock.Step).toHaveBeenCalledTimes(4));
    expect(composeMock.Step.mock.calls.slice(2).map((c) => [c[0].action, c[0].supersede])).toEqual([
      ['approve', true],
      ['queue', true],
    ]);
  });

  it('keeps a text written while the server is unreachable and saves it when the server answers', async () => {
    localStorage.clear();
    await showConversation([goReply()]);
    render(Composer);
    const editor = (await shown('textarea')) as HTMLTextAreaElement;
    composeMock.Step.mockRejectedValue(unreachableText);
    appMock.Info.mockRejectedValue(new TypeError('Failed to fetch')); // still down at the first probe

    await fireEvent.input(editor, { target: { value: 'Hi, your parcel left today.' } });
    await fireEvent.click(screen.getByText('Submit for approval'));
    await waitFor(() => expect(offline.down).toBe(true));
    expect(document.querySelector('[data-role=kept-locally]')).not.toBeNull();
    expect(document.querySelector('[data-role=error]')).toBeNull();
    expect(localDraft(7)).toMatchObject({ replyId: 'r1', text: 'Hi, your parcel left today.', submit: true });

    // Typing on while away updates the kept text and keeps the submit asked for.
    await fireEvent.input(editor, { target: { value: 'Hi, your parcel left today; tracking follows.' } });
    await waitFor(() => expect(localDraft(7)?.text).toBe('Hi, your parcel left today; tracking follows.'));
    expect(localDraft(7)?.submit).toBe(true);

    // The server is back: the kept text is saved, then submitted, and leaves storage.
    composeMock.Step.mockReset();
    composeMock.Step.mockImplementation(async (s: { action: string; text: string }) =>
      goReply({ state: s.action === 'submit' ? 'submitted' : 'draft', text: 'Hi, your parcel left today; tracking follows.' }));
    composeMock.Replies.mockResolvedValue([goReply({ state: 'submitted', text: 'Hi, your parcel left today; tracking follows.' })]);
    appMock.Info.mockResolvedValue({ team: true, actions: ['read', 'work'] });
    await offline.retryNow();
    await waitFor(() => expect(offline.down).toBe(false));
    await waitFor(() => expect(composeMock.Step).toHaveBeenCalledTimes(2));
    expect(composeMock.Step.mock.calls.map((c) => [c[0].action, c[0].text])).toEqual([
      ['edit', 'Hi, your parcel left today; tracking follows.'],
      ['submit', ''],
    ]);
    expect(localDraft(7)).toBeNull();
    await waitFor(() => expect(document.querySelector('[data-role=state]')!.textContent).toBe('Submitted'));
  });
});

describe('reply history: delivery status', () => {
  const delivery = (replyId: string, status: string) => ({ externalId: 'm-' + replyId, replyId, status, at: '2026-01-01T10:05:00Z', errorCode: 0, error: '', reason: '' });
  const thread = (conversationId: number) =>
    ({ conversation: { id: conversationId }, messages: [], notes: [], snoozedUntil: null, deliveries: [delivery('r1', 'read'), delivery('r2', 'delivered')] }) as unknown as typeof inbox.thread;

  it('shows each sent reply’s status with the thread’s words, quietly (the thread announces it)', async () => {
    setLang('de');
    await showConversation([goReply({ id: 'r1', state: 'sent', updatedAt: '2026-01-01T10:00:00Z' }), goReply({ id: 'r2', state: 'sent' }), goReply({ id: 'r3', state: 'draft' })]);
    inbox.thread = thread(7);
    const { container } = render(Composer);
    await waitFor(() => expect(container.querySelector('[data-reply="r1"] [data-delivery]')).not.toBeNull());
    const r1 = container.querySelector('[data-reply="r1"] [data-delivery]')!;
    expect(r1.getAttribute('data-delivery')).toBe('read');
    expect(r1.querySelector('.word')?.textContent).toBe('Gelesen');
    expect(r1.getAttribute('role')).toBeNull();
    expect(container.querySelector('[data-reply="r2"] [data-delivery] .word')?.textContent).toBe('Zugestellt');
    expect(container.querySelector('[data-reply="r3"] [data-delivery]')).toBeNull();
    inbox.thread = null;
  });

  it('shows no status from another conversation’s thread', async () => {
    await showConversation([goReply({ id: 'r1', state: 'sent' })]);
    inbox.thread = thread(8);
    const { container } = render(Composer);
    await screen.findByText(/history|Verlauf/i);
    expect(container.querySelector('.history [data-delivery]')).toBeNull();
    inbox.thread = null;
  });
});
