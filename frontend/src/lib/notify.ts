// Desktop notifications. Go shows them through the system's notification service
// (WebKitGTK in the Wails window denies the Web Notifications permission); where
// the desktop has none, and in a plain browser, the Web Notifications API is
// the fallback. Without either nothing happens: the list colours, the crisis
// toast and the approval queue still show everything.
import type { Conversation, DesktopNotification } from './api';

/** NativeNotify shows a notification through Go; false when the desktop cannot. */
export type NativeNotify = (n: DesktopNotification) => Promise<boolean>;

/** NotificationLike is the part of the browser's Notification the app uses. */
export interface NotifyApi {
  permission: string;
  requestPermission(): Promise<string>;
  new (title: string, options?: { body?: string; tag?: string }): unknown;
}

/** Notifier shows each notification id at most once. */
export class Notifier {
  #api: NotifyApi | null;
  #shown = new Set<string>();
  #asked = false;

  #native: NativeNotify | null;

  constructor(api: NotifyApi | null = defaultApi(), native: NativeNotify | null = null) {
    this.#api = api;
    this.#native = native;
  }

  /** requestOnce asks for permission the first time; later calls do nothing. */
  async requestOnce(): Promise<void> {
    const n = this.#api;
    if (!n || this.#asked) return;
    this.#asked = true;
    if (n.permission !== 'default') return;
    try {
      await n.requestPermission();
    } catch {
      // Some webviews reject instead of answering; notifications stay off.
    }
  }

  /** show notifies once per id; false when it was a duplicate or could not be shown. */
  async show(id: string, title: string, body: string, urgent = false): Promise<boolean> {
    if (this.#shown.has(id)) return false;
    this.#shown.add(id);
    if (this.#native) {
      try {
        if (await this.#native({ tag: id, title, body, urgent })) return true;
      } catch {
        // A failing notification service must not break the app: try the web API.
      }
    }
    const n = this.#api;
    if (!n || n.permission !== 'granted') return false;
    try {
      new n(title, { body, tag: id });
      return true;
    } catch {
      return false;
    }
  }
}

function defaultApi(): NotifyApi | null {
  const g = globalThis as unknown as { Notification?: NotifyApi };
  return typeof g.Notification === 'function' ? g.Notification : null;
}

/** SlaChange is a conversation whose SLA state turned warning or breached. */
export interface SlaChange {
  conversation: Conversation;
  to: 'warning' | 'breached';
}

/**
 * SlaWatcher remembers each loaded conversation's SLA state between list
 * refreshes and reports the ones that turned "warning" (the warning share of the
 * target is used up) or "breached" since the last look. The first sight of a
 * conversation only records it: a list opened on old warnings does not ring.
 */
export class SlaWatcher {
  #last = new Map<number, string>();

  update(items: readonly Conversation[]): SlaChange[] {
    const changes: SlaChange[] = [];
    for (const c of items) {
      const before = this.#last.get(c.id);
      const to = c.slaState;
      if (before !== undefined && before !== to && c.status !== 'closed') {
        if (to === 'breached') changes.push({ conversation: c, to });
        // A deadline that moved back (a new message, a policy change) is no new warning once breached.
        else if (to === 'warning' && before !== 'breached') changes.push({ conversation: c, to });
      }
      this.#last.set(c.id, to);
    }
    return changes;
  }
}
