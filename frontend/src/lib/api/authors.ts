// AuthorsService: the author panel (history with the brand, VIP, notes) and the etiquette
// ladder. The ladder is Stormdesk's own record; nothing is sent to the platform.
import * as AuthorsService from '../../../wailsjs/go/main/AuthorsService';
import type { moderation, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { type Author } from './inbox';
import type { MessageKind, Plain, Sentiment, Status, With } from './types';

export type ModerationKind = 'warning' | 'block' | 'ban' | 'lift';
export type AuthorState = 'none' | 'warned' | 'blocked' | 'banned';

export type AuthorConversation = With<store.AuthorConversation, { kind: MessageKind; status: Status; sentiment: Sentiment }>;
export type AuthorTotals = Plain<store.AuthorTotals>;
export type ModerationEntry = With<moderation.Entry, { kind: ModerationKind }>;
export type AuthorStanding = With<moderation.Standing, { state: AuthorState }>;
export type AuthorProfileAuthor = Author;

/** The author's profile, flattened, with the step the ladder suggests next (hours only for a block). */
export type AuthorPanelData = With<
  store.AuthorProfile,
  { author: Author; conversations: AuthorConversation[]; record: ModerationEntry[]; standing: AuthorStanding }
> & { next: { kind: ModerationKind; hours: number }; influencer: boolean };

export type AuthorModerationInput = With<workspace.AuthorModeration, { kind: ModerationKind }>;
export type AuthorModerationOutcome = { applied: boolean; warning: Plain<moderation.Warning>; panel: AuthorPanelData };

/** normAuthorPanel flattens Go's panel (profile, next step, influencer) and narrows its enums. */
export function normAuthorPanel(v: Plain<workspace.AuthorPanel>): AuthorPanelData {
  return { ...(v.profile as Omit<AuthorPanelData, 'next' | 'influencer'>), next: v.next as AuthorPanelData['next'], influencer: v.influencer };
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
  return call('AuthorsService.Moderate', () => AuthorsService.Moderate(input), (o) => ({ ...o, panel: normAuthorPanel(o.panel) }));
}
