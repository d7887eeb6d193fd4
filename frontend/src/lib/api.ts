// The only module that talks to the generated Wails bindings. Everything the UI
// needs from Go goes through the typed functions below; every failure becomes an
// ApiError whose message is readable text.
import * as InboxService from '../../wailsjs/go/main/InboxService';
import * as AppService from '../../wailsjs/go/main/AppService';
import { EventsOn } from '../../wailsjs/runtime/runtime';

export type Channel = 'mail' | 'telegram' | 'vk' | 'mastodon' | 'youtube' | 'import';
export const CHANNELS: readonly Channel[] = ['mail', 'telegram', 'vk', 'mastodon', 'youtube', 'import'];
export type Status = 'open' | 'pending' | 'closed';
export type Sentiment = '' | 'negative' | 'neutral' | 'positive';
export type MessageKind = 'comment' | 'dm' | 'mail';
export type Order = 'sla' | 'newest';

export interface Author {
  id: number;
  channel: Channel;
  externalId: string;
  handle: string;
  displayName: string;
  reach: number;
  notes: string;
}

export interface Account {
  id: number;
  channel: Channel;
  name: string;
  brand: string;
  handle: string;
  createdAt: string;
}

export interface Conversation {
  id: number;
  accountId: number;
  channel: Channel;
  threadKey: string;
  kind: MessageKind;
  subject: string;
  status: Status;
  assignee: string;
  priority: number;
  tags: string[];
  author: Author;
  snippet: string;
  sentiment: Sentiment;
  negativeCount: number;
  messageCount: number;
  firstMessageAt: string;
  lastMessageAt: string;
  slaDueAt: string | null;
}

export interface Message {
  id: number;
  conversationId: number;
  accountId: number;
  externalId: string;
  direction: 'in' | 'out';
  kind: MessageKind;
  author: Author;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
  sentiment: Sentiment;
  sentimentScore: number;
  flags: string[];
}

export interface ConversationQuery {
  status: '' | Status;
  channel: '' | Channel;
  accountId: number;
  tag: string;
  sentiment: Sentiment;
  assignee: string;
  unassigned: boolean;
  mine: boolean;
  order: Order;
  cursor: string;
  limit: number;
}

export interface Page {
  items: Conversation[];
  next: string;
}

export interface Thread {
  conversation: Conversation;
  messages: Message[];
}

export interface SearchQuery {
  text: string;
  channel: '' | Channel;
  beforeId: number;
  limit: number;
}

export interface SearchHit {
  messageId: number;
  conversationId: number;
  channel: Channel;
  author: Author;
  subject: string;
  snippet: string;
  sentAt: string;
  sentiment: Sentiment;
}

export interface ChannelStats {
  channel: Channel;
  open: number;
  pending: number;
  closed: number;
  messages: number;
}

export interface Stats {
  channels: ChannelStats[];
  conversations: number;
  messages: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface AppInfo {
  version: string;
  dbPath: string;
  me: string;
  demo: boolean;
}

/** Where a failure came from: the Go side, a missing bridge, or something unexpected. */
export type ApiErrorKind = 'backend' | 'unavailable' | 'unknown';

/** ApiError is the one error type the UI sees from this module. */
export class ApiError extends Error {
  readonly op: string;
  readonly kind: ApiErrorKind;
  override readonly cause: unknown;

  constructor(op: string, message: string, kind: ApiErrorKind, cause?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.op = op;
    this.kind = kind;
    this.cause = cause;
  }
}

function messageOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value instanceof Error) return value.message.trim();
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['message', 'msg', 'error', 'Error']) {
      if (typeof o[k] === 'string' && (o[k] as string).trim() !== '') return (o[k] as string).trim();
    }
    try {
      const s = JSON.stringify(value);
      return s === '{}' ? '' : s;
    } catch {
      return '';
    }
  }
  if (value === undefined || value === null) return '';
  return String(value);
}

/** toApiError turns anything a binding call can throw or reject with into an ApiError. */
export function toApiError(op: string, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // window.go / window.runtime missing: the page runs outside Wails without the dev mock.
  if (err instanceof TypeError && !bridgePresent()) {
    return new ApiError(op, '', 'unavailable', err);
  }
  const msg = messageOf(err);
  if (msg === '') return new ApiError(op, '', 'unknown', err);
  // A rejected Wails promise carries the Go error text (a string); anything else is a JS-side failure.
  return new ApiError(op, msg, typeof err === 'string' || !(err instanceof Error) ? 'backend' : 'unknown', err);
}

function bridgePresent(): boolean {
  const w = globalThis as unknown as { go?: { main?: unknown } };
  return typeof w.go === 'object' && w.go !== null && typeof w.go.main === 'object';
}

async function call<T>(op: string, fn: () => Promise<unknown>, normalize: (raw: unknown) => T): Promise<T> {
  let raw: unknown;
  try {
    raw = await fn();
  } catch (err) {
    throw toApiError(op, err);
  }
  try {
    return normalize(raw);
  } catch (err) {
    throw new ApiError(op, messageOf(err), 'unknown', err);
  }
}

// --- normalization: Go sends null for empty slices and pointers; the UI gets arrays and nulls.

type Raw = Record<string, unknown> | null | undefined;

function arr<T>(v: unknown, each: (x: unknown) => T): T[] {
  return Array.isArray(v) ? v.map(each) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v == null ? '' : String(v);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

export function normAuthor(v: unknown): Author {
  const a = (v ?? {}) as Record<string, unknown>;
  return {
    id: num(a.id),
    channel: str(a.channel) as Channel,
    externalId: str(a.externalId),
    handle: str(a.handle),
    displayName: str(a.displayName),
    reach: num(a.reach),
    notes: str(a.notes),
  };
}

export function normConversation(v: unknown): Conversation {
  const c = (v ?? {}) as Record<string, unknown>;
  const due = c.slaDueAt;
  return {
    id: num(c.id),
    accountId: num(c.accountId),
    channel: str(c.channel) as Channel,
    threadKey: str(c.threadKey),
    kind: str(c.kind) as MessageKind,
    subject: str(c.subject),
    status: str(c.status) as Status,
    assignee: str(c.assignee),
    priority: num(c.priority),
    tags: arr(c.tags, str),
    author: normAuthor(c.author),
    snippet: str(c.snippet),
    sentiment: str(c.sentiment) as Sentiment,
    negativeCount: num(c.negativeCount),
    messageCount: num(c.messageCount),
    firstMessageAt: str(c.firstMessageAt),
    lastMessageAt: str(c.lastMessageAt),
    slaDueAt: typeof due === 'string' && due !== '' && !due.startsWith('0001-01-01') ? due : null,
  };
}

function normMessage(v: unknown): Message {
  const m = (v ?? {}) as Record<string, unknown>;
  return {
    id: num(m.id),
    conversationId: num(m.conversationId),
    accountId: num(m.accountId),
    externalId: str(m.externalId),
    direction: m.direction === 'out' ? 'out' : 'in',
    kind: str(m.kind) as MessageKind,
    author: normAuthor(m.author),
    subject: str(m.subject),
    text: str(m.text),
    html: str(m.html),
    sentAt: str(m.sentAt),
    sentiment: str(m.sentiment) as Sentiment,
    sentimentScore: num(m.sentimentScore),
    flags: arr(m.flags, str),
  };
}

function normHit(v: unknown): SearchHit {
  const h = (v ?? {}) as Record<string, unknown>;
  return {
    messageId: num(h.messageId),
    conversationId: num(h.conversationId),
    channel: str(h.channel) as Channel,
    author: normAuthor(h.author),
    subject: str(h.subject),
    snippet: str(h.snippet),
    sentAt: str(h.sentAt),
    sentiment: str(h.sentiment) as Sentiment,
  };
}

// --- the bindings, typed with plain JSON shapes. Naming each generated function here keeps
// a renamed or removed Go method a compile error, while the generated model class names
// (which follow Go struct names) stay out of the UI.

type Fn<A extends unknown[]> = (...args: A) => Promise<unknown>;
const go = {
  conversations: InboxService.Conversations as unknown as Fn<[ConversationQuery]>,
  thread: InboxService.Thread as unknown as Fn<[number]>,
  search: InboxService.Search as unknown as Fn<[SearchQuery]>,
  stats: InboxService.Stats as unknown as Fn<[]>,
  accounts: InboxService.Accounts as unknown as Fn<[]>,
  tags: InboxService.Tags as unknown as Fn<[]>,
  setStatus: InboxService.SetStatus as unknown as Fn<[number, string]>,
  assign: InboxService.Assign as unknown as Fn<[number, string]>,
  addTag: InboxService.AddTag as unknown as Fn<[number, string]>,
  removeTag: InboxService.RemoveTag as unknown as Fn<[number, string]>,
  info: AppService.Info as unknown as Fn<[]>,
};

export function conversations(q: ConversationQuery): Promise<Page> {
  return call('Conversations', () => go.conversations(q), (raw) => {
    const p = (raw ?? {}) as Raw;
    return { items: arr(p?.items, normConversation), next: str(p?.next) };
  });
}

export function thread(id: number): Promise<Thread> {
  return call('Thread', () => go.thread(id), (raw) => {
    const t = (raw ?? {}) as Raw;
    return { conversation: normConversation(t?.conversation), messages: arr(t?.messages, normMessage) };
  });
}

export function search(q: SearchQuery): Promise<SearchHit[]> {
  return call('Search', () => go.search(q), (raw) => arr(raw, normHit));
}

export function stats(): Promise<Stats> {
  return call('Stats', () => go.stats(), (raw) => {
    const s = (raw ?? {}) as Raw;
    return {
      channels: arr(s?.channels, (v) => {
        const c = (v ?? {}) as Record<string, unknown>;
        return {
          channel: str(c.channel) as Channel,
          open: num(c.open),
          pending: num(c.pending),
          closed: num(c.closed),
          messages: num(c.messages),
        };
      }),
      conversations: num(s?.conversations),
      messages: num(s?.messages),
    };
  });
}

export function accounts(): Promise<Account[]> {
  return call('Accounts', () => go.accounts(), (raw) =>
    arr(raw, (v) => {
      const a = (v ?? {}) as Record<string, unknown>;
      return {
        id: num(a.id),
        channel: str(a.channel) as Channel,
        name: str(a.name),
        brand: str(a.brand),
        handle: str(a.handle),
        createdAt: str(a.createdAt),
      };
    }),
  );
}

export function tags(): Promise<TagCount[]> {
  return call('Tags', () => go.tags(), (raw) =>
    arr(raw, (v) => {
      const t = (v ?? {}) as Record<string, unknown>;
      return { tag: str(t.tag), count: num(t.count) };
    }),
  );
}

export function setStatus(id: number, status: Status): Promise<Conversation> {
  return call('SetStatus', () => go.setStatus(id, status), normConversation);
}

export function assign(id: number, assignee: string): Promise<Conversation> {
  return call('Assign', () => go.assign(id, assignee), normConversation);
}

export function addTag(id: number, tag: string): Promise<Conversation> {
  return call('AddTag', () => go.addTag(id, tag), normConversation);
}

export function removeTag(id: number, tag: string): Promise<Conversation> {
  return call('RemoveTag', () => go.removeTag(id, tag), normConversation);
}

export function info(): Promise<AppInfo> {
  return call('Info', () => go.info(), (raw) => {
    const i = (raw ?? {}) as Raw;
    return { version: str(i?.version), dbPath: str(i?.dbPath), me: str(i?.me), demo: i?.demo === true };
  });
}

/** onInboxChanged subscribes to Go's "inbox:changed" event and returns the unsubscribe function. */
export function onInboxChanged(cb: () => void): () => void {
  try {
    const off = EventsOn('inbox:changed', () => cb());
    return typeof off === 'function' ? off : () => {};
  } catch {
    // No Wails runtime (plain browser without the dev mock): nothing will ever be emitted.
    return () => {};
  }
}
