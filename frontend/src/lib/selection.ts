// The conversation list's selection: which rows are checked for a bulk action
// (shift-click ranges, ctrl/cmd-click and x toggles, shift+j/k extends) and which
// row is highlighted once rows leave or the list reloads. Kept free of Svelte so
// it can be tested alone; the highlighted row and the open thread are always the
// same conversation, and these functions say which one that is.

export interface Checked {
  readonly ids: ReadonlySet<number>;
  /** the conversation a shift-click range starts from */
  readonly anchor: number | null;
}

export const NONE: Checked = { ids: new Set(), anchor: null };

interface Row {
  readonly id: number;
}

/** toggle checks or unchecks one conversation and makes it the anchor of the next range. */
export function toggle(c: Checked, id: number): Checked {
  const ids = new Set(c.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/**
 * range checks every row from the anchor (or, without one, from `from`, the
 * highlighted row) to row `to`, keeping what was checked; the anchor stays.
 */
export function range(c: Checked, items: readonly Row[], from: number, to: number): Checked {
  if (to < 0 || to >= items.length) return c;
  const a = c.anchor === null ? -1 : items.findIndex((r) => r.id === c.anchor);
  const start = a >= 0 ? a : Math.max(0, Math.min(from, items.length - 1));
  const ids = new Set(c.ids);
  for (let i = Math.min(start, to); i <= Math.max(start, to); i++) ids.add(items[i]!.id);
  return { ids, anchor: items[start]!.id };
}

/** extend is shift+j/k: check the highlighted row and the one it moves to. */
export function extend(c: Checked, items: readonly Row[], from: number, to: number): Checked {
  if (from < 0 || from >= items.length || to < 0 || to >= items.length) return c;
  const ids = new Set(c.ids);
  ids.add(items[from]!.id);
  ids.add(items[to]!.id);
  return { ids, anchor: c.anchor ?? items[from]!.id };
}

/** prune keeps only the checked conversations still in the list (after a reload or a bulk action). */
export function prune(c: Checked, items: readonly Row[]): Checked {
  if (c.ids.size === 0) return c;
  const present = new Set(items.map((r) => r.id));
  const ids = new Set([...c.ids].filter((id) => present.has(id)));
  const anchor = c.anchor !== null && present.has(c.anchor) ? c.anchor : null;
  return ids.size === c.ids.size && anchor === c.anchor ? c : { ids, anchor };
}

/** What a click on a row does, by its modifier keys. */
export function clickKind(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): 'range' | 'toggle' | 'open' {
  if (e.shiftKey) return 'range';
  if (e.ctrlKey || e.metaKey) return 'toggle';
  return 'open';
}

/** The highlighted row and the conversation to show after a change of the list. */
export interface Focus {
  selected: number;
  /** the conversation the thread shows: null closes it, undefined keeps what is open */
  open: number | null | undefined;
}

/**
 * afterRemoval: rows `removed` left the list (closed in an open view, snoozed,
 * marked spam). When the open conversation left, the thread moves on to the
 * row that took the place of the first one removed (the next, else the last),
 * like a mail client after archiving; otherwise the highlight stays on the
 * open conversation, or on the row it was on.
 */
export function afterRemoval(before: readonly Row[], removed: ReadonlySet<number>, selected: number, openId: number | null): Focus {
  const after = before.filter((r) => !removed.has(r.id));
  if (openId !== null && !removed.has(openId)) {
    return { selected: after.findIndex((r) => r.id === openId), open: undefined };
  }
  if (openId === null) {
    const keep = before[selected];
    const idx = keep && !removed.has(keep.id) ? after.findIndex((r) => r.id === keep.id) : firstAfter(before, removed, selected);
    return { selected: Math.min(idx, after.length - 1), open: undefined };
  }
  const at = before.findIndex((r) => r.id === openId);
  const idx = Math.min(firstAfter(before, removed, at >= 0 ? at : selected), after.length - 1);
  return { selected: idx, open: idx >= 0 ? after[idx]!.id : null };
}

/** firstAfter: the index, in the list without `removed`, of the first remaining row at or after `from`. */
function firstAfter(before: readonly Row[], removed: ReadonlySet<number>, from: number): number {
  let kept = 0;
  for (let i = 0; i < before.length; i++) {
    if (removed.has(before[i]!.id)) continue;
    if (i >= from) return kept;
    kept++;
  }
  return kept; // past the end: the caller clamps to the last row
}

/**
 * afterReload: the row to highlight in a freshly loaded list. The open
 * conversation keeps the highlight; when it is not in the list no row is
 * highlighted (the thread stays: jumping it to another conversation under the
 * user's hands would be worse). With nothing open, keepId's row, else the first.
 */
export function afterReload(items: readonly Row[], openId: number | null, keepId: number | undefined): number {
  if (openId !== null) return items.findIndex((r) => r.id === openId);
  const idx = keepId === undefined ? -1 : items.findIndex((r) => r.id === keepId);
  return idx >= 0 ? idx : items.length > 0 ? 0 : -1;
}
