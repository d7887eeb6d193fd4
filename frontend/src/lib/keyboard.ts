// Global keyboard shortcuts: j/k move, Enter/o open, e close, a assign, r reply,
// p the author panel, x check a row, shift+j/k extend the checks, s snooze, n note,
// z or Ctrl+Z undo, / focus search, Esc close a dialog, clear the checks or leave search,
// ? the shortcut sheet, "g" then i / c / a / s to switch screens and "g" then 1..9 to open
// a saved view. Kept free of Svelte so it can be tested alone.

export interface KeyTarget {
  /** number of rows in the list that currently has the keyboard (conversations or hits) */
  count(): number;
  selected(): number;
  select(index: number): void;
  open(): void;
  close(): void;
  focusSearch(): void;
  leaveSearch(): boolean;
  /** near the end of what is loaded: ask for more */
  loadMore?(): void;
  assign?(): void;
  reply?(): void;
  /** p: show or hide the author panel of the open conversation */
  authorPanel?(): void;
  /** false while another screen than the inbox is shown: list keys do nothing */
  listActive?(): boolean;
  /** "g" then 1..9: open the n-th saved view */
  savedView?(n: number): void;
  /** "g" then a letter */
  navigate?(screen: 'inbox' | 'crisis' | 'analytics' | 'listening' | 'settings'): void;
  toggleHelp?(): void;
  /** Esc closes an open dialog first; true when one was open */
  closeOverlay?(): boolean;
  /** x: check or uncheck the highlighted row for a bulk action */
  check?(): void;
  /** shift+j / shift+k: check the highlighted row and the next / previous one, and move there */
  extend?(dir: 1 | -1): void;
  /** Esc after dialogs: clear the checked rows; true when some were checked */
  clearChecks?(): boolean;
  /** z or Ctrl/Cmd+Z outside text fields: undo the last triage; true when there was one */
  undo?(): boolean;
  /** s: snooze the checked rows or the open conversation */
  snooze?(): void;
  /** n: write an internal note on the open conversation */
  note?(): void;
}

/** GO_KEYS maps the letter after "g" to a screen. */
export const GO_KEYS = { i: 'inbox', c: 'crisis', a: 'analytics', l: 'listening', s: 'settings' } as const;
/** How long "g" waits for its second key. */
export const G_TIMEOUT_MS = 1500;

function isEditable(el: EventTarget | null): boolean {
  if (!el || typeof (el as HTMLElement).tagName !== 'string') return false;
  const h = el as HTMLElement;
  const tag = h.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = (h as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
  }
  return h.isContentEditable === true;
}

/** createKeyHandler returns a keydown listener bound to target. */
export function createKeyHandler(target: KeyTarget, now: () => number = Date.now): (e: KeyboardEvent) => void {
  let gAt = -Infinity;
  return (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey) return;
    // Ctrl+Z in a text field is the field's own undo.
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && !isEditable(e.target)) {
      if (target.undo?.()) e.preventDefault();
      return;
    }
    if (e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      gAt = -Infinity;
      if (target.closeOverlay?.()) e.preventDefault();
      else if (target.clearChecks?.()) e.preventDefault();
      else if (target.leaveSearch()) e.preventDefault();
      return;
    }
    if (isEditable(e.target)) return;
    if (target.navigate) {
      const pending = now() - gAt <= G_TIMEOUT_MS;
      gAt = -Infinity;
      if (pending && e.key in GO_KEYS) {
        target.navigate(GO_KEYS[e.key as keyof typeof GO_KEYS]);
        e.preventDefault();
        return;
      }
      if (pending && target.savedView && /^[1-9]$/.test(e.key)) {
        target.savedView(Number(e.key));
        e.preventDefault();
        return;
      }
      if (e.key === 'g') {
        gAt = now();
        e.preventDefault();
        return;
      }
    }
    if (e.key === '?') {
      if (target.toggleHelp) {
        target.toggleHelp();
        e.preventDefault();
      }
      return;
    }
    if (target.listActive && !target.listActive() && e.key !== '/') return;
    // Buttons and links handle Enter themselves.
    const tag = (e.target as HTMLElement | null)?.tagName?.toLowerCase();
    if (e.key === 'Enter' && (tag === 'button' || tag === 'a')) return;
    const n = target.count();
    switch (e.key) {
      case 'j':
      case 'ArrowDown': {
        if (n === 0) return;
        const next = Math.min(n - 1, target.selected() + 1);
        target.select(next);
        if (next >= n - 5) target.loadMore?.();
        e.preventDefault();
        return;
      }
      case 'k':
      case 'ArrowUp': {
        if (n === 0) return;
        target.select(Math.max(0, target.selected() - 1));
        e.preventDefault();
        return;
      }
      case 'J':
      case 'K':
        if (n > 0 && target.extend) {
          target.extend(e.key === 'J' ? 1 : -1);
          if (e.key === 'J' && target.selected() >= n - 5) target.loadMore?.();
          e.preventDefault();
        }
        return;
      case 'x':
        if (n > 0 && target.check) {
          target.check();
          e.preventDefault();
        }
        return;
      case 'z':
        if (target.undo?.()) e.preventDefault();
        return;
      case 's':
        if (target.snooze) {
          target.snooze();
          e.preventDefault();
        }
        return;
      case 'n':
        if (target.note) {
          target.note();
          e.preventDefault();
        }
        return;
      case 'Home':
        if (n > 0) target.select(0);
        e.preventDefault();
        return;
      case 'Enter':
      case 'o':
        if (n > 0) target.open();
        e.preventDefault();
        return;
      case 'e':
        target.close();
        e.preventDefault();
        return;
      case 'a':
        if (target.assign) {
          target.assign();
          e.preventDefault();
        }
        return;
      case 'r':
        if (target.reply) {
          target.reply();
          e.preventDefault();
        }
        return;
      case 'p':
        if (target.authorPanel) {
          target.authorPanel();
          e.preventDefault();
        }
        return;
      case '/':
        target.focusSearch();
        e.preventDefault();
        return;
    }
  };
}
