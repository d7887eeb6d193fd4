import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import SearchBox from './SearchBox.svelte';
import { setLang, type Lang } from '../lib/i18n';

describe('SearchBox syntax help', () => {
  it('opens from the ? button, lists the syntax and gives focus back on Esc', async () => {
    setLang('en');
    render(SearchBox);
    const toggle = screen.getByRole('button', { name: 'Search syntax' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.focus();
    await fireEvent.click(toggle);
    const help = await screen.findByRole('dialog', { name: 'How to search' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement).toBe(help);
    const examples = within(help).getAllByRole('row').slice(1).map((r) => r.querySelector('code')?.textContent);
    expect(examples).toEqual(['refund delay', '"still waiting"', 'deliv*', 'refund OR voucher', 'refund -paypal']);
    await fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });

  it('opens with F1 in the field and closes with its button', async () => {
    setLang('en');
    render(SearchBox);
    const field = screen.getByRole('searchbox');
    field.focus();
    await fireEvent.keyDown(field, { key: 'F1' });
    const help = await screen.findByRole('dialog');
    await fireEvent.click(within(help).getByRole('button', { name: /Close/ }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(field);
  });

  it.each([
    ['ru', 'Синтаксис поиска', 'Как искать', 'счёт интернет'],
    ['de', 'Suchsyntax', 'So suchen Sie', 'Lieferung Verspätung'],
  ] as [Lang, string, string, string][])('speaks %s', async (lang, button, title, example) => {
    setLang(lang);
    render(SearchBox);
    await fireEvent.click(screen.getByRole('button', { name: button }));
    const help = await screen.findByRole('dialog', { name: title });
    expect(within(help).getByText(example)).toBeTruthy();
    expect(within(help).getByText(/OR/, { selector: 'code' })).toBeTruthy();
  });
});
