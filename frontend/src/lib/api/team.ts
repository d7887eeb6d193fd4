// TeamService: the team's members and invitations, for an admin's Members screen. On the
// single-person desktop members() is empty and the rest is refused (not-allowed, team-only).
import * as TeamService from '../../../wailsjs/go/main/TeamService';
import type { main } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, With } from './types';

export type TeamRole = 'agent' | 'approver' | 'admin';
export const TEAM_ROLES: readonly TeamRole[] = ['agent', 'approver', 'admin'];
export type InviteState = 'open' | 'used' | 'revoked' | 'expired';

export type MemberInfo = With<main.MemberInfo, { role: TeamRole }>;
export type InviteInfo = With<main.InviteInfo, { role: TeamRole; state: InviteState }>;
/** InviteCode: an invitation just made; code and link are shown this once. */
export type InviteCode = Plain<main.InviteCode>;

/** members lists the team (oldest first); me marks the member asking. */
export function members(): Promise<MemberInfo[]> {
  return call('TeamService.Members', () => TeamService.Members(), (l) => l as MemberInfo[]);
}

/** invite makes an invitation for role; name fixes the new member's name ('' lets them choose); hours 0 is 72. */
export function invite(role: TeamRole, name: string, hours: number): Promise<InviteCode> {
  return call('TeamService.Invite', () => TeamService.Invite(role, name, hours));
}

export function invites(): Promise<InviteInfo[]> {
  return call('TeamService.Invites', () => TeamService.Invites(), (l) => l as InviteInfo[]);
}

export function revokeInvite(id: number): Promise<void> {
  return call('TeamService.RevokeInvite', () => TeamService.RevokeInvite(id));
}

export function setMemberRole(name: string, role: TeamRole): Promise<void> {
  return call('TeamService.SetRole', () => TeamService.SetRole(name, role));
}

export function setMemberDisabled(name: string, disabled: boolean): Promise<void> {
  return call('TeamService.SetDisabled', () => TeamService.SetDisabled(name, disabled));
}

/** isTeamAdmin: the asking member is an enabled admin of a team (the desktop alone has no members). */
export function isTeamAdmin(list: readonly MemberInfo[]): boolean {
  return list.some((m) => m.me && m.role === 'admin' && !m.disabled);
}
