import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { setLang } from '../lib/i18n';
import Harness from '../test/DateInputHarness.svelte';

afterEach(() => setLang('en'));

function field(value: string) {
  const { container } = render(Harness, { props: { value } });
  const out = (name: string) => container.querySelector(`[data-${name}]`)!.textContent;
  return {
    input: container.querySelector<HTMLInputElement>('input[data-field]')!,
    value: () => out('value'),
    invalid: () => out('invalid'),
    inputs: () => out('inputs'),
    reset: () => fireEvent.click(container.querySelector('[data-reset]')!),
  };
}

describe('DateInput', () => {
  it('shows an ISO day in the language’s form and reads one typed in it', async () => {
    setLang('ru');
    const f = field('2026-12-05');
    expect(f.input.value).toBe('05.12.2026');
    expect(f.input.placeholder).toBe('ДД.ММ.ГГГГ');
    await fireEvent.input(f.input, { target: { value: '1.2.2027' } });
    expect(f.value()).toBe('2027-02-01');
    expect(f.invalid()).toBe('false');
    expect(f.inputs()).toBe('1');
    // The text being typed is left as it is; it is rewritten when the field is left.
    expect(f.input.value).toBe('1.2.2027');
    await fireEvent.blur(f.input);
    expect(f.input.value).toBe('01.02.2027');
  });

  it('marks a day that does not exist, keeps its text and gives an empty value', async () => {
    setLang('de');
    const f = field('2026-12-05');
    await fireEvent.input(f.input, { target: { value: '31.02.2026' } });
    expect(f.value()).toBe('');
    expect(f.invalid()).toBe('true');
    expect(f.input.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.blur(f.input);
    expect(f.input.value).toBe('31.02.2026');
    await fireEvent.input(f.input, { target: { value: '28.02.2026' } });
    expect(f.value()).toBe('2026-02-28');
    expect(f.input.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('shows a day set from outside and clears the mark', async () => {
    setLang('ru');
    const f = field('2026-12-05');
    await fireEvent.input(f.input, { target: { value: 'завтра' } });
    expect(f.invalid()).toBe('true');
    await f.reset();
    expect(f.input.value).toBe('01.01.2027');
    expect(f.invalid()).toBe('false');
  });

  it('picks a day on its calendar, from the keyboard, in the page’s language', async () => {
    setLang('ru');
    const f = field('2026-12-05');
    await fireEvent.keyDown(f.input, { key: 'ArrowDown', altKey: true });
    const cal = await waitFor(() => document.querySelector<HTMLElement>('[data-calendar]')!);
    expect(cal.querySelector('[data-month-label]')!.textContent).toBe('Декабрь 2026 г.');
    expect([...cal.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс']);
    const day = (iso: string) => cal.querySelector<HTMLButtonElement>(`button[data-day="${iso}"]`)!;
    expect(day('2026-12-05').getAttribute('aria-pressed')).toBe('true');
    expect(day('2026-12-05').getAttribute('aria-label')).toBe('суббота, 5 декабря 2026 г.');
    await waitFor(() => expect(document.activeElement).toBe(day('2026-12-05')));
    // A week on, then into January with Page Down: the grid follows the focus.
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement).toBe(day('2026-12-12')));
    await fireEvent.keyDown(document.activeElement!, { key: 'PageDown' });
    await waitFor(() => expect(document.activeElement).toBe(day('2027-01-12')));
    expect(cal.querySelector('[data-month-label]')!.textContent).toBe('Январь 2027 г.');
    expect([...cal.querySelectorAll('button[tabindex="0"]')].map((b) => b.getAttribute('data-day'))).toEqual(['2027-01-12']);
    await fireEvent.click(document.activeElement!);
    expect(f.value()).toBe('2027-01-12');
    expect(f.input.value).toBe('12.01.2027');
    expect(document.querySelector('[data-calendar]')).toBeNull();
    expect(document.activeElement).toBe(f.input);
  });

  it('closes its calendar with Escape and gives the focus back', async () => {
    const f = field('');
    await fireEvent.click(document.querySelector('[data-date-pick]')!);
    const cal = await waitFor(() => document.querySelector<HTMLElement>('[data-calendar]')!);
    // An empty field opens on today.
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(cal.querySelector(`button[data-day="${iso}"]`)!.getAttribute('aria-current')).toBe('date');
    await fireEvent.click(cal.querySelector('[data-month="prev"]')!);
    await fireEvent.keyDown(cal, { key: 'Escape' });
    expect(document.querySelector('[data-calendar]')).toBeNull();
    expect(document.activeElement).toBe(f.input);
    expect(f.value()).toBe('');
  });

  it('moves the day with the arrow keys and a month with Page Up / Page Down', async () => {
    setLang('ru');
    const f = field('2026-12-31');
    await fireEvent.keyDown(f.input, { key: 'ArrowUp' });
    expect(f.input.value).toBe('01.01.2027');
    expect(f.value()).toBe('2027-01-01');
    await fireEvent.keyDown(f.input, { key: 'ArrowDown' });
    await fireEvent.keyDown(f.input, { key: 'ArrowDown' });
    expect(f.input.value).toBe('30.12.2026');
    await fireEvent.keyDown(f.input, { key: 'PageDown' });
    expect(f.value()).toBe('2026-11-30');
    await fireEvent.keyDown(f.input, { key: 'PageUp' });
    await fireEvent.keyDown(f.input, { key: 'PageUp' });
    expect(f.value()).toBe('2027-01-30');
  });

  it('rewrites its day when the language changes', () => {
    const f = field('2026-12-05');
    expect(f.input.value).toBe('2026-12-05');
    expect(f.input.placeholder).toBe('YYYY-MM-DD');
    setLang('de');
    flushSync();
    expect(f.input.value).toBe('05.12.2026');
    expect(f.input.placeholder).toBe('TT.MM.JJJJ');
    expect(f.value()).toBe('2026-12-05');
  });
});
