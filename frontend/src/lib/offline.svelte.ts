// Offline in team mode: when the server cannot be reached (the shim's "bridge
// unreachable", the desktop proxy's coded server-unreachable, a gateway's
// 502/503/504) the page says so, keeps what it has loaded, keeps the composer's
// unsent text in localStorage per conversation, and polls AppService.Info with
// backoff; once the server answers, the kept drafts are saved (and submitted
// when the person had pressed Submit) before anything else is retried.
import * as api from './api';
import { ApiError } from './api';
import { lang, type Lang } from './i18n';

/** clockTime is HH:MM of an RFC 3339 time in the language's form ('' when unreadable). */
export function clockTime(iso: string, l: Lang = lang()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** How long to wait before each probe while the server is unreachable, then the last one repeats. */
export const BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000, 15000, 30000];

export function backoff(attempt: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempt, 0), BACKOFF_MS.length - 1)]!;
}

const GATEWAY = /bridge unreachable|\bHTTP 50[234]\b/;

/** unreachable says whether a failed call means the server did not answer (not that it refused). */
export function unreachable(e: unknown): boolean {
  if (e instanceof ApiError) {
    if (e.code !== '') return e.code === 'server-unreachable';
    return GATEWAY.test(e.detail) || GATEWAY.test(e.message);
  }
  const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return msg.includes('"code":"server-unreachable"') || GATEWAY.test(msg);
}

/** A composer text not yet stored on the server. */
export interface LocalDraft {
  conversationId: number;
  replyId: string;
  text: string;
  /** the person pressed Submit while the server was away: submit once saved */
  submit: boolean;
  /** when it was kept (ISO time) */
  at: string;
}

const PREFIX = 'stormdesk.draft.';

/** The storage local drafts live in; tests pass their own. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

function defaultStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled: nothing is kept, nothing breaks
  }
}

export function keepDraft(d: LocalDraft, storage: DraftStorage | null = defaultStorage()): void {
  try {
    storage?.setItem(PREFIX + d.conversationId, JSON.stringify(d));
  } catch {
    // full or disabled storage: the text stays in the editor
  }
}

function parseDraft(raw: string | null): LocalDraft | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<LocalDraft>;
    if (typeof d.conversationId !== 'number' || typeof d.replyId !== 'string' || d.replyId === '' || typeof d.text !== 'string') return null;
    return { conversationId: d.conversationId, replyId: d.replyId, text: d.text, submit: d.submit === true, at: typeof d.at === 'string' ? d.at : '' };
  } catch {
    return null;
  }
}

export function localDraft(conversationId: number, storage: DraftStorage | null = defaultStorage()): LocalDraft | null {
  return parseDraft(storage?.getItem(PREFIX + conversationId) ?? null);
}

export function dropDraft(conversationId: number, storage: DraftStorage | null = defaultStorage()): void {
  storage?.removeItem(PREFIX + conversationId);
}

export function localDrafts(storage: DraftStorage | null = defaultStorage()): LocalDraft[] {
  if (!storage) return [];
  const out: LocalDraft[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (!k?.startsWith(PREFIX)) continue;
    const d = parseDraft(storage.getItem(k));
    if (d) out.push(d);
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The steps that store a kept draft on the server (ComposeService.Step edit, then submit). */
export interface DraftSink {
  step: (s: { replyId: string; action: 'edit' | 'submit'; text: string; comment: string }) => Promise<unknown>;
}

/**
 * flushDrafts stores every kept draft: its text as an edit, then a submit when
 * asked for. A draft leaves storage once stored; one the server refuses (the
 * reply moved on meanwhile) stays, so its text is not lost, and is reported.
 * It stops at the first unreachable answer: the server went away again.
 */
export async function flushDrafts(sink: DraftSink, storage: DraftStorage | null = defaultStorage()): Promise<{ saved: LocalDraft[]; refused: { draft: LocalDraft; error: unknown }[] }> {
  const saved: LocalDraft[] = [];
  const refused: { draft: LocalDraft; error: unknown }[] = [];
  for (const d of localDrafts(storage)) {
    try {
      await sink.step({ replyId: d.replyId, action: 'edit', text: d.text, comment: '' });
      if (d.submit) await sink.step({ replyId: d.replyId, action: 'submit', text: '', comment: '' });
      dropDraft(d.conversationId, storage);
      saved.push(d);
    } catch (e) {
      if (unreachable(e)) break;
      refused.push({ draft: d, error: e });
    }
  }
  return { saved, refused };
}

export type Schedule = (fn: () => void, ms: number) => unknown;

/**
 * OfflineStore knows whether the server is away. report() takes any failed
 * call; the first unreachable one starts probing (probe, default
 * AppService.Info) with backoff until it answers, then runs the onBack
 * listeners (the composer's drafts first: they registered first).
 */
export class OfflineStore {
  down = $state(false);
  /** when the server stopped answering */
  since = $state.raw<Date | null>(null);
  /** probes tried since */
  attempts = $state(0);

  #probe: () => Promise<unknown>;
  #schedule: Schedule;
  #cancel: (handle: unknown) => void;
  #timer: unknown = null;
  #probing = false;
  #back: (() => unknown)[] = [];

  constructor(opts: { probe?: () => Promise<unknown>; schedule?: Schedule; cancel?: (handle: unknown) => void } = {}) {
    this.#probe = opts.probe ?? (() => api.info());
    this.#schedule = opts.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.#cancel = opts.cancel ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** report takes a failed call's error; true when it means the server is unreachable. */
  report(e: unknown): boolean {
    if (!unreachable(e)) return false;
    if (!this.down) {
      this.down = true;
      this.since = new Date();
      this.attempts = 0;
      this.#next();
    }
    return true;
  }

  /**
   * watch asks the server once when the page's event stream drops (the
   * EventSource reconnecting), so an idle page says the server is away without
   * waiting for its next call to fail. The probe's failure is reported like any
   * call's; one probe at a time.
   */
  watch(source: EventSource | undefined): () => void {
    if (!source) return () => {};
    let checking = false;
    const onError = () => {
      if (this.down || checking || source.readyState !== 0) return; // 0: CONNECTING, i.e. the stream dropped
      checking = true;
      this.#probe()
        .catch((e) => void this.report(e))
        .finally(() => (checking = false));
    };
    source.addEventListener('error', onError);
    return () => source.removeEventListener('error', onError);
  }

  /** onBack runs fn each time the server answers again after being away. */
  onBack(fn: () => unknown): () => void {
    this.#back.push(fn);
    return () => (this.#back = this.#back.filter((f) => f !== fn));
  }

  /** retryNow probes at once (the banner's button). */
  retryNow(): Promise<void> {
    if (this.#timer !== null) this.#cancel(this.#timer);
    this.#timer = null;
    return this.#try();
  }

  #next(): void {
    this.#timer = this.#schedule(() => {
      this.#timer = null;
      void this.#try();
    }, backoff(this.attempts));
  }

  async #try(): Promise<void> {
    if (!this.down || this.#probing) return;
    this.#probing = true;
    try {
      await this.#probe();
    } catch (e) {
      // Any answer, even a refusal, means the server is there again.
      if (unreachable(e)) {
        this.attempts++;
        this.#next();
        return;
      }
    } finally {
      this.#probing = false;
    }
    this.down = false;
    this.since = null;
    this.attempts = 0;
    for (const fn of this.#back.slice()) {
      try {
        await fn();
      } catch (e) {
        console.warn('offline: after reconnecting', e);
      }
    }
  }
}

export const offline = new OfflineStore();
