// AppService: who and what is running, and desktop notifications shown by Go.
import * as AppService from '../../../wailsjs/go/main/AppService';
import type { main, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, With } from './types';

/**
 * A background loop's state after a failure: waiting to be started again at
 * restartAt, running again, stopped until the app starts again, or finished.
 */
export type LoopState = 'restarting' | 'running' | 'stopped' | 'finished';
/** LoopHealth: a background loop (crisis, sla, outbox, …) that failed since the start. */
export type LoopHealth = With<workspace.LoopHealth, { state: LoopState }>;

/**
 * role: an approver may approve and reject replies; agents submit them.
 * loops: the background loops that failed since the start; [] while all run.
 */
export type AppInfo = With<main.AppInfo, { role: 'agent' | 'approver'; loops: LoopHealth[] }>;

const LOOP_STATES: readonly string[] = ['restarting', 'running', 'stopped', 'finished'] satisfies LoopState[];

// A state this page does not know (a newer server) is not worded as down.
function normLoop(h: Plain<workspace.LoopHealth>): LoopHealth {
  return { ...h, state: LOOP_STATES.includes(h.state) ? (h.state as LoopState) : 'running' };
}

/** DesktopNotification is what AppService.Notify shows; a repeated tag replaces the earlier one. */
export type DesktopNotification = Plain<main.Notification>;

export function info(): Promise<AppInfo> {
  return call('Info', () => AppService.Info(), (i) => ({ ...i, role: i.role === 'approver' ? 'approver' : 'agent', loops: i.loops.map(normLoop) }));
}

/**
 * notifyDesktop asks Go to show a desktop notification; false means the desktop
 * has no notification service (the caller may try the web API instead).
 */
export function notifyDesktop(n: DesktopNotification): Promise<boolean> {
  return call('AppService.Notify', () => AppService.Notify(n));
}

/** loadDemo stores the demo data set in an empty workspace; false when accounts already exist. */
export function loadDemo(): Promise<boolean> {
  return call('AppService.LoadDemo', () => AppService.LoadDemo());
}
