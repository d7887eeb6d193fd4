import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import type { AccountStatus, TestPermissions } from '../lib/api';
import { emptyForm, formFromStatus } from '../lib/accountForm';
import { setLang } from '../lib/i18n';
import AccountForm from './AccountForm.svelte';

const save = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('../lib/settings.svelte', () => ({ settings: { save } }));
// Go's AccountsService.TestInput; the rest of the api module is the real one (toApiError).
const testInput = vi.hoisted(() => vi.fn<(input: unknown) => Promise<TestPermissions>>());
vi.mock('../lib/api', async (importOriginal) => ({ ...(await importOriginal<typeof import('../lib/api')>()), testAccountInput: testInput }));

const stored: AccountStatus = {
  account: { id: 1, channel: 'mastodon', name: 'acme-social', brand: 'Acme', handle: '', createdAt: '' },
  settings: { baseUrl: 'https://social.acme.test' },
  sync: { cursor: '', syncedAt: null, fetched: 0, skipped: 0, lastError: '' },
  state: 'active',
  retry: { failures: 0, nextAttempt: null, lastError: '' },
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

/** deferred is a promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

// What Go's TestInput rejects with for a wrong password (apperr.Encode).
const authFailed = 'stormdesk-error:{"code":"auth-failed","params":{"account":"acme-new"},"detail":"imap: LOGIN: [AUTHENTICATIONFAILED] Authentication failed."}';

describe('AccountForm: Test connection', () => {
  function renderNew() {
    const r = render(AccountForm, { initial: emptyForm('mastodon'), onsaved: vi.fn(), oncancel: () => {} });
    const field = (name: string) => r.container.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    const testButton = () => r.container.querySelector<HTMLButtonElement>('button[data-action=test-form]')!;
    const result = () => r.container.querySelector<HTMLElement>('.form-test');
    return { ...r, field, testButton, result };
  }

  it('tests what the form holds without saving, says a refused login in words with the next step, and clears it when testing again', async () => {
    setLang('en');
    save.mockClear();
    testInput.mockReset();
    const { field, testButton, result } = renderNew();
    await fireEvent.input(field('name'), { target: { value: 'acme-new' } });
    await fireEvent.input(field('baseUrl'), { target: { value: 'https://social.acme.test' } });
    await fireEvent.input(field('secret-token'), { target: { value: 'wrong-token' } });

    testInput.mockRejectedValueOnce(authFailed);
    await fireEvent.click(testButton());
    await vi.waitFor(() => expect(result()?.dataset.ok).toBe('false'));
    expect(testInput).toHaveBeenCalledWith({
      name: 'acme-new', channel: 'mastodon', brand: '', handle: '',
      settings: '{"baseUrl":"https://social.acme.test"}', secrets: { token: 'wrong-token' },
    });
    expect(result()!.querySelector('[data-role=error-message]')!.textContent).toBe(
      'The platform refused the account’s login or token. Check the password or token in the account’s settings.',
    );
    expect(result()!.querySelector('[data-role=error-details] code')!.textContent).toContain('AUTHENTICATIONFAILED');
    expect(result()!.getAttribute('role')).toBe('alert');

    // Testing again: the old error goes at once, while the new test runs.
    const second = deferred<TestPermissions>();
    testInput.mockReturnValueOnce(second.promise);
    await fireEvent.input(field('secret-token'), { target: { value: 'right-token' } });
    await fireEvent.click(testButton());
    await vi.waitFor(() => expect(testButton().disabled).toBe(true));
    expect(result()).toBeNull();
    expect(testButton().textContent).toContain('Testing…');
    second.resolve({ granted: [], missing: [] });
    await vi.waitFor(() => expect(result()?.dataset.ok).toBe('true'));
    expect(result()!.textContent).toContain('Nothing is saved until you press Save');
    // Mastodon's token carries no platform permissions: none are listed.
    expect(result()!.querySelector('[data-role=token-permissions]')).toBeNull();
    expect(testInput).toHaveBeenLastCalledWith(expect.objectContaining({ secrets: { token: 'right-token' } }));
    expect(save).not.toHaveBeenCalled();
  });

  it('lists the permissions a Meta token has, in words with Meta’s names, right after a passing test', async () => {
    setLang('en');
    testInput.mockReset();
    const r = render(AccountForm, { initial: emptyForm('facebook'), onsaved: vi.fn(), oncancel: () => {} });
    const input = (name: string, value: string) =>
      fireEvent.input(r.container.querySelector<HTMLInputElement>(`input[name="${name}"]`)!, { target: { value } });
    await input('name', 'acme-fb');
    await input('pageId', '104857600000000');
    await input('secret-user-token', 'EAAB-token');
    testInput.mockResolvedValueOnce({ granted: ['pages_show_list', 'email', 'pages_messaging'], missing: [] });
    await fireEvent.click(r.container.querySelector<HTMLButtonElement>('button[data-action=test-form]')!);
    await vi.waitFor(() => expect(r.container.querySelector('.form-test')?.getAttribute('data-ok')).toBe('true'));
    const has = [...r.container.querySelectorAll('[data-role=perms-has] li')].map((li) => li.textContent!.trim());
    expect(has).toEqual(['Read and answer Messenger conversations pages_messaging', 'See the Pages the person manages pages_show_list', 'Not used by Stormdesk email']);
    expect(r.container.querySelector('[data-role=perms-lacks-none]')!.textContent).toBe('Nothing this channel needs is missing.');

    // A lacking one is listed apart, and the words follow the language.
    testInput.mockResolvedValueOnce({ granted: ['pages_show_list'], missing: ['pages_messaging'] });
    await fireEvent.click(r.container.querySelector<HTMLButtonElement>('button[data-action=test-form]')!);
    await vi.waitFor(() => expect(r.container.querySelector('[data-role=perms-lacks] li[data-perm=pages_messaging]')).not.toBeNull());
    setLang('de');
    await vi.waitFor(() =>
      expect(r.container.querySelector('[data-role=perms-lacks] li')!.textContent!.trim()).toBe('Messenger-Unterhaltungen lesen und beantworten pages_messaging'),
    );
    setLang('en');
  });

  it('does not call Go while fields are missing, and says so', async () => {
    setLang('en');
    testInput.mockReset();
    const { testButton, container } = renderNew();
    await fireEvent.click(testButton());
    expect(testInput).not.toHaveBeenCalled();
    expect(container.querySelector('.form-error')!.textContent).toBe('Fix the highlighted fields.');
  });

  it('words the error in Russian and German, and rewords it when the language changes', async () => {
    setLang('en');
    testInput.mockReset();
    testInput.mockRejectedValueOnce(authFailed);
    const { field, testButton, result } = renderNew();
    await fireEvent.input(field('name'), { target: { value: 'acme-new' } });
    await fireEvent.input(field('baseUrl'), { target: { value: 'https://social.acme.test' } });
    await fireEvent.input(field('secret-token'), { target: { value: 'x' } });
    await fireEvent.click(testButton());
    await vi.waitFor(() => expect(result()?.dataset.ok).toBe('false'));
    for (const [lang, text] of [
      ['ru', 'Платформа не приняла логин или токен аккаунта. Проверьте пароль или токен в настройках аккаунта.'],
      ['de', 'Die Plattform hat die Anmeldung oder das Token des Kontos abgelehnt.'],
    ] as const) {
      setLang(lang);
      await vi.waitFor(() => expect(result()!.querySelector('[data-role=error-message]')!.textContent).toContain(text));
    }
    setLang('en');
  });
});
