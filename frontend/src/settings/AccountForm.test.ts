import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import type { AccountStatus } from '../lib/api';
import { formFromStatus } from '../lib/accountForm';
import { setLang } from '../lib/i18n';
import AccountForm from './AccountForm.svelte';

const save = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('../lib/settings.svelte', () => ({ settings: { save } }));

const stored: AccountStatus = {
  account: { id: 1, channel: 'mastodon', name: 'acme-social', brand: 'Acme', handle: '', createdAt: '' },
  settings: { baseUrl: 'https://social.acme.test' },
  sync: { cursor: '', syncedAt: '', fetched: 0, skipped: 0, lastError: '' },
  secrets: [{ name: 'token', label: 'Access token (read, write)', required: true }],
  limits: { maxTextLength: 0, deleteWindowMs: 0, notes: [] },
};

function renderForm() {
  const onsaved = vi.fn();
  const r = render(AccountForm, { initial: formFromStatus(stored), secrets: stored.secrets, onsaved, oncancel: () => {} });
  const field = (name: string) => r.container.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const submit = () => fireEvent.submit(r.container.querySelector('form')!);
  return { ...r, onsaved, field, submit };
}

describe('AccountForm when the server changes', () => {
  it('keeps the stored token optional while the server stays the same', async () => {
    setLang('en');
    save.mockClear();
    const { field, submit, queryByRole, onsaved } = renderForm();
    expect(field('secret-token').required).toBe(false);
    await fireEvent.input(field('baseUrl'), { target: { value: 'https://Social.Acme.test/' } });
    expect(queryByRole('status')).toBeNull();
    await submit();
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith('acme-social'));
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ secrets: {} }));
  });

  it('says the stored token goes and asks for it again before saving', async () => {
    setLang('en');
    save.mockClear();
    const { field, submit, getByRole, container, onsaved } = renderForm();
    await fireEvent.input(field('baseUrl'), { target: { value: 'https://evil.test' } });
    expect(getByRole('status').textContent).toContain('saving removes the stored secrets');
    const token = field('secret-token');
    expect(token.required).toBe(true);
    expect(token.closest('label')!.textContent).not.toContain('optional');

    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(token.closest('label')!.querySelector('.err')!.textContent).toBe('Enter it again for the new server');

    await fireEvent.input(token, { target: { value: 'new-token' } });
    await submit();
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ settings: '{"baseUrl":"https://evil.test"}', secrets: { token: 'new-token' } }));
    expect(container.querySelector('.form-error')).toBeNull();
  });

  it('shows the note in Russian and German', async () => {
    for (const [lang, text] of [
      ['ru', 'введите их заново'],
      ['de', 'bitte erneut eingeben'],
    ] as const) {
      setLang(lang);
      const { field, getByRole, unmount } = renderForm();
      await fireEvent.input(field('baseUrl'), { target: { value: 'https://evil.test' } });
      expect(getByRole('status').textContent).toContain(text);
      unmount();
    }
    setLang('en');
  });
});
