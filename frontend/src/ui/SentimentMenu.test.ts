import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import { setLang } from '../lib/i18n';
import SentimentMenu from './SentimentMenu.svelte';

describe('SentimentMenu', () => {
  it('offers the three labels, sends the pick and closes when Go accepts it', async () => {
    setLang('en');
    const oncorrect = vi.fn(async () => true);
    const { container, getByRole, queryByRole } = render(SentimentMenu, { sentiment: 'negative', oncorrect });
    expect(queryByRole('menu')).toBeNull();

    await fireEvent.click(container.querySelector('[data-action="sentiment-menu"]')!);
    const items = [...getByRole('menu').querySelectorAll('[role="menuitemradio"]')];
    expect(items.map((b) => b.getAttribute('data-label'))).toEqual(['negative', 'neutral', 'positive']);
    expect(items.map((b) => b.getAttribute('aria-checked'))).toEqual(['true', 'false', 'false']);

    await fireEvent.click(items[2]!);
    expect(oncorrect).toHaveBeenCalledWith('positive');
    await vi.waitFor(() => expect(queryByRole('menu')).toBeNull());
  });

  it('stays open when the correction fails, so the manager can retry', async () => {
    const oncorrect = vi.fn(async () => false);
    const { container, getByRole } = render(SentimentMenu, { sentiment: 'neutral', oncorrect });
    await fireEvent.click(container.querySelector('[data-action="sentiment-menu"]')!);
    await fireEvent.click(getByRole('menu').querySelector('[data-label="negative"]')!);
    expect(oncorrect).toHaveBeenCalledWith('negative');
    await Promise.resolve();
    expect(getByRole('menu')).toBeTruthy();
  });

  it('marks a corrected label, in the current language', () => {
    setLang('de');
    const { container } = render(SentimentMenu, { sentiment: 'positive', corrected: true, oncorrect: () => true });
    const mark = container.querySelector('[data-corrected]')!;
    expect(mark.getAttribute('data-corrected')).toBe('positive');
    expect(mark.textContent).toContain('korrigiert');
    setLang('en');
    const plain = render(SentimentMenu, { sentiment: 'positive', oncorrect: () => true });
    expect(plain.container.querySelector('[data-corrected]')).toBeNull();
  });
});
