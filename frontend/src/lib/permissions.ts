// What the person may do, as the server rules it (backend/team): AppService.Info
// lists the actions of the member's role (every action at a single-person
// desktop). Screens ask can(action) and hide or disable what the server
// would refuse, so nobody is offered a button that only ends in a 403.
import type { AppInfo } from './api';
import { inbox } from './stores.svelte';

/** The actions of backend/team, in its order. */
export const TEAM_ACTIONS = ['read', 'work', 'approve', 'send', 'moderate', 'crisis-mode', 'accounts', 'policies', 'members'] as const;
export type TeamAction = (typeof TEAM_ACTIONS)[number];

/**
 * allows says whether info's caller may perform a. Until Info has answered only
 * reading and working are offered: a privileged button that appears a moment
 * later is better than one the server refuses.
 */
export function allows(info: Pick<AppInfo, 'actions'> | null | undefined, a: TeamAction): boolean {
  if (!info || !Array.isArray(info.actions)) return a === 'read' || a === 'work';
  return info.actions.includes(a);
}

/** can is allows for the person using this page (inbox.info, reactive). */
export function can(a: TeamAction): boolean {
  return allows(inbox.info, a);
}

/** teamMode says whether this page talks to a team server as a member. */
export function teamMode(): boolean {
  return inbox.info?.team === true;
}
