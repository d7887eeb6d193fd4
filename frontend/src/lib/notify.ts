// Desktop notifications through the Web Notifications API (WebKitGTK supports it
// in the Wails window). Permission is asked once; without it, or without the API,
// nothing happens: the list colours and the crisis toast still show everything.
import type { Conversation } from './api';

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

  constructor(api: NotifyApi | null = defaultApi()) {
    this.#api = api;
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
  show(id: string, title: string, body: string): boolean {
    if (this.#shown.has(id)) return false;
    this.#shown.add(id);
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

/**
 * BreachWatcher remembers each loaded conversation's SLA state between list
 * refreshes and reports the ones that turned "breached" since the last look.
 * The first sight of a conversation only records it: a list opened on old
 * breaches does not ring.
 */
export class BreachWatcher {
  #last = new Map<number, string>();

  update(items: readonly Conversation[]): Conversation[] {
    const turned: Conversation[] = [];
    for (const c of items) {
      const before = this.#last.get(c.id);
      if (before !== undefined && before !== 'breached' && c.slaState === 'breached' && c.status !== 'closed') {
        turned.push(c);
      }
      this.#last.set(c.id, c.slaState);
    }
    return turned;
  }
}
