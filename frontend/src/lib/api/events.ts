// The events Go sends to the window, one subscription each. The names mirror the Event*
// constants of the Go file events.go (a Go test fails when the two lists differ); the
// payloads are the models Wails generates from EventPayloads (AppService.EventTypes),
// adapted like a binding's answer, so a field added in Go reaches the UI typed.
import type { crisis, drafts, ingest, main, store } from '../../../wailsjs/go/models';
import { subscribe } from './call';
import { normReply, type Reply } from './compose';
import { normAlert, type CrisisAlert } from './crisis';
import type { Plain, With } from './types';

/** Events: every event name Go emits; the keys are the Go constants without "Event". */
export const Events = {
  InboxChanged: 'inbox:changed',
  SyncProgress: 'sync:progress',
  CrisisAlert: 'crisis:alert',
  CrisisEvent: 'crisis:event',
  ComposeDelta: 'compose:delta',
  ReplyDelivered: 'reply:delivered',
  ReplyChanged: 'reply:changed',
  ApprovalChanged: 'approval:changed',
  ApprovalRequested: 'approval:requested',
  ImportProgress: 'import:progress',
  StreamReset: 'events:reset',
  TeamMention: 'team:mention',
  MembersChanged: 'team:members',
  PresenceChanged: 'presence:changed',
  ListeningChanged: 'listening:changed',
} as const;
export type EventName = (typeof Events)[keyof typeof Events];

/**
 * SyncProgress is one "sync:progress" event. total: fetched + what the server says
 * remains (initial mail sync), 0 when unknown; retryInMs: until the next attempt, 0 if none.
 */
export type SyncProgress = Plain<ingest.Event>;
/** CrisisEvent is one "crisis:event": a timeline entry just recorded. */
export type CrisisEvent = Plain<store.CrisisEvent>;
/** ComposeDelta is one "compose:delta" event: streamed draft text for a conversation. */
export type ComposeDelta = Plain<main.ComposeDelta>;
/** ReplyDelivery says the outbox is done with a reply ("reply:delivered"). */
export type ReplyDelivery = With<main.ReplyDelivery, { state: 'sent' | 'failed' }>;

/** onInboxChanged subscribes to "inbox:changed" and returns the unsubscribe function. */
export function onInboxChanged(cb: () => void): () => void {
  return subscribe(Events.InboxChanged, () => cb());
}

/** onListeningChanged subscribes to "listening:changed" (topics, mentions or sources changed). */
export function onListeningChanged(cb: () => void): () => void {
  return subscribe(Events.ListeningChanged, () => cb());
}

/** onSyncProgress subscribes to "sync:progress". */
export function onSyncProgress(cb: (p: SyncProgress) => void): () => void {
  return subscribe<SyncProgress>(Events.SyncProgress, (p) => p && cb(p));
}

/** onCrisisAlert subscribes to "crisis:alert". */
export function onCrisisAlert(cb: (a: CrisisAlert) => void): () => void {
  return subscribe<Plain<crisis.Alert>>(Events.CrisisAlert, (a) => a && cb(normAlert(a)));
}

/** onCrisisEvent subscribes to "crisis:event" (a crisis timeline entry was recorded). */
export function onCrisisEvent(cb: (e: CrisisEvent) => void): () => void {
  return subscribe<CrisisEvent>(Events.CrisisEvent, (e) => e && cb(e));
}

/** onComposeDelta subscribes to "compose:delta". */
export function onComposeDelta(cb: (d: ComposeDelta) => void): () => void {
  return subscribe<ComposeDelta>(Events.ComposeDelta, (d) => d && cb(d));
}

/** onReplyDelivered subscribes to "reply:delivered": a reply was sent or failed for good. */
export function onReplyDelivered(cb: (d: ReplyDelivery) => void): () => void {
  return subscribe<Plain<main.ReplyDelivery>>(Events.ReplyDelivered, (d) => d && cb({ ...d, state: d.state === 'sent' ? 'sent' : 'failed' }));
}

/** ReplyChange names a reply another member drafted or moved a step ("reply:changed"). */
export type ReplyChange = Plain<main.ReplyChange>;

/**
 * onReplyChanged subscribes to "reply:changed": on a team server, a member drafted a reply or
 * moved one a step; pages with its conversation open read its replies again.
 */
export function onReplyChanged(cb: (c: ReplyChange) => void): () => void {
  return subscribe<ReplyChange>(Events.ReplyChanged, (c) => c && cb(c));
}

/** onApprovalChanged subscribes to "approval:changed" (the queue may differ). */
export function onApprovalChanged(cb: () => void): () => void {
  return subscribe(Events.ApprovalChanged, () => cb());
}

/**
 * onStreamReset subscribes to "events:reset": the team server no longer holds the events the
 * page missed while away (they are pruned after a day), so everything shown may be stale and
 * must be loaded again. Only a page served by a team server gets it; the window never does.
 */
export function onStreamReset(cb: () => void): () => void {
  return subscribe(Events.StreamReset, () => cb());
}

/** onApprovalRequested subscribes to "approval:requested" (a reply was submitted). */
export function onApprovalRequested(cb: (r: Reply) => void): () => void {
  return subscribe<Plain<drafts.Reply>>(Events.ApprovalRequested, (r) => r && cb(normReply(r)));
}

/** NoteMention is one "team:mention": a note just saved mentions member. */
export type NoteMention = Plain<main.NoteMention>;

/**
 * onTeamMention subscribes to "team:mention". Every member's page gets it; only the page of
 * the member it names acts on it.
 */
export function onTeamMention(cb: (m: NoteMention) => void): () => void {
  return subscribe<NoteMention>(Events.TeamMention, (m) => m && cb(m));
}

/** onMembersChanged subscribes to "team:members": the team's members or invitations may differ. */
export function onMembersChanged(cb: () => void): () => void {
  return subscribe(Events.MembersChanged, () => cb());
}
