// JoinService: the desktop's first screen (work alone or join a team) and leaving a team.
// It is bound in the window only. The team's page, shown through the desktop's proxy,
// reaches the same service by path (the proxy answers it and marks such a page with a
// cookie; the server never sees the call); in a plain browser or under `serve` there is
// none, no request is made, and joinState() answers null.
import * as JoinService from '../../../wailsjs/go/main/JoinService';
import type { main, teamclient } from '../../../wailsjs/go/models';
import { call, toApiError } from './call';
import type { Plain, With } from './types';

export type JoinMode = '' | 'alone' | 'team';
export type JoinState = With<main.JoinState, { mode: JoinMode }>;
export type JoinRequest = Plain<main.JoinRequest>;
export type ProbeResult = With<teamclient.ProbeResult, { notAfter: string | null }>;

function bound(): boolean {
  const w = globalThis as { go?: { main?: { JoinService?: unknown } } };
  return typeof w.go?.main?.JoinService === 'object';
}

/** behindProxy: the page is the team's, shown through the desktop's proxy (it sets this marker cookie). */
export function behindProxy(): boolean {
  if (typeof document === 'undefined') return false;
  const name = `stormdesk_desktop_${location.port}=1`;
  return document.cookie.split(';').some((c) => c.trim() === name);
}

const asState = (s: Plain<main.JoinState>): JoinState => ({ ...s, mode: s.mode === 'alone' || s.mode === 'team' ? s.mode : '' });

/** byPath calls a JoinService method the proxy answers for the team's page. */
async function byPath(method: string): Promise<JoinState | null> {
  let res: Response;
  try {
    res = await fetch(`/bridge/call/JoinService/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
  } catch {
    return null;
  }
  const body = (await res.json().catch(() => null)) as { result?: Plain<main.JoinState>; error?: string } | null;
  if (!res.ok) throw toApiError(`JoinService.${method}`, body?.error ?? `HTTP ${res.status}`);
  return body?.result ? asState(body.result) : null;
}

/** joinState: the choice made on the first screen; null where this is not a desktop window. */
export function joinState(): Promise<JoinState | null> {
  if (!bound()) return behindProxy() ? byPath('State') : Promise.resolve(null);
  return call('JoinService.State', () => JoinService.State(), asState);
}

/** probeServer shows the server's certificate (fingerprint, trusted by the system or not). */
export function probeServer(address: string): Promise<ProbeResult> {
  return call('JoinService.Probe', () => JoinService.Probe(address), (p) => ({ ...p, notAfter: typeof p.notAfter === 'string' ? p.notAfter : null }));
}

/** joinTeam redeems an invitation code or checks an access token; the state then carries the team page's URL. */
export function joinTeam(req: JoinRequest): Promise<JoinState> {
  return call('JoinService.Join', () => JoinService.Join(req as main.JoinRequest), asState);
}

/** workAlone records the choice to use this computer's inbox. */
export function workAlone(): Promise<JoinState> {
  return call('JoinService.WorkAlone', () => JoinService.WorkAlone(), asState);
}

/** leaveTeam forgets the team (token and profile); from the team's page the window then returns to its own page. */
export async function leaveTeam(): Promise<JoinState | null> {
  if (!bound()) return behindProxy() ? byPath('Leave') : null;
  return call('JoinService.Leave', () => JoinService.Leave(), asState);
}
