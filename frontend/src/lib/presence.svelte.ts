// Presence: who else has a conversation open and who is typing a reply in it, from Go's
// "presence:changed" (the team server shares it between every member's page), and this
// page's own heartbeats: every 10 s while the app is open (with the open conversation),
// and at once when typing starts or stops. The composer asks before a second reply is
// drafted in a conversation someone else is replying to (collisionWith / confirm).
import * as api from './api/presence';
import type { ConversationViewers, Viewer } from './api/presence';
import { lang, t } from './i18n';

export const BEAT_MS = 10_000;
/** typing ends this long after the last keystroke */
export const TYPING_IDLE_MS = 3_000;
/** a typing member's beat is renewed this often while keys are pressed (Go forgets typing after 6 s) */
export const TYPING_RENEW_MS = 4_000;

/** the composer's reply editor (Composer.svelte) */
export const REPLY_EDITOR_ID = 'reply-text';
/** the composer's "Draft reply" button */
export const DRAFT_BUTTON = '.composer [data-action="draft"]';

export type PresenceApi = Pick<typeof api, 'heartbeat' | 'leavePresence' | 'leaveOnUnload' | 'viewing' | 'onPresenceChanged'>;

/** othersOf is the viewers without me. */
export function othersOf(viewers: readonly Viewer[] | undefined, me: string): Viewer[] {
  return (viewers ?? []).filter((v) => v.name !== me);
}

export class PresenceStore {
  /** viewers per conversation, as Go last said (me included); 0: the members online */
  byConversation = $state.raw<ReadonlyMap<number, Viewer[]>>(new Map());
  /** conversations whose collision warning this member confirmed */
  confirmed = $state.raw<ReadonlySet<number>>(new Set());
  /** per conversation, the others seen typing a reply while they still have it open */
  replying = $state.raw<ReadonlyMap<number, string[]>>(new Map());
  me = $state('');

  #api: PresenceApi;
  #open = 0;
  #typing = false;
  #lastTypingBeat = 0;
  #beat: ReturnType<typeof setInterval> | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #stop: (() => void)[] = [];

  constructor(presenceApi: PresenceApi = api) {
    this.#api = presenceApi;
  }

  init(): void {
    this.#stop.push(this.#api.onPresenceChanged((p) => this.apply(p)));
    // Keystrokes in the composer's reply editor, and asking for a draft, are starting a
    // reply (the composer's ids; the composer itself stays unaware of presence).
    if (typeof document !== 'undefined') {
      const onInput = (e: Event) => {
        if ((e.target as HTMLElement | null)?.id === REPLY_EDITOR_ID) this.typed();
      };
      const onClick = (e: Event) => {
        const el = e.target instanceof Element ? e.target.closest(DRAFT_BUTTON) : null;
        if (el && !(el as HTMLButtonElement).disabled) this.typed();
      };
      // Capture: the composer's own handler may re-render the button away before the
      // event would bubble up here (drafting hides it).
      // A page that goes away leaves at once instead of showing for another 30 s.
      const onHide = () => this.#api.leaveOnUnload();
      window.addEventListener('pagehide', onHide);
      this.#stop.push(() => window.removeEventListener('pagehide', onHide));
      document.addEventListener('input', onInput, true);
      document.addEventListener('click', onClick, true);
      this.#stop.push(
        () => document.removeEventListener('input', onInput, true),
        () => document.removeEventListener('click', onClick, true),
      );
    }
    this.#beat = setInterval(() => void this.#send(), BEAT_MS);
    void this.#send();
    this.#api.viewing().then(
      (all) => all.forEach((p) => this.apply(p)),
      () => {},
    );
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
    clearInterval(this.#beat);
    clearTimeout(this.#idle);
    void this.#api.leavePresence(0).catch(() => {});
  }

  /** apply takes one conversation's viewers as Go announced (or answered) them. */
  apply(p: ConversationViewers): void {
    const next = new Map(this.byConversation);
    if (p.viewers.length === 0) next.delete(p.conversationId);
    else next.set(p.conversationId, p.viewers);
    this.byConversation = next;
    if (p.conversationId === 0) return;
    // Someone replying stays "replying" while they keep the conversation open, though
    // their typing pauses; leaving it ends that.
    const present = new Set(p.viewers.map((v) => v.name));
    const was = this.replying.get(p.conversationId) ?? [];
    const now = [...new Set([...was.filter((n) => present.has(n)), ...p.viewers.filter((v) => v.typing && v.name !== this.me).map((v) => v.name)])];
    if (now.join('\n') === was.join('\n')) return;
    const rep = new Map(this.replying);
    if (now.length === 0) rep.delete(p.conversationId);
    else rep.set(p.conversationId, now);
    this.replying = rep;
  }

  /** others answers who else has the conversation open. */
  others(conversationId: number | null): Viewer[] {
    if (conversationId === null) return [];
    return othersOf(this.byConversation.get(conversationId), this.me);
  }

  /** online answers the members whose app is open. */
  get online(): string[] {
    return (this.byConversation.get(0) ?? []).map((v) => v.name);
  }

  /**
   * collisionWith answers who else is replying to the conversation when this member has
   * not confirmed a reply of their own there yet: the composer warns first.
   */
  collisionWith(conversationId: number | null): string[] {
    if (conversationId === null || this.confirmed.has(conversationId)) return [];
    return this.replying.get(conversationId) ?? [];
  }

  confirm(conversationId: number): void {
    this.confirmed = new Set([...this.confirmed, conversationId]);
  }

  /** open says which conversation this page shows (null: none); beats at once. */
  open(conversationId: number | null): void {
    const id = conversationId ?? 0;
    if (id === this.#open) return;
    const left = this.#open;
    this.#open = id;
    this.#typing = false;
    clearTimeout(this.#idle);
    if (left !== 0) void this.#api.leavePresence(left).catch(() => {});
    void this.#send();
  }

  /**
   * typed is called on each keystroke in the reply editor: the first one starts typing
   * at once (and confirms this member's own reply when nobody else was replying), later
   * ones renew it now and then, and typing stops after a pause.
   */
  typed(): void {
    if (this.#open === 0) return;
    if (!this.#typing && this.collisionWith(this.#open).length === 0) this.confirm(this.#open);
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      this.#typing = false;
      void this.#send();
    }, TYPING_IDLE_MS);
    if (!this.#typing || Date.now() - this.#lastTypingBeat >= TYPING_RENEW_MS) {
      this.#typing = true;
      void this.#send();
    }
  }

  async #send(): Promise<void> {
    const id = this.#open;
    if (this.#typing) this.#lastTypingBeat = Date.now();
    try {
      const viewers = await this.#api.heartbeat(id, this.#typing);
      if (id !== 0 && id === this.#open) this.apply({ conversationId: id, viewers });
    } catch {
      // A missed beat is made up by the next one; the page's error banner is for actions.
    }
  }
}

export const presence = new PresenceStore();

/** listNames joins names as the language does: "Ann, Bob and Cy", "Ann, Bob und Cy". */
export function listNames(names: readonly string[]): string {
  return new Intl.ListFormat(lang(), { style: 'long', type: 'conjunction' }).format(names);
}

/** presenceText words a presence line: "Ann is viewing", "Ann and Bob are typing…". */
export function presenceText(key: 'presence.viewing' | 'presence.typing' | 'presence.replying' | 'presence.marker', names: readonly string[]): string {
  return t(key, { names: listNames(names), count: names.length });
}
