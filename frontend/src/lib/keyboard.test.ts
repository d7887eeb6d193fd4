import { describe, expect, it, vi } from 'vitest';
import { createKeyHandler, type KeyTarget } from './keyboard';

function setup(count = 5, selected = 0) {
  const state = { selected };
  const target: KeyTarget = {
    count: () => count,
    selected: () => state.selected,
    select: vi.fn((i: number) => {
      state.selected = i;
    }),
    open: vi.fn(),
    close: vi.fn(),
    focusSearch: vi.fn(),
    leaveSearch: vi.fn(() => true),
    loadMore: vi.fn(),
  };
  const handler = createKeyHandler(target);
  const press = (key: string, on: EventTarget = document.body) => {
    const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    on.addEventListener('keydown', handler as EventListener, { once: true });
    on.dispatchEvent(e);
    return e;
  };
  return { state, target, press };
}

describe('keyboard handler', () => {
  it('moves the selection down with j and up with k, within bounds', () => {
    const { state, press } = setup(3, 0);
    press('j');
    expect(state.selected).toBe(1);
    press('j');
    press('j');
    expect(state.selected).toBe(2);
    press('k');
    expect(state.selected).toBe(1);
    press('k');
    press('k');
    expect(state.selected).toBe(0);
  });

  it('asks for more rows when the selection nears the end', () => {
    const { target, press } = setup(10, 3);
    press('j');
    expect(target.loadMore).toHaveBeenCalledTimes(0);
    press('j');
    expect(target.loadMore).toHaveBeenCalledTimes(1);
  });

  it('opens with Enter and o, closes with e, focuses search with /', () => {
    const { target, press } = setup();
    press('Enter');
    press('o');
    expect(target.open).toHaveBeenCalledTimes(2);
    expect(press('e').defaultPrevented).toBe(true);
    expect(target.close).toHaveBeenCalledTimes(1);
    press('/');
    expect(target.focusSearch).toHaveBeenCalledTimes(1);
  });

  it('ignores shortcuts while typing in a field but still leaves search on Escape', () => {
    const { state, target, press } = setup(5, 0);
    const input = document.createElement('input');
    document.body.appendChild(input);
    press('j', input);
    press('e', input);
    expect(state.selected).toBe(0);
    expect(target.close).not.toHaveBeenCalled();
    press('Escape', input);
    expect(target.leaveSearch).toHaveBeenCalledTimes(1);
    input.remove();
  });

  it('does nothing on an empty list and ignores modified keys', () => {
    const { target, press } = setup(0, -1);
    press('j');
    press('Enter');
    expect(target.select).not.toHaveBeenCalled();
    expect(target.open).not.toHaveBeenCalled();

    const s = setup(5, 0);
    const handler = createKeyHandler(s.target);
    handler(new KeyboardEvent('keydown', { key: 'j', ctrlKey: true }));
    expect(s.state.selected).toBe(0);
  });
});

describe('screens, sheet and dialogs', () => {
  function setupNav(listActive = true) {
    let clock = 0;
    let overlay = false;
    const target: KeyTarget = {
      count: () => 3,
      selected: () => 0,
      select: vi.fn(),
      open: vi.fn(),
      close: vi.fn(),
      assign: vi.fn(),
      reply: vi.fn(),
      authorPanel: vi.fn(),
      focusSearch: vi.fn(),
      leaveSearch: vi.fn(() => false),
      listActive: () => listActive,
      navigate: vi.fn(),
      savedView: vi.fn(),
      toggleHelp: vi.fn(() => (overlay = !overlay)),
      closeOverlay: vi.fn(() => {
        const was = overlay;
        overlay = false;
        return was;
      }),
    };
    const handler = createKeyHandler(target, () => clock);
    const press = (key: string) => {
      const e = new KeyboardEvent('keydown', { key, cancelable: true });
      handler(e);
      return e;
    };
    return { target, press, advance: (ms: number) => (clock += ms) };
  }

  it('g then i / c / s switches screens; a late second key does not', () => {
    const { target, press, advance } = setupNav();
    press('g');
    press('c');
    expect(target.navigate).toHaveBeenLastCalledWith('crisis');
    press('g');
    press('s');
    expect(target.navigate).toHaveBeenLastCalledWith('settings');
    press('g');
    advance(2000);
    press('i');
    expect(target.navigate).toHaveBeenCalledTimes(2);
    press('g');
    press('i');
    expect(target.navigate).toHaveBeenLastCalledWith('inbox');
  });

  it('g then 1..9 opens that saved view; a digit alone, 0 or a late digit does not', () => {
    const { target, press, advance } = setupNav();
    press('g');
    expect(press('3').defaultPrevented).toBe(true);
    expect(target.savedView).toHaveBeenLastCalledWith(3);
    press('1');
    press('g');
    press('0');
    press('g');
    advance(2000);
    press('2');
    expect(target.savedView).toHaveBeenCalledTimes(1);
    press('g');
    press('9');
    expect(target.savedView).toHaveBeenLastCalledWith(9);
    expect(target.navigate).not.toHaveBeenCalled();
  });

  it('? toggles the sheet, Esc closes it before leaving search; a and r act on the list', () => {
    const { target, press } = setupNav();
    press('?');
    expect(target.toggleHelp).toHaveBeenCalledTimes(1);
    expect(press('Escape').defaultPrevented).toBe(true);
    expect(target.closeOverlay).toHaveBeenCalledTimes(1);
    expect(target.leaveSearch).not.toHaveBeenCalled();
    press('Escape');
    expect(target.leaveSearch).toHaveBeenCalledTimes(1);
    press('a');
    press('r');
    expect(target.assign).toHaveBeenCalledTimes(1);
    expect(target.reply).toHaveBeenCalledTimes(1);
    expect(press('p').defaultPrevented).toBe(true);
    expect(target.authorPanel).toHaveBeenCalledTimes(1);
  });

  it('list keys do nothing on other screens, but / still reaches search', () => {
    const { target, press } = setupNav(false);
    press('j');
    press('e');
    press('a');
    expect(target.select).not.toHaveBeenCalled();
    expect(target.close).not.toHaveBeenCalled();
    expect(target.assign).not.toHaveBeenCalled();
    press('/');
    expect(target.focusSearch).toHaveBeenCalledTimes(1);
  });

  it('x checks, shift+j/k extend, Esc clears checks before leaving search, s snoozes, n notes', () => {
    const { target, press } = setup(5, 1);
    const checks = { n: 0 };
    target.check = vi.fn();
    target.extend = vi.fn();
    target.clearChecks = vi.fn(() => checks.n-- > 0);
    target.snooze = vi.fn();
    target.note = vi.fn();
    checks.n = 1;
    expect(press('x').defaultPrevented).toBe(true);
    press('J');
    press('K');
    expect(target.check).toHaveBeenCalledTimes(1);
    expect(target.extend).toHaveBeenNthCalledWith(1, 1);
    expect(target.extend).toHaveBeenNthCalledWith(2, -1);
    press('Escape');
    expect(target.leaveSearch).not.toHaveBeenCalled();
    press('Escape');
    expect(target.leaveSearch).toHaveBeenCalledTimes(1);
    press('s');
    press('n');
    expect(target.snooze).toHaveBeenCalledTimes(1);
    expect(target.note).toHaveBeenCalledTimes(1);
  });

  it('z and Ctrl+Z undo, but Ctrl+Z in a text field is the field\'s own', () => {
    const { target, press } = setup();
    target.undo = vi.fn(() => true);
    expect(press('z').defaultPrevented).toBe(true);
    const ctrlZ = (on: EventTarget) => {
      const e = new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true });
      on.addEventListener('keydown', createKeyHandler(target) as EventListener, { once: true });
      on.dispatchEvent(e);
      return e;
    };
    expect(ctrlZ(document.body).defaultPrevented).toBe(true);
    expect(target.undo).toHaveBeenCalledTimes(2);
    const input = document.createElement('input');
    document.body.append(input);
    expect(ctrlZ(input).defaultPrevented).toBe(false);
    expect(target.undo).toHaveBeenCalledTimes(2);
    input.remove();
  });
});
