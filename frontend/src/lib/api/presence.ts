// PresenceService: who has which conversation open and who is typing a reply (team
// server; the single-person app answers nobody but the person at the desktop), and the
// round-robin assignment settings.
import * as PresenceService from '../../../wailsjs/go/main/PresenceService';
import type { store, workspace } from '../../../wailsjs/go/models';
import { call, subscribe } from './call';
import { Events } from './events';
import type { Plain } from './types';

export type Viewer = Plain<store.Viewer>;
/** ConversationViewers: who has one conversation open; conversation 0 lists the members online. */
export type ConversationViewers = Plain<store.ConversationViewers>;
export type AssignmentSettings = Plain<workspace.AssignmentSettings>;

/** heartbeat says this member has the conversation open (0: the app only); answers its viewers. */
export function heartbeat(conversationId: number, typing: boolean): Promise<Viewer[]> {
  return call('PresenceService.Heartbeat', () => PresenceService.Heartbeat(conversationId, typing));
}

/** leavePresence says this member closed the conversation (0: the app). */
export function leavePresence(conversationId: number): Promise<void> {
  return call('PresenceService.Leave', () => PresenceService.Leave(conversationId));
}

/** onlineMembers answers the names of the members whose app is open. */
export function onlineMembers(): Promise<string[]> {
  return call('PresenceService.Online', () => PresenceService.Online());
}

/** viewing answers every conversation someone has open, and 0 with the members online. */
export function viewing(): Promise<ConversationViewers[]> {
  return call('PresenceService.Viewing', () => PresenceService.Viewing());
}

export function assignmentSettings(): Promise<AssignmentSettings> {
  return call('PresenceService.Assignment', () => PresenceService.Assignment());
}

export function saveAssignmentSettings(a: AssignmentSettings): Promise<void> {
  return call('PresenceService.SaveAssignment', () => PresenceService.SaveAssignment(a));
}

/** onPresenceChanged subscribes to "presence:changed": a conversation's viewers changed. */
export function onPresenceChanged(cb: (p: ConversationViewers) => void): () => void {
  return subscribe<ConversationViewers>(Events.PresenceChanged, (p) => p && cb({ conversationId: p.conversationId, viewers: p.viewers ?? [] }));
}

/**
 * leaveOnUnload tells the team server this page is going away (window closed, reload,
 * navigation). A binding's promise would not outlive the page; a keepalive request does.
 * Only a page served through the web bridge (its shim sets __stormdeskBridge) has
 * /bridge; the window's own page, which records no presence, sends nothing.
 */
export function leaveOnUnload(): void {
  if (!(globalThis as { __stormdeskBridge?: unknown }).__stormdeskBridge) return;
  try {
    void fetch('/bridge/call/PresenceService/Leave', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: '[0]',
    }).catch(() => {});
  } catch {
    // no fetch here: nothing to tell
  }
}
