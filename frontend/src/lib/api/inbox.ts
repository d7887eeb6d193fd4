// InboxService: the conversation list, threads, search, stats, tags, triage and
// message moderation. Its "inbox:changed" event is in events.ts.
import * as InboxService from '../../../wailsjs/go/main/InboxService';
import type { inbox, main, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { filled, goTime, nonNull } from './normalize';
import type { Channel, MessageKind, Order, Plain, Sent, Sentiment, Status, With } from './types';

/** blockedUntil: end of the author's last block ('' when none); running while in the future. */
export type Author = With<inbox.Author, { channel: Channel; blockedUntil: string }>;
export type Account = With<inbox.Account, { channel: Channel; createdAt: string }>;

/**
 * suspiciousDate: some stored times were out of range and are shown clamped.
 * slaState: "ok" | "warning" | "breached" | "paused" | "none" | "" (never computed).
 */
export type Conversation = With<
  inbox.Conversation,
  {
    channel: Channel;
    kind: MessageKind;
    status: Status;
    sentiment: Sentiment;
    author: Author;
    firstMessageAt: string;
    lastMessageAt: string;
    slaDueAt: string | null;
    slaWarnAt: string | null;
    suspiciousDate?: boolean;
    /** when its snooze ends (RFC 3339); absent when not snoozed, may be past until the wake-up runs */
    snoozedUntil?: string;
  }
>;

/**
 * claimedAt: the sender's own date when it could not be trusted (flag suspicious-date;
 * sentAt is when it arrived). sentimentCorrected: the label was set by hand, not by the model.
 */
export type Message = With<
  inbox.Message,
  {
    direction: 'in' | 'out';
    kind: MessageKind;
    author: Author;
    sentAt: string;
    claimedAt: string | null;
    sentiment: Sentiment;
    sentimentCorrected: boolean;
  }
>;

export type ConversationQuery = With<main.ConversationQuery, { status: '' | Status; channel: '' | Channel; sentiment: Sentiment; order: Order }>;
export type Page = With<store.Page, { items: Conversation[] }>;
/** An internal note on a conversation: shown in the thread, never sent. */
export type Note = With<store.Note, { createdAt: string }>;
/** snoozedUntil: when the conversation's snooze ends, '' when it is not snoozed. */
export type Thread = With<main.ThreadView, { conversation: Conversation; messages: Message[]; notes: Note[]; snoozedUntil: string }>;
/** One list action on one or more conversations; see InboxService.Triage. */
export type TriageAction = 'close' | 'open' | 'pending' | 'assign' | 'tag' | 'untag' | 'spam' | 'snooze' | 'unsnooze';
export type TriageRequest = With<main.TriageRequest, { action: TriageAction }>;
export type TriageResult = With<workspace.TriageResult, { items: Conversation[] }>;
export type ViewFilters = With<store.ViewFilters, { status: '' | Status; channel: '' | Channel; sentiment: Sentiment; order: Order }>;
export type SavedView = With<store.SavedView, { filters: ViewFilters }>;
export type SearchQuery = With<main.SearchRequest, { channel: '' | Channel }>;
export type SearchHit = With<store.SearchHit, { channel: Channel; author: Author; sentAt: string; sentiment: Sentiment }>;
export type ChannelStats = With<store.ChannelStats, { channel: Channel }>;
export type Stats = With<store.Stats, { channels: ChannelStats[] }>;
export type TagCount = Plain<store.TagCount>;
export type ModerationAction = 'hide' | 'delete';
export type ModerationReason = 'negative' | 'influencer' | 'crisis';
/** ModerationWarning says why hiding or deleting a message needs an explicit confirmation. */
export type ModerationWarning = Plain<workspace.ModerationWarning>;

export function normAuthor(v: Sent<inbox.Author>): Author {
  const a = filled<Author>(v, { displayName: '', handle: '', reach: 0, notes: '', vip: false, banned: false });
  return { ...a, blockedUntil: goTime(v?.blockedUntil) };
}

export function normConversation(v: Sent<inbox.Conversation>): Conversation {
  const c = filled<Conversation>(v, { subject: '', snippet: '', assignee: '', sentiment: '', slaState: '', slaPolicy: '', suspiciousDate: false });
  return {
    ...c,
    tags: nonNull(v?.tags),
    author: normAuthor(v?.author),
    slaDueAt: goTime(v?.slaDueAt) || null,
    slaWarnAt: goTime(v?.slaWarnAt) || null,
  };
}

/** Flags that mark a hand-set sentiment label; Go may report it as a flag or a field. */
const CORRECTED_FLAGS = ['sentiment-corrected', 'corrected'];

export function normMessage(v: Sent<inbox.Message> & { sentimentCorrected?: boolean }): Message {
  const m = filled<Message>(v, { subject: '', text: '', html: '', sentiment: '', sentimentScore: 0 });
  const flags = nonNull(v?.flags);
  return {
    ...m,
    direction: v?.direction === 'out' ? 'out' : 'in',
    author: normAuthor(v?.author),
    claimedAt: goTime(v?.claimedAt) || null,
    flags,
    attachments: nonNull(v?.attachments).map((a) => filled<Plain<inbox.Attachment>>(a, {})),
    sentimentCorrected: v?.sentimentCorrected === true || flags.some((f) => CORRECTED_FLAGS.includes(f)),
  };
}

function normHit(v: Sent<store.SearchHit>): SearchHit {
  return { ...filled<SearchHit>(v, { subject: '', snippet: '', sentiment: '' }), author: normAuthor(v?.author) };
}

export function conversations(q: ConversationQuery): Promise<Page> {
  return call('Conversations', () => InboxService.Conversations(q), (p) => ({
    items: nonNull(p?.items).map(normConversation),
    next: p?.next ?? '',
  }));
}

export function thread(id: number): Promise<Thread> {
  return call('Thread', () => InboxService.Thread(id), (t) => ({
    conversation: normConversation(t?.conversation),
    messages: nonNull(t?.messages).map(normMessage),
    notes: nonNull(t?.notes).map(normNote),
    snoozedUntil: goTime(t?.snoozedUntil),
  }));
}

export function search(q: SearchQuery): Promise<SearchHit[]> {
  return call('Search', () => InboxService.Search(q), (hits) => nonNull(hits).map(normHit));
}

export function stats(): Promise<Stats> {
  return call('Stats', () => InboxService.Stats(), (s) => ({
    ...filled<Stats>(s, { conversations: 0, messages: 0 }),
    channels: nonNull(s?.channels).map((c) => filled<ChannelStats>(c, { open: 0, pending: 0, closed: 0, messages: 0 })),
  }));
}

/** assignees lists the people conversations are assigned to (whom "assign to" offers). */
export function assignees(): Promise<string[]> {
  return call('InboxService.Assignees', () => InboxService.Assignees(), (list) => (list ?? []).filter((n) => n !== ''));
}

export function accounts(): Promise<Account[]> {
  return call('Accounts', () => InboxService.Accounts(), (list) => nonNull(list).map(normAccount));
}

export function normAccount(v: Sent<inbox.Account>): Account {
  return filled<Account>(v, { brand: '', handle: '', createdAt: '' });
}

export function tags(): Promise<TagCount[]> {
  return call('Tags', () => InboxService.Tags(), nonNull);
}

export function setStatus(id: number, status: Status): Promise<Conversation> {
  return call('SetStatus', () => InboxService.SetStatus(id, status), normConversation);
}

export function assign(id: number, assignee: string): Promise<Conversation> {
  return call('Assign', () => InboxService.Assign(id, assignee), normConversation);
}

export function addTag(id: number, tag: string): Promise<Conversation> {
  return call('AddTag', () => InboxService.AddTag(id, tag), normConversation);
}

export function removeTag(id: number, tag: string): Promise<Conversation> {
  return call('RemoveTag', () => InboxService.RemoveTag(id, tag), normConversation);
}

/** correctSentiment sets an inbound message's sentiment label by hand. */
export function correctSentiment(messageId: number, label: Exclude<Sentiment, ''>): Promise<void> {
  return call('InboxService.CorrectSentiment', () => InboxService.CorrectSentiment(messageId, label));
}

/** moderate hides or deletes a message; a critical one is only acted on with confirm. */
export function moderate(messageId: number, action: ModerationAction, confirm: boolean): Promise<ModerationWarning> {
  return call('InboxService.Moderate', () => InboxService.Moderate(messageId, action, confirm), (w) => ({
    critical: w?.critical === true,
    reasons: nonNull(w?.reasons),
  }));
}

function normNote(v: Sent<store.Note>): Note {
  return { ...filled<Note>(v, { author: '', body: '' }), createdAt: goTime(v?.createdAt) };
}

/** triage applies one action to every conversation in ids in one Go call (one transaction). */
export function triage(ids: number[], req: TriageRequest): Promise<TriageResult> {
  return call('InboxService.Triage', () => InboxService.Triage(ids, req), (r) => ({
    undoId: r?.undoId ?? 0,
    items: nonNull(r?.items).map(normConversation),
  }));
}

/** undo restores the conversations of a triage; it answers with them as they are now. */
export function undo(undoId: number): Promise<Conversation[]> {
  return call('InboxService.Undo', () => InboxService.Undo(undoId), (list) => nonNull(list).map(normConversation));
}

export function addNote(conversationId: number, body: string): Promise<Note> {
  return call('InboxService.AddNote', () => InboxService.AddNote(conversationId, body), normNote);
}

export function deleteNote(noteId: number): Promise<void> {
  return call('InboxService.DeleteNote', () => InboxService.DeleteNote(noteId));
}

function normView(v: Sent<store.SavedView>): SavedView {
  const f = filled<ViewFilters>(v?.filters, { base: 'all', status: '', channel: '', sentiment: '', order: 'newest' });
  return { ...filled<SavedView>(v, { name: '' }), filters: f };
}

export function savedViews(): Promise<SavedView[]> {
  return call('InboxService.SavedViews', () => InboxService.SavedViews(), (list) => nonNull(list).map(normView));
}

export function saveView(name: string, filters: ViewFilters): Promise<SavedView> {
  return call('InboxService.SaveView', () => InboxService.SaveView(name, filters), normView);
}

export function renameView(id: number, name: string): Promise<void> {
  return call('InboxService.RenameView', () => InboxService.RenameView(id, name));
}

export function deleteView(id: number): Promise<void> {
  return call('InboxService.DeleteView', () => InboxService.DeleteView(id));
}
