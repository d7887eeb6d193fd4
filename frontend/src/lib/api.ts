// The only module that talks to the generated Wails bindings. Everything the UI
// needs from Go goes through the typed functions below; every failure becomes an
// ApiError whose message is readable text.
import * as InboxService from '../../wailsjs/go/main/InboxService';
import * as AppService from '../../wailsjs/go/main/AppService';
import * as AccountsService from '../../wailsjs/go/main/AccountsService';
import * as CrisisService from '../../wailsjs/go/main/CrisisService';
import * as ComposeService from '../../wailsjs/go/main/ComposeService';
import * as SLAService from '../../wailsjs/go/main/SLAService';
import * as AuthorsService from '../../wailsjs/go/main/AuthorsService';
import * as AnalyticsService from '../../wailsjs/go/main/AnalyticsService';
import * as ClassifyService from '../../wailsjs/go/main/ClassifyService';
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
  /** the team always answers this author first (SLA rules may match on it) */
  vip: boolean;
  /** standing on Stormdesk's own moderation record (nothing is enforced on the platform) */
  banned: boolean;
  /** end of the author's last block ('' when none); running while in the future */
  blockedUntil: string;
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
  /** "ok" | "warning" | "breached" | "paused" | "none" | "" (never computed) */
  slaState: string;
  slaWarnAt: string | null;
  slaPolicy: string;
  /** some stored times were out of range and are shown clamped */
  suspiciousDate?: boolean;
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
  /** the sender's own date when it could not be trusted (flag suspicious-date; sentAt is when it arrived) */
  claimedAt?: string | null;
  sentiment: Sentiment;
  sentimentScore: number;
  flags: string[];
  /** the label was set by hand (a correction), not by the model */
  sentimentCorrected: boolean;
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
  commit: string;
  date: string;
  dbPath: string;
  me: string;
  /** approver may approve and reject replies; agents submit them. */
  role: 'agent' | 'approver';
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
    vip: a.vip === true,
    banned: a.banned === true,
    blockedUntil: time(a.blockedUntil),
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
    slaDueAt: optTime(due),
    slaState: str(c.slaState),
    slaWarnAt: optTime(c.slaWarnAt),
    slaPolicy: str(c.slaPolicy),
    suspiciousDate: c.suspiciousDate === true,
  };
}

function optTime(v: unknown): string | null {
  return typeof v === 'string' && v !== '' && !v.startsWith('0001-01-01') ? v : null;
}

/** Flags that mark a hand-set sentiment label; Go may report it as a flag or a field. */
const CORRECTED_FLAGS = ['sentiment-corrected', 'corrected'];

export function normMessage(v: unknown): Message {
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
    claimedAt: optTime(m.claimedAt),
    sentiment: str(m.sentiment) as Sentiment,
    sentimentScore: num(m.sentimentScore),
    flags: arr(m.flags, str),
    sentimentCorrected:
      m.sentimentCorrected === true || m.corrected === true || arr(m.flags, str).some((f) => CORRECTED_FLAGS.includes(f)),
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
  correctSentiment: InboxService.CorrectSentiment as unknown as Fn<[number, string]>,
  slaPolicies: SLAService.Policies as unknown as Fn<[]>,
  saveSlaPolicies: SLAService.SavePolicies as unknown as Fn<[string]>,
  setCrisisMode: CrisisService.SetCrisisMode as unknown as Fn<[string, boolean]>,
  inCrisis: CrisisService.InCrisis as unknown as Fn<[]>,
  info: AppService.Info as unknown as Fn<[]>,
  accountList: AccountsService.List as unknown as Fn<[]>,
  accountSave: AccountsService.Save as unknown as Fn<[AccountInput]>,
  accountTest: AccountsService.Test as unknown as Fn<[string]>,
  accountSync: AccountsService.SyncNow as unknown as Fn<[string]>,
  crisisStates: CrisisService.States as unknown as Fn<[]>,
  crisisAlerts: CrisisService.Alerts as unknown as Fn<[]>,
  crisisGroups: CrisisService.Groups as unknown as Fn<[string[]]>,
  crisisTimeline: CrisisService.Timeline as unknown as Fn<[string]>,
  crisisSeries: CrisisService.Series as unknown as Fn<[string, string]>,
  sampleConversations: CrisisService.SampleConversations as unknown as Fn<[string, Sample[]]>,
  burstGroups: CrisisService.BurstGroups as unknown as Fn<[string, string, string, number]>,
  draftForGroup: ComposeService.DraftForGroup as unknown as Fn<[number[], string]>,
  moderate: InboxService.Moderate as unknown as Fn<[number, string, boolean]>,
  draft: ComposeService.Draft as unknown as Fn<[number, string]>,
  cancelDraft: ComposeService.Cancel as unknown as Fn<[number]>,
  step: ComposeService.Step as unknown as Fn<[ComposeStep]>,
  replies: ComposeService.Replies as unknown as Fn<[number]>,
  audit: ComposeService.Audit as unknown as Fn<[string]>,
  canned: ComposeService.Canned as unknown as Fn<[string]>,
  kb: ComposeService.KB as unknown as Fn<[string]>,
  saveKB: ComposeService.SaveKB as unknown as Fn<[KBEntry]>,
  llm: ComposeService.LLM as unknown as Fn<[]>,
  saveLLM: ComposeService.SaveLLM as unknown as Fn<[LLMSettingsInput]>,
  testLLM: ComposeService.TestLLM as unknown as Fn<[]>,
  brands: ComposeService.Brands as unknown as Fn<[]>,
  saveBrand: ComposeService.SaveBrand as unknown as Fn<[BrandProfile]>,
  saveCanned: ComposeService.SaveCanned as unknown as Fn<[Canned]>,
  deleteCanned: ComposeService.DeleteCanned as unknown as Fn<[string]>,
  retrainSentiment: ComposeService.RetrainSentiment as unknown as Fn<[]>,
  approvalQueue: ComposeService.ApprovalQueue as unknown as Fn<[]>,
  notify: AppService.Notify as unknown as Fn<[DesktopNotification]>,
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
    return {
      version: str(i?.version),
      commit: str(i?.commit),
      date: str(i?.date),
      dbPath: str(i?.dbPath),
      me: str(i?.me),
      role: i?.role === 'approver' ? 'approver' : 'agent',
      demo: i?.demo === true,
    };
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

/** subscribe wraps EventsOn: no Wails runtime means no events, never a crash. */
function subscribe(name: string, cb: (...data: unknown[]) => void): () => void {
  try {
    const off = EventsOn(name, (...data: unknown[]) => cb(...data));
    return typeof off === 'function' ? off : () => {};
  } catch {
    return () => {};
  }
}

/** time returns an ISO time, or '' for Go's zero time and anything unparsable. */
function time(v: unknown): string {
  const s = str(v);
  if (s === '' || s.startsWith('0001-01-01')) return '';
  return isNaN(Date.parse(s)) ? '' : s;
}

// --- accounts (settings screen)

export interface SecretSpec {
  name: string;
  label: string;
  required: boolean;
}

export interface SyncState {
  cursor: string;
  syncedAt: string;
  fetched: number;
  skipped: number;
  lastError: string;
}

export interface Limits {
  maxTextLength: number;
  /** milliseconds; 0 = no limit */
  deleteWindowMs: number;
  notes: string[];
}

export interface AccountStatus {
  account: Account;
  /** the stored settings, parsed; {} when Go sent nothing or broken JSON */
  settings: Record<string, unknown>;
  sync: SyncState;
  secrets: SecretSpec[];
  limits: Limits;
}

/** AccountInput is what AccountsService.Save receives. */
export interface AccountInput {
  name: string;
  channel: Channel;
  brand: string;
  handle: string;
  /** JSON object text */
  settings: string;
  secrets: Record<string, string>;
}

/** SyncProgress is one "sync:progress" event. */
export interface SyncProgress {
  account: string;
  fetched: number;
  stored: number;
  more: boolean;
  /** fetched + what the server says remains (initial mail sync); 0 when unknown */
  total: number;
  error: string;
  /** milliseconds until the next attempt, 0 if none scheduled */
  retryInMs: number;
  completed: boolean;
}

const NS_PER_MS = 1e6;

function normAccount(v: unknown): Account {
  const a = (v ?? {}) as Record<string, unknown>;
  return {
    id: num(a.id),
    channel: str(a.channel) as Channel,
    name: str(a.name),
    brand: str(a.brand),
    handle: str(a.handle),
    createdAt: str(a.createdAt),
  };
}

function parseSettings(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  try {
    const o = JSON.parse(str(v) || '{}');
    return o && typeof o === 'object' && !Array.isArray(o) ? o : {};
  } catch {
    return {};
  }
}

export function normAccountStatus(v: unknown): AccountStatus {
  const s = (v ?? {}) as Record<string, unknown>;
  const sy = (s.sync ?? {}) as Record<string, unknown>;
  const l = (s.limits ?? {}) as Record<string, unknown>;
  return {
    account: normAccount(s.account),
    settings: parseSettings(s.settings),
    sync: {
      cursor: str(sy.cursor),
      syncedAt: time(sy.syncedAt),
      fetched: num(sy.fetched),
      skipped: num(sy.skipped),
      lastError: str(sy.lastError),
    },
    secrets: arr(s.secrets, (x) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return { name: str(o.name), label: str(o.label), required: o.required === true };
    }),
    limits: {
      maxTextLength: num(l.MaxTextLength ?? l.maxTextLength),
      deleteWindowMs: num(l.DeleteWindow ?? l.deleteWindow) / NS_PER_MS,
      notes: arr(l.Notes ?? l.notes, str),
    },
  };
}

export function normSyncProgress(v: unknown): SyncProgress {
  const e = (v ?? {}) as Record<string, unknown>;
  return {
    account: str(e.account),
    fetched: num(e.fetched),
    stored: num(e.stored),
    more: e.more === true,
    total: num(e.total),
    error: str(e.error),
    retryInMs: num(e.retryIn) / NS_PER_MS,
    completed: e.completed === true,
  };
}

export function listAccounts(): Promise<AccountStatus[]> {
  return call('AccountsService.List', () => go.accountList(), (raw) => arr(raw, normAccountStatus));
}

export function saveAccount(input: AccountInput): Promise<Account> {
  return call('AccountsService.Save', () => go.accountSave(input), normAccount);
}

/** testAccount resolves with Go's answer ("connected") or rejects with the reason. */
export function testAccount(name: string): Promise<string> {
  return call('AccountsService.Test', () => go.accountTest(name), str);
}

export function syncNow(name: string): Promise<void> {
  return call('AccountsService.SyncNow', () => go.accountSync(name), () => undefined);
}

/** onSyncProgress subscribes to "sync:progress". */
export function onSyncProgress(cb: (p: SyncProgress) => void): () => void {
  return subscribe('sync:progress', (data) => cb(normSyncProgress(data)));
}

// --- crisis dashboard

export type CrisisStatus = 'learning' | 'normal' | 'alert' | 'cooldown';

export interface CrisisKey {
  account: string;
  channel: Channel;
}

export interface KeyState {
  key: CrisisKey;
  status: CrisisStatus;
  binStart: string;
  observed: number;
  volume: number;
  baseline: number;
  baselineVolume: number;
  threshold: number;
  historyFrom: string;
  learningUntil: string;
  lastAlert: string;
  cooldownUntil: string;
  late: number;
  dropped: number;
}

export interface TermScore {
  term: string;
  count: number;
  score: number;
}

export interface Sample {
  at: string;
  author: string;
  reach: number;
  text: string;
}

export interface AuthorImpact {
  author: string;
  messages: number;
  reach: number;
}

/** SeriesBin is one point of an alert's chart (crisis.Bin). */
export interface SeriesBin {
  start: string;
  negative: number;
  total: number;
  baseline: number;
  upper: number;
  baselineTotal: number;
  learning: boolean;
}

export interface CrisisAlert {
  /** stable id for the UI: key + window start */
  id: string;
  key: CrisisKey;
  start: string;
  detectedAt: string;
  /** milliseconds */
  windowMs: number;
  observed: number;
  baseline: number;
  threshold: number;
  pValue: number;
  volume: number;
  escalation: boolean;
  topTerms: TermScore[];
  topPhrases: string[];
  samples: Sample[];
  authors: AuthorImpact[];
  series: SeriesBin[];
}

function normKey(v: unknown): CrisisKey {
  const k = (v ?? {}) as Record<string, unknown>;
  return { account: str(k.account), channel: str(k.channel) as Channel };
}

const STATUSES: readonly string[] = ['learning', 'normal', 'alert', 'cooldown'];

export function normKeyState(v: unknown): KeyState {
  const s = (v ?? {}) as Record<string, unknown>;
  const status = str(s.status);
  return {
    key: normKey(s.key),
    status: (STATUSES.includes(status) ? status : 'learning') as CrisisStatus,
    binStart: time(s.binStart),
    observed: num(s.observed),
    volume: num(s.volume),
    baseline: num(s.baseline),
    baselineVolume: num(s.baselineVolume),
    threshold: num(s.threshold),
    historyFrom: time(s.historyFrom),
    learningUntil: time(s.learningUntil),
    lastAlert: time(s.lastAlert),
    cooldownUntil: time(s.cooldownUntil),
    late: num(s.late),
    dropped: num(s.dropped),
  };
}

export function normAlert(v: unknown): CrisisAlert {
  const a = (v ?? {}) as Record<string, unknown>;
  const key = normKey(a.key);
  const start = time(a.start);
  return {
    id: `${key.account}/${key.channel}@${start}`,
    key,
    start,
    detectedAt: time(a.detectedAt),
    windowMs: num(a.window) / NS_PER_MS,
    observed: num(a.observed),
    baseline: num(a.baseline),
    threshold: num(a.threshold),
    pValue: num(a.pValue),
    volume: num(a.volume),
    escalation: a.escalation === true,
    topTerms: arr(a.topTerms, (x) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return { term: str(o.term), count: num(o.count), score: num(o.score) };
    }),
    topPhrases: arr(a.topPhrases, str),
    samples: arr(a.samples, (x) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return { at: time(o.at), author: str(o.author), reach: num(o.reach), text: str(o.text) };
    }),
    authors: arr(a.authors, (x) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return { author: str(o.author), messages: num(o.messages), reach: num(o.reach) };
    }),
    series: arr(a.series, normSeriesBin),
  };
}

export function normSeriesBin(x: unknown): SeriesBin {
  const o = (x ?? {}) as Record<string, unknown>;
  return {
    start: time(o.start),
    negative: num(o.negative ?? o.negatives),
    total: num(o.total ?? o.volume),
    baseline: num(o.baseline),
    upper: num(o.upper),
    baselineTotal: num(o.baselineTotal),
    learning: o.learning === true,
  };
}

/** crisisSeries returns the last 48 hours of one stream in 15-minute bins, oldest first. */
export function crisisSeries(key: CrisisKey): Promise<SeriesBin[]> {
  return call('CrisisService.Series', () => go.crisisSeries(key.account, key.channel), (raw) => arr(raw, normSeriesBin));
}

export function crisisStates(): Promise<KeyState[]> {
  return call('CrisisService.States', () => go.crisisStates(), (raw) => arr(raw, normKeyState));
}

export function crisisAlerts(): Promise<CrisisAlert[]> {
  return call('CrisisService.Alerts', () => go.crisisAlerts(), (raw) => arr(raw, normAlert));
}

/** crisisGroups returns groups of near-duplicate texts as indexes into texts. */
export function crisisGroups(texts: string[]): Promise<number[][]> {
  return call('CrisisService.Groups', () => go.crisisGroups(texts), (raw) => arr(raw, (g) => arr(g, num)));
}

/** setCrisisMode opens (on) or ends crisis mode for a brand account. */
export function setCrisisMode(account: string, on: boolean): Promise<void> {
  return call('CrisisService.SetCrisisMode', () => go.setCrisisMode(account, on), () => undefined);
}

/** inCrisis lists the accounts with crisis mode on. */
export function inCrisis(): Promise<string[]> {
  return call('CrisisService.InCrisis', () => go.inCrisis(), (raw) => arr(raw, str));
}

// --- SLA policies and sentiment corrections

/** slaPolicies returns the stored SLA policy set as indented JSON. */
export function slaPolicies(): Promise<string> {
  return call('SLAService.Policies', () => go.slaPolicies(), str);
}

/** saveSlaPolicies stores a policy set; Go's error lists every problem, one per line. */
export function saveSlaPolicies(json: string): Promise<void> {
  return call('SLAService.SavePolicies', () => go.saveSlaPolicies(json), () => undefined);
}

/** correctSentiment sets an inbound message's sentiment label by hand. */
export function correctSentiment(messageId: number, label: Exclude<Sentiment, ''>): Promise<void> {
  return call('InboxService.CorrectSentiment', () => go.correctSentiment(messageId, label), () => undefined);
}

// --- crisis timeline, one statement per group, moderation guard

export type TimelineKind = 'opened' | 'closed' | 'alert' | 'statement' | 'reply' | 'volume' | 'note';
const TIMELINE_KINDS: readonly string[] = ['opened', 'closed', 'alert', 'statement', 'reply', 'volume', 'note'];

/** TimelineEntry is one line of a crisis timeline; kind "volume" is an hour's counts. */
export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  text: string;
  ref: string;
  inbound: number;
  negative: number;
}

export function normTimelineEntry(v: unknown): TimelineEntry {
  const e = obj(v);
  const kind = str(e.kind);
  return {
    at: time(e.at),
    kind: (TIMELINE_KINDS.includes(kind) ? kind : 'note') as TimelineKind,
    text: str(e.text),
    ref: str(e.ref),
    inbound: num(e.inbound),
    negative: num(e.negative),
  };
}

/** crisisTimeline returns the current crisis of an account, oldest first (empty when not in crisis). */
export function crisisTimeline(account: string): Promise<TimelineEntry[]> {
  return call('CrisisService.Timeline', () => go.crisisTimeline(account), (raw) => arr(raw, normTimelineEntry));
}

/** sampleConversations maps an alert's samples to conversation ids (0 = not stored). */
export function sampleConversations(account: string, samples: Sample[]): Promise<number[]> {
  return call('CrisisService.SampleConversations', () => go.sampleConversations(account, samples), (raw) => arr(raw, num));
}

/** BurstGroup is a group of near-duplicate complaints of one burst with its conversations. */
export interface BurstGroup {
  messages: number;
  conversationIds: number[];
  examples: string[];
}

/** burstGroups groups an alert's negative messages by near-duplicate text, largest first. */
export function burstGroups(alert: CrisisAlert): Promise<BurstGroup[]> {
  return call(
    'CrisisService.BurstGroups',
    () => go.burstGroups(alert.key.account, alert.start, alert.detectedAt, Math.round(alert.windowMs)),
    (raw) =>
      arr(raw, (x) => {
        const g = obj(x);
        return { messages: num(g.messages), conversationIds: arr(g.conversationIds, num), examples: arr(g.examples, str) };
      }),
  );
}

/** draftForGroup drafts the same statement in each conversation; each draft still needs approval. */
export function draftForGroup(conversationIds: number[], text: string): Promise<Reply[]> {
  return call('ComposeService.DraftForGroup', () => go.draftForGroup(conversationIds, text), (raw) => arr(raw, normReply));
}

export type ModerationAction = 'hide' | 'delete';
export type ModerationReason = 'negative' | 'influencer' | 'crisis';

/** ModerationWarning says why hiding or deleting a message needs an explicit confirmation. */
export interface ModerationWarning {
  critical: boolean;
  reasons: string[];
}

/** moderate hides or deletes a message; a critical one is only acted on with confirm. */
export function moderate(messageId: number, action: ModerationAction, confirm: boolean): Promise<ModerationWarning> {
  return call('InboxService.Moderate', () => go.moderate(messageId, action, confirm), (raw) => {
    const w = obj(raw);
    return { critical: w.critical === true, reasons: arr(w.reasons, str) };
  });
}

/** onCrisisAlert subscribes to "crisis:alert". */
export function onCrisisAlert(cb: (a: CrisisAlert) => void): () => void {
  return subscribe('crisis:alert', (data) => cb(normAlert(data)));
}

// --- composer: drafted replies, the approval workflow, canned replies, knowledge base, LLM settings

export type ReplyState = 'draft' | 'submitted' | 'approved' | 'rejected' | 'queued' | 'sent' | 'failed';
export const REPLY_STATES: readonly ReplyState[] = ['draft', 'submitted', 'approved', 'rejected', 'queued', 'sent', 'failed'];
export type ReplySource = 'llm' | 'offline' | 'canned' | '';
export type StepAction = 'edit' | 'submit' | 'withdraw' | 'approve' | 'reject' | 'queue' | 'retry';

/** Finding is one suspected prompt injection in an inbound message (drafts.Finding). */
export interface Finding {
  rule: string;
  lang: string;
  excerpt: string;
}

export interface Approval {
  needsApprover: boolean;
  twoPerson: boolean;
  reasons: string[];
}

/** Reply is a drafted reply moving through approval (drafts.Reply). */
export interface Reply {
  id: string;
  conversationId: number;
  state: ReplyState;
  author: string;
  draftText: string;
  text: string;
  lang: string;
  source: ReplySource;
  aiAssisted: boolean;
  citations: string[];
  problems: string[];
  injection: Finding[];
  approval: Approval;
  approver: string;
  comment: string;
  failReason: string;
  externalId: string;
  idempotencyKey: string;
  updatedAt: string;
}

/** AuditEntry is one workflow step (drafts.AuditEntry). */
export interface AuditEntry {
  replyId: string;
  who: string;
  role: string;
  when: string;
  action: string;
  from: string;
  to: string;
  comment: string;
  diff: string;
}

export interface ComposeStep {
  replyId: string;
  action: StepAction;
  text: string;
  comment: string;
}

export interface Canned {
  id: string;
  title: string;
  lang: string;
  body: string;
  tags: string[];
}

export interface KBEntry {
  id: string;
  title: string;
  text: string;
  lang: string;
  brand: string;
}

export type Provider = 'openai' | 'azure';

/** LLMConfig is drafts.Settings as the UI edits it; the API key is never part of it. */
export interface LLMConfig {
  provider: Provider;
  baseUrl: string;
  model: string;
  apiVersion: string;
  /** the rest of the stored settings (timeout, retry, …), sent back unchanged */
  extra: Record<string, unknown>;
}

export interface LLMState {
  settings: LLMConfig;
  hasApiKey: boolean;
}

/** LLMSettingsInput is what ComposeService.SaveLLM receives; an empty apiKey keeps the stored key. */
export interface LLMSettingsInput {
  settings: Record<string, unknown>;
  apiKey: string;
}

/** ComposeDelta is one "compose:delta" event: streamed draft text for a conversation. */
export interface ComposeDelta {
  conversationId: number;
  text: string;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function normReply(v: unknown): Reply {
  const r = obj(v);
  const state = str(r.state);
  const ap = obj(r.approval);
  return {
    id: str(r.id),
    conversationId: num(r.conversationId),
    // An unknown state is shown as it is rather than guessed; the UI offers no actions for it.
    state: state as ReplyState,
    author: str(r.author),
    draftText: str(r.draftText),
    text: str(r.text),
    lang: str(r.lang),
    source: str(r.source) as ReplySource,
    aiAssisted: r.aiAssisted === true,
    citations: arr(r.citations, str),
    problems: arr(r.problems, str),
    injection: arr(r.injection, (x) => {
      const f = obj(x);
      return { rule: str(f.rule), lang: str(f.lang), excerpt: str(f.excerpt) };
    }),
    approval: { needsApprover: ap.needsApprover === true, twoPerson: ap.twoPerson === true, reasons: arr(ap.reasons, str) },
    approver: str(r.approver),
    comment: str(r.comment),
    failReason: str(r.failReason),
    externalId: str(r.externalId),
    idempotencyKey: str(r.idempotencyKey),
    updatedAt: time(r.updatedAt),
  };
}

export function normAudit(v: unknown): AuditEntry {
  const a = obj(v);
  return {
    replyId: str(a.replyId),
    who: str(a.who),
    role: str(a.role),
    when: time(a.when),
    action: str(a.action),
    from: str(a.from),
    to: str(a.to),
    comment: str(a.comment),
    diff: str(a.diff),
  };
}

function normCanned(v: unknown): Canned {
  const c = obj(v);
  return { id: str(c.id), title: str(c.title), lang: str(c.lang), body: str(c.body), tags: arr(c.tags, str) };
}

function normKB(v: unknown): KBEntry {
  const e = obj(v);
  return { id: str(e.id), title: str(e.title), text: str(e.text), lang: str(e.lang), brand: str(e.brand) };
}

export function normLLM(v: unknown): LLMState {
  const o = obj(v);
  const s = obj(o.settings);
  const { provider, baseUrl, model, apiVersion, ...extra } = s;
  return {
    settings: {
      provider: provider === 'azure' ? 'azure' : 'openai',
      baseUrl: str(baseUrl),
      model: str(model),
      apiVersion: str(apiVersion),
      extra,
    },
    hasApiKey: o.hasApiKey === true,
  };
}

/** draftReply asks Go for a draft (LLM or offline template); the text streams through onComposeDelta. */
export function draftReply(conversationId: number, guidance = ''): Promise<Reply> {
  return call('ComposeService.Draft', () => go.draft(conversationId, guidance), normReply);
}

export function cancelDraft(conversationId: number): Promise<void> {
  return call('ComposeService.Cancel', () => go.cancelDraft(conversationId), () => undefined);
}

export function stepReply(step: ComposeStep): Promise<Reply> {
  return call('ComposeService.Step', () => go.step(step), normReply);
}

export function replies(conversationId: number): Promise<Reply[]> {
  return call('ComposeService.Replies', () => go.replies(conversationId), (raw) => arr(raw, normReply));
}

export function replyAudit(replyId: string): Promise<AuditEntry[]> {
  return call('ComposeService.Audit', () => go.audit(replyId), (raw) => arr(raw, normAudit));
}

export function cannedReplies(query: string): Promise<Canned[]> {
  return call('ComposeService.Canned', () => go.canned(query), (raw) => arr(raw, normCanned));
}

export function kbEntries(brand = ''): Promise<KBEntry[]> {
  return call('ComposeService.KB', () => go.kb(brand), (raw) => arr(raw, normKB));
}

export function saveKB(e: KBEntry): Promise<void> {
  return call('ComposeService.SaveKB', () => go.saveKB(e), () => undefined);
}

/** BrandProfile is how drafts speak for one brand. */
export interface BrandProfile {
  name: string;
  tone: string;
  signature: string;
  /** "en" | "ru" | "de", or "" to follow the thread */
  defaultLang: string;
}

export function brands(): Promise<BrandProfile[]> {
  return call('ComposeService.Brands', () => go.brands(), (raw) =>
    arr(raw, (v) => {
      const b = (v ?? {}) as Raw;
      return { name: str(b?.name), tone: str(b?.tone), signature: str(b?.signature), defaultLang: str(b?.defaultLang) };
    }),
  );
}

export function saveBrand(b: BrandProfile): Promise<void> {
  return call('ComposeService.SaveBrand', () => go.saveBrand(b), () => undefined);
}

export function saveCanned(c: Canned): Promise<void> {
  return call('ComposeService.SaveCanned', () => go.saveCanned(c), () => undefined);
}

export function deleteCanned(id: string): Promise<void> {
  return call('ComposeService.DeleteCanned', () => go.deleteCanned(id), () => undefined);
}

/** retrainSentiment learns the corrected labels; resolves with how many. */
export function retrainSentiment(): Promise<number> {
  return call('ComposeService.RetrainSentiment', () => go.retrainSentiment(), (raw) => num(raw));
}

export function llmSettings(): Promise<LLMState> {
  return call('ComposeService.LLM', () => go.llm(), normLLM);
}

/** saveLLM stores the settings; apiKey '' keeps the key already in the keyring. */
export function saveLLM(c: LLMConfig, apiKey: string): Promise<void> {
  const settings = { ...c.extra, provider: c.provider, baseUrl: c.baseUrl.trim(), model: c.model.trim(), apiVersion: c.apiVersion.trim() };
  return call('ComposeService.SaveLLM', () => go.saveLLM({ settings, apiKey }), () => undefined);
}

/** testLLM resolves with the server's model ids or rejects with Go's reason. */
export function testLLM(): Promise<string[]> {
  return call('ComposeService.TestLLM', () => go.testLLM(), (raw) => arr(raw, str));
}

/** ReplyDelivery says the outbox is done with a reply ("reply:delivered"). */
export interface ReplyDelivery {
  conversationId: number;
  replyId: string;
  state: 'sent' | 'failed';
}

/** onReplyDelivered subscribes to "reply:delivered": a reply was sent or failed for good. */
export function onReplyDelivered(cb: (d: ReplyDelivery) => void): () => void {
  return subscribe('reply:delivered', (data) => {
    const d = obj(data);
    cb({ conversationId: num(d.conversationId), replyId: str(d.replyId), state: d.state === 'sent' ? 'sent' : 'failed' });
  });
}

/** onComposeDelta subscribes to "compose:delta". */
export function onComposeDelta(cb: (d: ComposeDelta) => void): () => void {
  return subscribe('compose:delta', (data) => {
    const d = obj(data);
    cb({ conversationId: num(d.conversationId), text: str(d.text) });
  });
}

// --- approval queue and desktop notifications

/** PendingApproval is a reply waiting for an approver (store.PendingApproval). */
export interface PendingApproval {
  reply: Reply;
  account: string;
  brand: string;
  channel: Channel;
  subject: string;
  author: string;
  crisis: boolean;
  priority: number;
}

/** DesktopNotification is what AppService.Notify shows; a repeated tag replaces the earlier one. */
export interface DesktopNotification {
  tag: string;
  title: string;
  body: string;
  urgent: boolean;
}

export function normPendingApproval(v: unknown): PendingApproval {
  const p = obj(v);
  return {
    reply: normReply(p.reply),
    account: str(p.account),
    brand: str(p.brand),
    channel: str(p.channel) as Channel,
    subject: str(p.subject),
    author: str(p.author),
    crisis: p.crisis === true,
    priority: num(p.priority),
  };
}

/** approvalQueue lists the submitted replies, crisis replies first. */
export function approvalQueue(): Promise<PendingApproval[]> {
  return call('ComposeService.ApprovalQueue', () => go.approvalQueue(), (raw) => arr(raw, normPendingApproval));
}

/**
 * notifyDesktop asks Go to show a desktop notification; false means the desktop
 * has no notification service (the caller may try the web API instead).
 */
export function notifyDesktop(n: DesktopNotification): Promise<boolean> {
  return call('AppService.Notify', () => go.notify(n), (raw) => raw === true);
}

/** onApprovalRequested subscribes to "approval:requested" (a reply was submitted). */
export function onApprovalRequested(cb: (r: Reply) => void): () => void {
  return subscribe('approval:requested', (data) => cb(normReply(data)));
}

/** onApprovalChanged subscribes to "approval:changed" (the queue may differ). */
export function onApprovalChanged(cb: () => void): () => void {
  return subscribe('approval:changed', () => cb());
}

// --- author panel (AuthorsService): history with the brand, VIP, notes, the etiquette ladder.
// The ladder is Stormdesk's own record; nothing is sent to the platform.

export type ModerationKind = 'warning' | 'block' | 'ban' | 'lift';
export type AuthorState = 'none' | 'warned' | 'blocked' | 'banned';

export interface AuthorConversation {
  id: number;
  accountId: number;
  account: string;
  brand: string;
  kind: MessageKind;
  subject: string;
  snippet: string;
  status: Status;
  sentiment: Sentiment;
  lastMessageAt: string;
  messageCount: number;
}

export interface AuthorTotals {
  conversations: number;
  messages: number;
  negative: number;
  negativeShare: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface ModerationEntry {
  id: number;
  authorId: number;
  accountId: number;
  kind: ModerationKind;
  reason: string;
  until: string | null;
  by: string;
  at: string;
}

export interface AuthorStanding {
  state: AuthorState;
  warnings: number;
  blocks: number;
  until: string | null;
}

export interface AuthorProfileAuthor extends Author {
  vip: boolean;
}

export interface AuthorPanelData {
  author: AuthorProfileAuthor;
  conversations: AuthorConversation[];
  totals: AuthorTotals;
  record: ModerationEntry[];
  standing: AuthorStanding;
  /** the step the ladder suggests next; hours only for a block */
  next: { kind: ModerationKind; hours: number };
  influencer: boolean;
}

export interface AuthorModerationInput {
  authorId: number;
  accountId: number;
  kind: ModerationKind;
  reason: string;
  hours: number;
  confirm: boolean;
}

export interface AuthorModerationOutcome {
  applied: boolean;
  warning: { critical: boolean; reasons: string[] };
  panel: AuthorPanelData;
}

const authorsGo = {
  profile: AuthorsService.Profile as unknown as Fn<[number]>,
  setVip: AuthorsService.SetVIP as unknown as Fn<[number, boolean]>,
  setNotes: AuthorsService.SetNotes as unknown as Fn<[number, string]>,
  moderate: AuthorsService.Moderate as unknown as Fn<[AuthorModerationInput]>,
};

export function normAuthorPanel(v: unknown): AuthorPanelData {
  const o = (v ?? {}) as Record<string, unknown>;
  const p = (o.profile ?? {}) as Record<string, unknown>;
  const a = (p.author ?? {}) as Record<string, unknown>;
  const t = (p.totals ?? {}) as Record<string, unknown>;
  const st = (p.standing ?? {}) as Record<string, unknown>;
  const next = (o.next ?? {}) as Record<string, unknown>;
  return {
    author: { ...normAuthor(a), vip: a.vip === true },
    conversations: arr(p.conversations, (x) => {
      const c = (x ?? {}) as Record<string, unknown>;
      return {
        id: num(c.id),
        accountId: num(c.accountId),
        account: str(c.account),
        brand: str(c.brand),
        kind: str(c.kind) as MessageKind,
        subject: str(c.subject),
        snippet: str(c.snippet),
        status: str(c.status) as Status,
        sentiment: str(c.sentiment) as Sentiment,
        lastMessageAt: str(c.lastMessageAt),
        messageCount: num(c.messageCount),
      };
    }),
    totals: {
      conversations: num(t.conversations),
      messages: num(t.messages),
      negative: num(t.negative),
      negativeShare: num(t.negativeShare),
      firstSeen: optTime(t.firstSeen),
      lastSeen: optTime(t.lastSeen),
    },
    record: arr(p.record, (x) => {
      const e = (x ?? {}) as Record<string, unknown>;
      return {
        id: num(e.id),
        authorId: num(e.authorId),
        accountId: num(e.accountId),
        kind: str(e.kind) as ModerationKind,
        reason: str(e.reason),
        until: optTime(e.until),
        by: str(e.by),
        at: str(e.at),
      };
    }),
    standing: {
      state: (str(st.state) || 'none') as AuthorState,
      warnings: num(st.warnings),
      blocks: num(st.blocks),
      until: optTime(st.until),
    },
    next: { kind: (str(next.kind) || 'warning') as ModerationKind, hours: num(next.hours) },
    influencer: o.influencer === true,
  };
}

/** authorPanel loads an author's profile, history, record and the suggested next step. */
export function authorPanel(authorId: number): Promise<AuthorPanelData> {
  return call('AuthorsService.Profile', () => authorsGo.profile(authorId), normAuthorPanel);
}

export function setAuthorVip(authorId: number, vip: boolean): Promise<AuthorPanelData> {
  return call('AuthorsService.SetVIP', () => authorsGo.setVip(authorId, vip), normAuthorPanel);
}

export function setAuthorNotes(authorId: number, notes: string): Promise<AuthorPanelData> {
  return call('AuthorsService.SetNotes', () => authorsGo.setNotes(authorId, notes), normAuthorPanel);
}

/**
 * moderateAuthor records a ladder step. Blocking or banning a VIP, an influencer or a
 * critic comes back with applied = false and the reasons until it is repeated with confirm.
 */
export function moderateAuthor(input: AuthorModerationInput): Promise<AuthorModerationOutcome> {
  return call('AuthorsService.Moderate', () => authorsGo.moderate(input), (raw) => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const w = (o.warning ?? {}) as Record<string, unknown>;
    return {
      applied: o.applied === true,
      warning: { critical: w.critical === true, reasons: arr(w.reasons, str) },
      panel: normAuthorPanel(o.panel),
    };
  });
}

// --- analytics page (AnalyticsService; docs/analytics.md)

/** AnalyticsRequest picks the last `days` local days (today included), one account (0: all), a zone. */
export interface AnalyticsRequest {
  days: number;
  accountId: number;
  timeZone: string;
}

/** ResponseRow is one SLA report group with durations in seconds. */
export interface ResponseRow {
  dimension: 'all' | 'channel' | 'agent' | 'week' | string;
  key: string;
  conversations: number;
  firstResponseCount: number;
  firstResponseP50: number;
  firstResponseP90: number;
  resolutionCount: number;
  resolutionP50: number;
  resolutionP90: number;
  withSla: number;
  withinSla: number;
  withinPct: number;
  breached: number;
  warnings: number;
}

export interface DaySentiment {
  day: string;
  negative: number;
  neutral: number;
  positive: number;
  unscored: number;
}

export interface TermCount {
  term: string;
  count: number;
}

export interface Analytics {
  from: string;
  to: string;
  timeZone: string;
  /** heatmap[weekday][hour], Monday first */
  heatmap: number[][];
  heatmapMax: number;
  inbound: number;
  sentiment: DaySentiment[];
  total: ResponseRow;
  byChannel: ResponseRow[];
  /** per agent: the assignee, else whoever answered first; "(none)" when nobody did */
  byAgent: ResponseRow[];
  byWeek: ResponseRow[];
  breaches: number;
  topTags: TagCount[];
  negativeTerms: TermCount[];
  negativePhrases: string[];
}

export type AnalyticsCsvKind = 'heatmap' | 'response-times' | 'sentiment' | 'topics' | 'sla' | 'breaches';

function normResponseRow(v: unknown): ResponseRow {
  const r = (v ?? {}) as Record<string, unknown>;
  return {
    dimension: str(r.dimension),
    key: str(r.key),
    conversations: num(r.conversations),
    firstResponseCount: num(r.firstResponseCount),
    firstResponseP50: num(r.firstResponseP50),
    firstResponseP90: num(r.firstResponseP90),
    resolutionCount: num(r.resolutionCount),
    resolutionP50: num(r.resolutionP50),
    resolutionP90: num(r.resolutionP90),
    withSla: num(r.withSla),
    withinSla: num(r.withinSla),
    withinPct: num(r.withinPct),
    breached: num(r.breached),
    warnings: num(r.warnings),
  };
}

export function normAnalytics(v: unknown): Analytics {
  const a = (v ?? {}) as Record<string, unknown>;
  const heat = arr(a.heatmap, (row) => arr(row, num));
  while (heat.length < 7) heat.push([]);
  for (const row of heat) while (row.length < 24) row.push(0);
  return {
    from: str(a.from),
    to: str(a.to),
    timeZone: str(a.timeZone),
    heatmap: heat.slice(0, 7).map((r) => r.slice(0, 24)),
    heatmapMax: num(a.heatmapMax),
    inbound: num(a.inbound),
    sentiment: arr(a.sentiment, (d) => {
      const o = (d ?? {}) as Record<string, unknown>;
      return { day: str(o.day), negative: num(o.negative), neutral: num(o.neutral), positive: num(o.positive), unscored: num(o.unscored) };
    }),
    total: normResponseRow(a.total),
    byChannel: arr(a.byChannel, normResponseRow),
    byAgent: arr(a.byAgent, normResponseRow),
    byWeek: arr(a.byWeek, normResponseRow),
    breaches: num(a.breaches),
    topTags: arr(a.topTags, (t) => {
      const o = (t ?? {}) as Record<string, unknown>;
      return { tag: str(o.tag), count: num(o.count) };
    }),
    negativeTerms: arr(a.negativeTerms, (t) => {
      const o = (t ?? {}) as Record<string, unknown>;
      return { term: str(o.term), count: num(o.count) };
    }),
    negativePhrases: arr(a.negativePhrases, str),
  };
}

const goAnalytics = {
  overview: AnalyticsService.Overview as unknown as Fn<[AnalyticsRequest]>,
  exportCsv: AnalyticsService.ExportCSV as unknown as Fn<[string, AnalyticsRequest]>,
};

/** analyticsOverview returns everything the analytics page shows for one request. */
export function analyticsOverview(req: AnalyticsRequest): Promise<Analytics> {
  return call('AnalyticsService.Overview', () => goAnalytics.overview(req), normAnalytics);
}

/** analyticsCsv returns one part of the page as CSV text. */
export function analyticsCsv(kind: AnalyticsCsvKind, req: AnalyticsRequest): Promise<string> {
  return call('AnalyticsService.ExportCSV', () => goAnalytics.exportCsv(kind, req), str);
}

// --- LLM sentiment classification (ClassifyService) and live crisis timeline events

/** ClassifySettings is the classify part of llm.json. */
export interface ClassifySettings {
  enabled: boolean;
  /** messages the offline model labelled with less confidence than this go to the LLM (0..1) */
  threshold: number;
  batch: number;
}

export interface ClassifyResult {
  classified: number;
  relabelled: number;
  skipped: number;
  batches: number;
}

export interface ClassifyStatus {
  settings: ClassifySettings;
  /** false in offline mode: no LLM server configured */
  available: boolean;
  running: boolean;
  lastRun: string | null;
  last: ClassifyResult;
  lastError: string;
}

const goClassify = {
  status: ClassifyService.Status as unknown as Fn<[]>,
  save: ClassifyService.SaveSettings as unknown as Fn<[ClassifySettings]>,
  runNow: ClassifyService.RunNow as unknown as Fn<[]>,
};

function normClassifyResult(v: unknown): ClassifyResult {
  const r = obj(v);
  return { classified: num(r.classified), relabelled: num(r.relabelled), skipped: num(r.skipped), batches: num(r.batches) };
}

function normClassifyStatus(v: unknown): ClassifyStatus {
  const r = obj(v);
  const s = obj(r.settings);
  return {
    settings: { enabled: s.enabled === true, threshold: num(s.threshold), batch: num(s.batch) },
    available: r.available === true,
    running: r.running === true,
    lastRun: typeof r.lastRun === 'string' && r.lastRun ? r.lastRun : null,
    last: normClassifyResult(r.last),
    lastError: str(r.lastError),
  };
}

/** classifyStatus returns the settings, whether an LLM is configured and the last run. */
export function classifyStatus(): Promise<ClassifyStatus> {
  return call('ClassifyService.Status', () => goClassify.status(), normClassifyStatus);
}

/** saveClassify stores the classify settings; the drafting settings and key stay. */
export function saveClassify(s: ClassifySettings): Promise<void> {
  return call('ClassifyService.SaveSettings', () => goClassify.save(s), () => undefined);
}

/** classifyNow runs the LLM pass at once and resolves with what it changed. */
export function classifyNow(): Promise<ClassifyResult> {
  return call('ClassifyService.RunNow', () => goClassify.runNow(), normClassifyResult);
}

/** CrisisEvent is one "crisis:event": a timeline entry just recorded. */
export interface CrisisEvent {
  accountId: number;
  kind: string;
  at: string;
}

/** onCrisisEvent subscribes to "crisis:event" (a crisis timeline entry was recorded). */
export function onCrisisEvent(cb: (e: CrisisEvent) => void): () => void {
  return subscribe('crisis:event', (data) => {
    const e = obj(data);
    cb({ accountId: num(e.accountId), kind: str(e.kind), at: str(e.at) });
  });
}
