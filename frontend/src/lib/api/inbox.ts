// InboxService: the conversation list, threads, search, stats, tags, triage and
// message moderation. Its "inbox:changed" event is in events.ts.
import * as InboxService from '../../../wailsjs/go/main/InboxService';
import type { inbox, main, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Channel, MessageKind, Order, Plain, Sentiment, Status, With } from './types';

/** blockedUntil: end of the author's last block (null when none); running while in the future. */
export type Author = With<inbox.Author, { channel: Channel }>;
export type Account = With<inbox.Account, { channel: Channel }>;

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
    sentiment: Sentiment;
    sentimentCorrected: boolean;
  }
>;

export type ConversationQuery = With<main.ConversationQuery, { status: '' | Status; channel: '' | Channel; sentiment: Sentiment; order: Order; failedSend?: boolean }>;
export type Page = With<store.Page, { items: Conversation[] }>;
/** An internal note on a conversation: shown in the thread, never sent. */
export type Note = Plain<store.Note>;
/** snoozedUntil: when the conversation's snooze ends, null when it is not snoozed. */
export type Thread = With<main.ThreadView, { conversation: Conversation; messages: Message[]; deliveries: MessageDelivery[] }>;
/**
 * The platform's delivery status of a sent reply (WhatsApp), matched to the outgoing
 * message by externalId; reason is a stable code for a known failure, "" otherwise.
 */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';
export type MessageDelivery = With<workspace.MessageDelivery, { status: DeliveryStatus }>;
/** One list action on one or more conversations; see InboxService.Triage. */
export type TriageAction = 'close' | 'open' | 'pending' | 'assign' | 'tag' | 'untag' | 'spam' | 'snooze' | 'unsnooze';
export type TriageRequest = With<main.TriageRequest, { action: TriageAction }>;
export type TriageResult = With<workspace.TriageResult, { items: Conversation[] }>;
export type ViewFilters = With<store.ViewFilters, { status: '' | Status; channel: '' | Channel; sentiment: Sentiment; order: Order }>;
export type SavedView = With<store.SavedView, { filters: ViewFilters }>;
export type SearchQuery = With<main.SearchRequest, { channel: '' | Channel }>;
export type SearchHit = With<store.SearchHit, { channel: Channel; author: Author; sentiment: Sentiment }>;
export type ChannelStats = With<store.ChannelStats, { channel: Channel }>;
export type Stats = With<store.Stats, { channels: ChannelStats[] }>;
export type TagCount = Plain<store.TagCount>;
export type ModerationAction = 'hide' | 'delete' | 'unhide';
export type ModerationReason = 'negative' | 'influencer' | 'crisis';
/** ModerationWarning says why hiding or deleting a message needs an explicit confirmation. */
export type ModerationWarning = Plain<workspace.ModerationWarning>;

// Go sends the rows whole; these only narrow its string enums to the UI's unions
// (a value Go adds later passes through as it is) and add what the UI derives.

export function normAuthor(v: Plain<inbox.Author>): Author {
  return v as Author;
}

export function normConversation(v: Plain<inbox.Conversation>): Conversation {
  return v as Conversation;
}

/** Flags that mark a hand-set sentiment label; Go may report it as a flag or a field. */
const CORRECTED_FLAGS = ['sentiment-corrected', 'corrected'];

export function normMessage(v: Plain<inbox.Message> & { sentimentCorrected?: boolean }): Message {
  return { ...(v as Message), sentimentCorrected: v.sentimentCorrected === true || v.flags.some((f) => CORRECTED_FLAGS.includes(f)) };
}

export function conversations(q: ConversationQuery): Promise<Page> {
  return call('Conversations', () => InboxService.Conversations(q), (p) => ({ ...p, items: p.items.map(normConversation) }));
}

export function thread(id: number): Promise<Thread> {
  return call('Thread', () => InboxService.Thread(id), (t) => ({
    ...t,
    conversation: normConversation(t.conversation),
    messages: t.messages.map(normMessage),
    // A status this build does not know is dropped by lib/delivery; [] when an older server sends none.
    deliveries: (t.deliveries ?? []).map((d) => ({ ...d, status: d.status as DeliveryStatus })),
  }));
}

export function search(q: SearchQuery): Promise<SearchHit[]> {
  return call('Search', () => InboxService.Search(q), (hits) => hits as SearchHit[]);
}

export function stats(): Promise<Stats> {
  return call('Stats', () => InboxService.Stats(), (s) => s as Stats);
}

/** assignees lists the people conversations are assigned to (whom "assign to" offers). */
export function assignees(): Promise<string[]> {
  return call('InboxService.Assignees', () => InboxService.Assignees(), (list) => (list ?? []).filter((n) => n !== ''));
}

export function accounts(): Promise<Account[]> {
  return call('Accounts', () => InboxService.Accounts(), (list) => list.map(normAccount));
}

export function normAccount(v: Plain<inbox.Account>): Account {
  return v as Account;
}

export function tags(): Promise<TagCount[]> {
  return call('Tags', () => InboxService.Tags());
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
  return call('InboxService.Moderate', () => InboxService.Moderate(messageId, action, confirm));
}

/** triage applies one action to every conversation in ids in one Go call (one transaction). */
export function triage(ids: number[], req: TriageRequest): Promise<TriageResult> {
  return call('InboxService.Triage', () => InboxService.Triage(ids, req), (r) => ({ ...r, items: r.items.map(normConversation) }));
}

/** undo restores the conversations of a triage; it answers with them as they are now. */
export function undo(undoId: number): Promise<Conversation[]> {
  return call('InboxService.Undo', () => InboxService.Undo(undoId), (list) => list.map(normConversation));
}

export function addNote(conversationId: number, body: string): Promise<Note> {
  return call('InboxService.AddNote', () => InboxService.AddNote(conversationId, body));
}

export function deleteNote(noteId: number): Promise<void> {
  return call('InboxService.DeleteNote', () => InboxService.DeleteNote(noteId));
}

function normView(v: Plain<store.SavedView>): SavedView {
  return v as SavedView;
}

export function savedViews(): Promise<SavedView[]> {
  return call('InboxService.SavedViews', () => InboxService.SavedViews(), (list) => list.map(normView));
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

/** A note that mentions the member calling, as the Mentions view lists it; readAt null: unread. */
export type Mention = Plain<store.Mention>;

/** mentions lists the notes that mention me: unread first, newest first (empty when alone). */
export function mentions(): Promise<Mention[]> {
  return call('InboxService.Mentions', () => InboxService.Mentions(), (list) => list ?? []);
}

/** markMentionsRead marks my mentions in these notes read. */
export function markMentionsRead(noteIds: number[]): Promise<void> {
  return call('InboxService.MarkMentionsRead', () => InboxService.MarkMentionsRead(noteIds));
}

/**
 * AttachmentSave says what saving an attachment did: in the window Go asked where
 * (dialog true; path empty when cancelled); outside it data holds the bytes (base64).
 */
export type AttachmentSave = Plain<main.AttachmentSave>;

/** saveAttachment fetches attachment index of a message from its platform and saves it. */
export function saveAttachment(messageId: number, index: number): Promise<AttachmentSave> {
  return call('InboxService.SaveAttachment', () => InboxService.SaveAttachment(messageId, index));
}
