import { describe, expect, it } from 'vitest';
import { afterReload, afterRemoval, clickKind, extend, NONE, prune, range, toggle } from './selection';
import { parseLocal, snoozeUntil, toLocalInput } from './snooze';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const list = rows(10, 11, 12, 13, 14, 15);
const ids = (c: { ids: ReadonlySet<number> }) => [...c.ids].sort((a, b) => a - b);

describe('checking rows for a bulk action', () => {
  it('toggles with x or ctrl-click and remembers the anchor', () => {
    let c = toggle(NONE, 11);
    c = toggle(c, 13);
    expect(ids(c)).toEqual([11, 13]);
    expect(c.anchor).toBe(13);
    c = toggle(c, 11);
    expect(ids(c)).toEqual([13]);
    expect(c.anchor).toBe(11);
  });

  it('shift-click checks the range from the anchor, in either direction, keeping earlier checks', () => {
    let c = toggle(NONE, 15);
    c = toggle(c, 11);
    expect(ids(range(c, list, 0, 3))).toEqual([11, 12, 13, 15]);
    expect(ids(range(toggle(NONE, 14), list, 0, 2))).toEqual([12, 13, 14]);
  });

  it('shift-click without an anchor ranges from the highlighted row', () => {
    expect(ids(range(NONE, list, 1, 3))).toEqual([11, 12, 13]);
    expect(range(NONE, list, 1, 3).anchor).toBe(11);
    expect(range(NONE, list, 1, 9)).toBe(NONE);
  });

  it('shift+j/k extends from the highlighted row to the next', () => {
    let c = extend(NONE, list, 2, 3);
    c = extend(c, list, 3, 4);
    expect(ids(c)).toEqual([12, 13, 14]);
    expect(extend(c, list, 5, 6)).toBe(c);
  });

  it('drops checked rows that left the list', () => {
    const c = toggle(toggle(NONE, 11), 14);
    expect(ids(prune(c, rows(10, 11, 12)))).toEqual([11]);
    expect(prune(c, rows(10, 11, 12)).anchor).toBeNull();
    expect(prune(c, list)).toBe(c);
  });

  it('reads the modifier keys of a click', () => {
    expect(clickKind({ shiftKey: true, ctrlKey: false, metaKey: false })).toBe('range');
    expect(clickKind({ shiftKey: false, ctrlKey: true, metaKey: false })).toBe('toggle');
    expect(clickKind({ shiftKey: false, ctrlKey: false, metaKey: true })).toBe('toggle');
    expect(clickKind({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('open');
  });
});

describe('the highlighted row and the open thread stay one conversation', () => {
  const cases: {
    name: string;
    removed: number[];
    selected: number;
    open: number | null;
    want: { selected: number; open: number | null | undefined };
  }[] = [
    // e on the open conversation: the thread moves on to the next row, which is highlighted.
    { name: 'close the open row', removed: [12], selected: 2, open: 12, want: { selected: 2, open: 13 } },
    { name: 'close the last row', removed: [15], selected: 5, open: 15, want: { selected: 4, open: 14 } },
    { name: 'close the only row', removed: [10, 11, 12, 13, 14, 15], selected: 0, open: 10, want: { selected: -1, open: null } },
    // A bulk close of checked rows above the open one: the highlight follows the open conversation.
    { name: 'bulk above the open row', removed: [10, 11], selected: 3, open: 13, want: { selected: 1, open: undefined } },
    { name: 'bulk including the open row', removed: [11, 12, 13], selected: 2, open: 12, want: { selected: 1, open: 14 } },
    { name: 'nothing open', removed: [11], selected: 3, open: null, want: { selected: 2, open: undefined } },
    { name: 'nothing open, highlighted row removed', removed: [13], selected: 3, open: null, want: { selected: 3, open: undefined } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = afterRemoval(list, new Set(c.removed), c.selected, c.open);
      expect(f).toEqual(c.want);
      const after = list.filter((r) => !c.removed.includes(r.id));
      const shown = f.open === undefined ? c.open : f.open;
      if (shown !== null && f.selected >= 0) expect(after[f.selected]!.id).toBe(shown);
    });
  }

  it('a reload keeps the highlight on the open conversation, or on none when it left the list', () => {
    expect(afterReload(rows(20, 13, 11), 13, 11)).toBe(1);
    expect(afterReload(rows(20, 11), 13, 11)).toBe(-1);
    expect(afterReload(rows(20, 11), null, 11)).toBe(1);
    expect(afterReload(rows(20, 11), null, 99)).toBe(0);
    expect(afterReload([], null, undefined)).toBe(-1);
  });
});

describe('snooze times', () => {
  // Wednesday 2 December 2026, local time.
  const wed = (h: number, m = 0) => new Date(2026, 11, 2, h, m);
  it('offers later today, tomorrow morning and next week', () => {
    expect(snoozeUntil('laterToday', wed(10, 25))).toEqual(wed(13));
    expect(snoozeUntil('laterToday', wed(22))).toEqual(new Date(2026, 11, 3, 9));
    expect(snoozeUntil('tomorrow', wed(10))).toEqual(new Date(2026, 11, 3, 9));
    expect(snoozeUntil('nextWeek', wed(10))).toEqual(new Date(2026, 11, 7, 9));
    expect(snoozeUntil('nextWeek', new Date(2026, 11, 7, 8))).toEqual(new Date(2026, 11, 14, 9));
  });
  it('reads a custom time only when it is in the future', () => {
    expect(parseLocal('2026-12-05', '14:30', wed(10))).toEqual(new Date(2026, 11, 5, 14, 30));
    expect(parseLocal('2026-12-01', '14:30', wed(10))).toBeNull();
    expect(parseLocal('', '14:30', wed(10))).toBeNull();
    expect(parseLocal('2026-12-05', '', wed(10))).toBeNull();
    expect(parseLocal('2026-12-05', '2:30', wed(10))).toBeNull();
    expect(toLocalInput(new Date(2026, 0, 5, 7, 3))).toEqual({ day: '2026-01-05', clock: '07:03' });
  });
});
