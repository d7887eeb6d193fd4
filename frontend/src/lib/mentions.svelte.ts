// The member's mentions: the notes that @mention them (the Mentions view and its unread
// count in the sidebar) and the names a note may mention (the note editor's autocomplete).
// Go's "team:mention" reaches every member's page; only the page of the member it names
// reloads the list and asks the app to notify (onMention).
import * as api from './api';
import type { ApiError, Mention, NoteMention } from './api';
import { toApiError } from './api';

export class MentionStore {
  items = $state.raw<Mention[]>([]);
  /** the Mentions view is shown in place of the conversation list */
  open = $state(false);
  /** whom a note may mention and a conversation may be assigned to (InboxService.Assignees) */
  names = $state.raw<string[]>([]);
  error = $state.raw<ApiError | null>(null);
  /** set by the app: called for each mention of this member as it is saved */
  onMention: (m: NoteMention) => void = () => {};

  #me: () => string = () => '';
  #gen = 0;
  #stop: (() => void)[] = [];

  /** unread counts the mentions not read yet (the sidebar's badge). */
  get unread(): number {
    return this.items.filter((m) => m.readAt === null || m.readAt === undefined).length;
  }

  /** init starts listening; me names the member this page belongs to (Info's me). */
  init(me: () => string): void {
    this.#me = me;
    this.#stop.push(
      api.onTeamMention((m) => this.handle(m)),
      api.onStreamReset(() => void this.load()),
    );
    void this.load();
    void this.loadNames();
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
  }

  /** handle takes one "team:mention": other members' mentions are not this page's business. */
  handle(m: NoteMention): void {
    if (m.member === '' || m.member !== this.#me()) return;
    this.onMention(m);
    void this.load();
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    try {
      const items = await api.mentions();
      if (gen !== this.#gen) return;
      this.items = items;
      this.error = null;
    } catch (e) {
      if (gen === this.#gen) this.error = toApiError('InboxService.Mentions', e);
    }
  }

  async loadNames(): Promise<void> {
    try {
      this.names = await api.assignees();
    } catch {
      // Without names the editor offers no completion; notes still save.
    }
  }

  /** markRead marks these notes' mentions read, here at once and then in Go. */
  async markRead(noteIds: number[]): Promise<void> {
    const ids = new Set(noteIds.filter((id) => this.items.some((m) => m.noteId === id && !m.readAt)));
    if (ids.size === 0) return;
    const now = new Date().toISOString();
    this.items = this.items.map((m) => (ids.has(m.noteId) ? { ...m, readAt: now } : m));
    try {
      await api.markMentionsRead([...ids]);
    } catch (e) {
      // Show what Go holds, then why the marks did not stick.
      await this.load();
      this.error = toApiError('InboxService.MarkMentionsRead', e);
    }
  }
}

export const mentions = new MentionStore();
