// AppService: who and what is running, and desktop notifications shown by Go.
import * as AppService from '../../../wailsjs/go/main/AppService';
import type { main } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, With } from './types';

/** role: an approver may approve and reject replies; agents submit them. */
export type AppInfo = With<main.AppInfo, { role: 'agent' | 'approver' }>;

/** DesktopNotification is what AppService.Notify shows; a repeated tag replaces the earlier one. */
export type DesktopNotification = Plain<main.Notification>;

export function info(): Promise<AppInfo> {
  return call('Info', () => AppService.Info(), (i) => ({ ...i, role: i.role === 'approver' ? 'approver' : 'agent' }));
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
