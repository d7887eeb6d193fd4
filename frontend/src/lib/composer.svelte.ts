// Composer state for the open conversation: its replies, the one being worked on,
// the text being edited, live drafting from "compose:delta", workflow steps and
// their errors (in the user's language when Go gave them a code), and the audit trail of each reply.
import * as api from './api';
import type { ApiError, AuditEntry, Canned, Reply, StepAction } from './api';
import { toApiError } from './api';
import { currentReply, editable, type UIAction } from './compose';
import { dropDraft, flushDrafts, keepDraft, localDraft, offline } from './offline.svelte';

/**
 * A step the server refused because the conversation was answered after the
 * reply was drafted (reply-superseded): the composer asks before trying again.
 */
export interface Superseded {
  action: UIAction;
  comment: string;
  checklist: string[];
  /** when the other answer went out (RFC 3339) */
  at: string;
}

/**
 * How often replies in the outbox are re-read until they are sent or failed. Go
 * announces each delivery ("reply:delivered"), so this is only a safety net.
 */
export const OUTBOX_POLL_MS = 10_000;

export class ComposerStore {
  conversationId = $state<number | null>(null);
  replies = $state.raw<Reply[]>([]);
  /** the reply shown in the editor; null before the first draft */
  reply = $state.raw<Reply | null>(null);
  /** the editor's text; differs from reply.text until saved */
  text = $state('');
  drafting = $state(false);
  /** text streamed so far by the running draft */
  streamed = $state('');
  guidance = $state('');
  busy = $state(false);
  /** the last error, in the user's language when Go gave it a code */
  error = $state('');
  /** Go's technical text of a coded error, for the "Details" fold ('' otherwise) */
  errorDetail = $state('');
  /**
   * Why nothing can be sent in this conversation (a coded error's text from Go, e.g. a
   * demo account), known when it opens, so the composer says so before anyone approves.
   */
  sendBlock = $state('');
  /** a refused approval or send waiting for "send this one too?" */
  superseded = $state.raw<Superseded | null>(null);
  /** the text was kept on this computer because the server did not answer */
  keptLocally = $state(false);

  #setError(e: ApiError | null): void {
    this.error = e?.message ?? '';
    this.errorDetail = e?.code ? e.detail : '';
  }
  audits = $state<Record<string, AuditEntry[]>>({});
  expanded = $state<Record<string, boolean>>({});
  open = $state(false);
  /**
   * set to ask the editor to take focus; the editor clears it when it does, so a
   * composer mounted later (the thread moved on after e) does not replay an old request
   */
  focusWanted = $state(false);
  /** called when Esc leaves the composer (the app focuses the list) */
  onLeave: (() => void) | null = null;
  /** called when a reply was sent (the thread gained a message) */
  onSent: (() => void) | null = null;

  #gen = 0;
  #poll: ReturnType<typeof setTimeout> | undefined;
  #stop: (() => void)[] = [];

  get dirty(): boolean {
    return this.reply !== null && editable(this.reply.state) && this.text !== this.reply.text;
  }

  init(): void {
    this.#stop.push(
      api.onComposeDelta((d) => {
        if (this.drafting && d.conversationId === this.conversationId) this.streamed += d.text;
      }),
      api.onReplyDelivered((d) => {
        if (d.conversationId === this.conversationId) void this.#load(this.#gen, false);
      }),
      // Another member drafted or moved a reply here: show its state, keeping unsaved edits.
      api.onReplyChanged((c) => {
        if (c.conversationId === this.conversationId) void this.#load(this.#gen, false);
      }),
      // A delivery missed while away: the open conversation's replies are read again.
      api.onStreamReset(() => {
        if (this.conversationId !== null) void this.#load(this.#gen, false);
      }),
      // Back from offline: store the texts kept meanwhile, then show what the server has.
      offline.onBack(async () => {
        const { refused } = await flushDrafts({ step: (st) => api.stepReply(st) });
        const mine = refused.find((x) => x.draft.conversationId === this.conversationId);
        if (mine) this.#setError(toApiError('ComposeService.Step edit', mine.error));
        this.keptLocally = false;
        if (this.conversationId !== null) await this.#load(this.#gen, true);
      }),
    );
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
    clearTimeout(this.#poll);
  }

  /** show switches the composer to a conversation (null: none open). */
  async show(id: number | null): Promise<void> {
    if (id === this.conversationId) return;
    const gen = ++this.#gen;
    clearTimeout(this.#poll);
    this.conversationId = id;
    this.replies = [];
    this.reply = null;
    this.text = '';
    this.drafting = false;
    this.streamed = '';
    this.guidance = '';
    this.#setError(null);
    this.sendBlock = '';
    this.superseded = null;
    this.keptLocally = false;
    this.audits = {};
    this.expanded = {};
    if (id === null) return;
    void this.#checkSend(gen, id);
    await this.#load(gen, true);
  }

  async #checkSend(gen: number, id: number): Promise<void> {
    try {
      const why = await api.sendCheck(id);
      if (gen === this.#gen) this.sendBlock = why;
    } catch {
      // Only a hint: a send that cannot work still fails visibly with its reason.
    }
  }

  /** adopt shows a reply made outside the editor (a template reply) and reads the list again. */
  async adopt(r: Reply): Promise<void> {
    if (r.conversationId !== this.conversationId) return;
    this.#setReply(r, true);
    await this.#load(this.#gen, false);
  }

  /** focus opens the composer and puts the cursor in it (the "r" key). */
  focus(): void {
    this.open = true;
    this.focusWanted = true;
  }

  leave(): void {
    this.onLeave?.();
  }

  async #load(gen: number, resetText: boolean): Promise<void> {
    const id = this.conversationId;
    if (id === null) return;
    try {
      const list = await api.replies(id);
      if (gen !== this.#gen) return;
      this.#setList(list, resetText);
    } catch (e) {
      if (gen !== this.#gen) return;
      this.#setError(toApiError('ComposeService.Replies', e));
    }
  }

  #setList(list: Reply[], resetText: boolean): void {
    const before = new Map(this.replies.map((r) => [r.id, r.state]));
    this.replies = list;
    const keep = this.reply ? list.find((r) => r.id === this.reply!.id) : undefined;
    const next = keep ?? currentReply(list);
    this.#setReply(next, resetText || !keep);
    for (const r of list) {
      if (before.get(r.id) === 'queued' && r.state === 'sent') this.onSent?.();
      if (this.expanded[r.id] && before.get(r.id) !== r.state) void this.loadAudit(r.id);
    }
    this.#schedulePoll();
  }

  #setReply(r: Reply | null, resetText: boolean): void {
    const wasDirty = this.dirty;
    this.reply = r;
    // Unsaved edits survive a refresh of the same reply.
    if (resetText || !wasDirty) this.text = r?.text ?? '';
    // A text kept while the server was away comes back into the editor.
    const kept = r && this.conversationId !== null ? localDraft(this.conversationId) : null;
    if (resetText && r && kept && kept.replyId === r.id && editable(r.state)) {
      this.text = kept.text;
      this.keptLocally = true;
    }
  }

  /**
   * keepLocally stores the editor's unsaved text on this computer while the
   * server is away (the Composer calls it as the text changes), so a reload
   * or a closed window does not lose it; it is saved when the server is back.
   */
  keepLocally(): void {
    const id = this.conversationId;
    const r = this.reply;
    if (id === null || !r || !offline.down) return;
    if (!this.dirty) {
      if (!localDraft(id)?.submit) dropDraft(id);
      return;
    }
    keepDraft({ conversationId: id, replyId: r.id, text: this.text, submit: localDraft(id)?.submit ?? false, at: new Date().toISOString() });
    this.keptLocally = true;
  }

  #upsert(r: Reply): void {
    const i = this.replies.findIndex((x) => x.id === r.id);
    const copy = this.replies.slice();
    if (i >= 0) copy[i] = r;
    else copy.push(r);
    this.replies = copy;
    // A discarded reply is done with, like a sent one: the composer starts afresh.
    this.#setReply(r.state === 'discarded' ? currentReply(copy) : r, true);
    if (this.expanded[r.id]) void this.loadAudit(r.id);
    this.#schedulePoll();
  }

  /** While a reply waits in the outbox, re-read the list until Go reports sent or failed. */
  #schedulePoll(): void {
    clearTimeout(this.#poll);
    if (!this.replies.some((r) => r.state === 'queued')) return;
    const gen = this.#gen;
    this.#poll = setTimeout(() => {
      if (gen === this.#gen) void this.#load(gen, false);
    }, OUTBOX_POLL_MS);
  }

  select(id: string): void {
    const r = this.replies.find((x) => x.id === id);
    if (r) this.#setReply(r, true);
  }

  async draft(): Promise<void> {
    const id = this.conversationId;
    if (id === null || this.drafting) return;
    const gen = this.#gen;
    this.drafting = true;
    this.streamed = '';
    this.#setError(null);
    this.open = true;
    try {
      const r = await api.draftReply(id, this.guidance.trim());
      if (gen !== this.#gen) return;
      this.#upsert(r);
      this.focusWanted = true;
    } catch (e) {
      if (gen !== this.#gen) return;
      this.#setError(toApiError('ComposeService.Draft', e));
      // A cut-off stream may still have been stored as a draft marked with its problem.
      await this.#load(gen, true);
    } finally {
      if (gen === this.#gen) {
        this.drafting = false;
        this.streamed = '';
      }
    }
  }

  async cancel(): Promise<void> {
    if (this.conversationId === null) return;
    try {
      await api.cancelDraft(this.conversationId);
    } catch (e) {
      this.#setError(toApiError('ComposeService.Cancel', e));
    }
  }

  async #step(action: StepAction, comment = '', checklist: string[] = [], supersede = false): Promise<Reply | null> {
    const r = this.reply;
    if (!r) return null;
    const text = action === 'edit' ? this.text : '';
    const reply = await api.stepReply({ replyId: r.id, action, text, comment, ...(supersede ? { supersede } : {}), ...(action === 'self-review' ? { checklist } : {}) });
    if ((action === 'edit' || action === 'submit') && this.conversationId !== null) {
      dropDraft(this.conversationId);
      this.keptLocally = false;
    }
    this.#upsert(reply);
    return reply;
  }

  /**
   * run performs a composer button. Submit saves unsaved edits first;
   * "Approve & send" is approve then queue. Go's refusal is shown as its text.
   */
  async run(action: UIAction, comment = '', checklist: string[] = [], supersede = false): Promise<boolean> {
    if (!this.reply || this.busy) return false;
    const gen = this.#gen;
    this.busy = true;
    this.#setError(null);
    this.superseded = null;
    // What is left to do if the server asks first: after an approval went
    // through, only the send is.
    let left: UIAction = action;
    try {
      switch (action) {
        case 'save':
          await this.#step('edit');
          break;
        case 'submit':
          if (this.dirty) await this.#step('edit');
          await this.#step('submit');
          break;
        case 'approveSend':
          await this.#step('approve', '', [], supersede);
          left = 'queue';
          await this.#step('queue', '', [], supersede);
          break;
        case 'selfReview':
          // The self-review dialog's confirmation: approve with the ticked checklist, then send.
          await this.#step('self-review', comment, checklist, supersede);
          left = 'queue';
          await this.#step('queue', '', [], supersede);
          break;
        default:
          await this.#step(action, comment, [], supersede);
      }
      return true;
    } catch (e) {
      if (gen !== this.#gen) return false;
      const err = toApiError(`ComposeService.Step ${action}`, e);
      if (err.code === 'reply-superseded') {
        this.superseded = { action: left, comment, checklist, at: err.params.at ?? '' };
      } else if ((action === 'save' || action === 'submit') && offline.report(err) && this.conversationId !== null && this.reply) {
        // The server is away: the text waits here and goes out when it answers.
        keepDraft({ conversationId: this.conversationId, replyId: this.reply.id, text: this.text, submit: action === 'submit', at: new Date().toISOString() });
        this.keptLocally = true;
      } else {
        this.#setError(err);
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** supersede answers "send this one too?": yes repeats the refused step saying so, no drops the question. */
  async supersede(yes: boolean): Promise<boolean> {
    const s = this.superseded;
    this.superseded = null;
    if (!s || !yes) return false;
    return this.run(s.action, s.comment, s.checklist, true);
  }

  async loadAudit(replyId: string): Promise<void> {
    try {
      const list = await api.replyAudit(replyId);
      this.audits = { ...this.audits, [replyId]: list };
    } catch (e) {
      this.#setError(toApiError('ComposeService.Audit', e));
    }
  }

  toggleAudit(replyId: string): void {
    const open = !this.expanded[replyId];
    this.expanded = { ...this.expanded, [replyId]: open };
    if (open) void this.loadAudit(replyId);
  }

  /** insert puts text at the editor's selection (or appends it) and returns the new caret position. */
  insert(snippet: string, start = this.text.length, end = start): number {
    const before = this.text.slice(0, start);
    const after = this.text.slice(end);
    const sep = before !== '' && !before.endsWith('\n') && !before.endsWith(' ') ? '\n\n' : '';
    this.text = before + sep + snippet + after;
    return (before + sep + snippet).length;
  }
}

export const composer = new ComposerStore();

/** searchCanned is the picker's query to Go; an empty query lists everything. */
export function searchCanned(query: string): Promise<Canned[]> {
  return api.cannedReplies(query.trim());
}
