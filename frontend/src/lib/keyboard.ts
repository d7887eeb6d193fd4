// Global keyboard shortcuts for the inbox: j/k move, Enter/o open, e close,
// / focus search, Esc leave search. Kept free of Svelte so it can be tested alone.

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
}

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
export function createKeyHandler(target: KeyTarget): (e: KeyboardEvent) => void {
  return (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      if (target.leaveSearch()) e.preventDefault();
      return;
    }
    if (isEditable(e.target)) return;
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
      case '/':
        target.focusSearch();
        e.preventDefault();
        return;
    }
  };
}
