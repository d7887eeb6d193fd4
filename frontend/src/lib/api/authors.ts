// AuthorsService: the author panel (history with the brand, VIP, notes) and the etiquette
// ladder. The ladder is Stormdesk's own record; nothing is sent to the platform.
import * as AuthorsService from '../../../wailsjs/go/main/AuthorsService';
import type { moderation, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { normAuthor, type Author } from './inbox';
import { filled, goTime, nonNull } from './normalize';
import type { MessageKind, Plain, Sent, Sentiment, Status, With } from './types';

export type ModerationKind = 'warning' | 'block' | 'ban' | 'lift';
export type AuthorState = 'none' | 'warned' | 'blocked' | 'banned';

export type AuthorConversation = With<store.AuthorConversation, { kind: MessageKind; status: Status; sentiment: Sentiment; lastMessageAt: string }>;
export type AuthorTotals = With<store.AuthorTotals, { firstSeen: string | null; lastSeen: string | null }>;
export type ModerationEntry = With<moderation.Entry, { kind: ModerationKind; until: string | null; at: string }>;
export type AuthorStanding = With<moderation.Standing, { state: AuthorState; until: string | null }>;
export type AuthorProfileAuthor = Author;

/** The author's profile, flattened, with the step the ladder suggests next (hours only for a block). */
export type AuthorPanelData = With<
  store.AuthorProfile,
  { author: Author; conversations: AuthorConversation[]; totals: AuthorTotals; record: ModerationEntry[]; standing: AuthorStanding }
> & { next: { kind: ModerationKind; hours: number }; influencer: boolean };

export type AuthorModerationInput = With<workspace.AuthorModeration, { kind: ModerationKind }>;
export type AuthorModerationOutcome = { applied: boolean; warning: Plain<moderation.Warning>; panel: AuthorPanelData };

function optTime(v: unknown): string | null {
  return goTime(v) || null;
}

export function normAuthorPanel(v: Sent<workspace.AuthorPanel>): AuthorPanelData {
  const p = v?.profile;
  const t = p?.totals;
  const st = p?.standing;
  return {
    author: normAuthor(p?.author),
    conversations: nonNull(p?.conversations).map((c) => ({ ...filled<AuthorConversation>(c, { subject: '', snippet: '', sentiment: '' }), lastMessageAt: c?.lastMessageAt ?? '' })),
    totals: { ...filled<AuthorTotals>(t, { conversations: 0, messages: 0, negative: 0, negativeShare: 0 }), firstSeen: optTime(t?.firstSeen), lastSeen: optTime(t?.lastSeen) },
    record: nonNull(p?.record).map((e) => ({ ...filled<ModerationEntry>(e, { reason: '', by: '' }), until: optTime(e?.until) })),
    standing: { ...filled<AuthorStanding>(st, { state: 'none', warnings: 0, blocks: 0 }), until: optTime(st?.until) },
    next: filled<AuthorPanelData['next']>(v?.next, { kind: 'warning', hours: 0 }),
    influencer: v?.influencer === true,
  };
}

/** authorPanel loads an author's profile, history, record and the suggested next step. */
export function authorPanel(authorId: number): Promise<AuthorPanelData> {
  return call('AuthorsService.Profile', () => AuthorsService.Profile(authorId), normAuthorPanel);
}

export function setAuthorVip(authorId: number, vip: boolean): Promise<AuthorPanelData> {
  return call('AuthorsService.SetVIP', () => AuthorsService.SetVIP(authorId, vip), normAuthorPanel);
}

export function setAuthorNotes(authorId: number, notes: string): Promise<AuthorPanelData> {
  return call('AuthorsService.SetNotes', () => AuthorsService.SetNotes(authorId, notes), normAuthorPanel);
}

/**
 * moderateAuthor records a ladder step. Blocking or banning a VIP, an influencer or a
 * critic comes back with applied = false and the reasons until it is repeated with confirm.
 */
export function moderateAuthor(input: AuthorModerationInput): Promise<AuthorModerationOutcome> {
  return call('AuthorsService.Moderate', () => AuthorsService.Moderate(input), (o) => ({
    applied: o?.applied === true,
    warning: { critical: o?.warning?.critical === true, reasons: nonNull(o?.warning?.reasons) },
    panel: normAuthorPanel(o?.panel),
  }));
}
