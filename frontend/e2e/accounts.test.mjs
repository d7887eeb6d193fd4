// Accounts in Settings, through the real binary and a real connector: the harness runs
// the Mastodon test server (fakeapi) as its own process. A new account is tested from
// the form with a wrong token (the refusal is shown in words with the next step, and
// nothing is stored), tested again with the right one (the old error goes), saved and
// synced; then disabled (Go refuses to sync it) and deleted after a confirmation that
// says its conversations stay read-only (and they do).
// Saving the account writes its token to the OS keyring: run under a Secret Service
// (the Makefile's throwaway gnome-keyring).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot, startFakeAPI, waitUntil } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion
const ACCOUNT = 'e2e-accounts';
// The form's wrong-token test is refused by Go with a 500, as expected.
const TEST_INPUT = 'AccountsService/TestInput';

describe('accounts: test before saving, disable, delete', () => {
  let session, fake, server, page;
  const consoleErrors = [];

  before(async () => {
    fake = await startFakeAPI();
    session = await openSession('e2e-accounts', { demo: false, db: 'accounts.db', errors: consoleErrors, expectFailing: [TEST_INPUT] });
    ({ server, page } = session);
  });

  after(async () => {
    await fake?.stop();
    await session?.close();
  });

  const listed = async () => (await server.call('AccountsService', 'List')).find((a) => a.account.name === ACCOUNT);
  const form = () => page.locator('form.account-form');
  const row = () => page.locator(`li.account[data-account="${ACCOUNT}"]`);

  test('a wrong token is refused in words with the next step; testing again clears it; nothing is saved', async () => {
    await page.locator('nav.sidebar .screen[data-screen=settings]').click();
    await page.locator('.settings-screen').waitFor({ timeout: T });
    await page.locator('[data-action=add-account]').click();
    await form().locator('select[name=channel]').selectOption('mastodon');
    await form().locator('input[name=name]').fill(ACCOUNT);
    await form().locator('input[name=brand]').fill('Acme');
    await form().locator('input[name=baseUrl]').fill(fake.url);
    await form().locator('input[name=secret-token]').fill('not-the-token');

    await form().locator('[data-action=test-form]').click();
    const bad = form().locator('.form-test[data-ok=false]');
    await bad.waitFor({ timeout: T });
    assert.equal(
      (await bad.locator('[data-role=error-message]').innerText()).trim(),
      'The platform refused the account’s login or token. Check the password or token in the account’s settings.',
    );
    // Go's own words stay under Details; the token never shows.
    const details = await bad.locator('[data-role=error-details] code').textContent();
    assert.ok(details.length > 0, 'Go’s text is kept under Details');
    assert.ok(!(await bad.innerText()).includes('not-the-token'), 'the token is not shown');
    await screenshot(page, 'account-test-failed.png');
    // In Russian the same refusal reads in Russian (worded when shown, not when it arrived).
    await page.locator('#settings-lang').selectOption('ru');
    await bad.locator('[data-role=error-message]', { hasText: 'Платформа не приняла логин или токен аккаунта.' }).waitFor({ timeout: T });
    await screenshot(page, 'account-test-failed-ru.png');
    await page.locator('#settings-lang').selectOption('en');
    await bad.locator('[data-role=error-message]', { hasText: 'The platform refused' }).waitFor({ timeout: T });
    assert.equal(await listed(), undefined, 'testing stored no account');

    await form().locator('input[name=secret-token]').fill(fake.token);
    await form().locator('[data-action=test-form]').click();
    await form().locator('.form-test[data-ok=true]').waitFor({ timeout: T });
    assert.equal(await bad.count(), 0, 'the earlier error is gone');
    assert.equal(await listed(), undefined, 'a passing test stores nothing either');
  });

  test('saved, the account syncs the fake’s mention', async () => {
    await form().locator('button[type=submit]').click();
    await row().waitFor({ timeout: T });
    await form().waitFor({ state: 'detached', timeout: T });
    const st = await listed();
    assert.equal(st?.state, 'active');
    assert.deepEqual(JSON.parse(st.settings), { baseUrl: fake.url });
    await waitUntil(
      async () => (await server.call('InboxService', 'Conversations', { channel: 'mastodon' })).items?.length === 1,
      { timeoutMs: 30_000, what: 'the synced mention in Go' },
    );
  });

  test('disabled: the row says so, Go refuses to sync it, and it can be enabled again', async () => {
    await row().locator('[data-action=toggle-enabled]').click();
    await page.locator(`li.account[data-account="${ACCOUNT}"][data-state=disabled]`).waitFor({ timeout: T });
    assert.match(await row().locator('.acct-name').innerText(), /Disabled/);
    assert.equal(await row().locator('[data-action=sync]').isDisabled(), true, 'Sync now is not offered');
    assert.equal((await listed()).state, 'disabled');
    const refusal = await server.call('AccountsService', 'SyncNow', ACCOUNT).then(
      () => assert.fail('Go synced a disabled account'),
      (e) => e.message,
    );
    assert.match(refusal, /disabled/);
    assert.match(await page.locator('[data-role=account-notice]').innerText(), /is disabled/);

    await row().locator('[data-action=toggle-enabled]').click();
    await page.locator(`li.account[data-account="${ACCOUNT}"][data-state=active]`).waitFor({ timeout: T });
    assert.equal((await listed()).state, 'active');
    await row().locator('[data-action=toggle-enabled]').click();
    await page.locator(`li.account[data-account="${ACCOUNT}"][data-state=disabled]`).waitFor({ timeout: T });
  });

  test('deleted after a confirmation that says its conversations stay read-only; they do', async () => {
    await row().locator('[data-action=delete]').click();
    const dialog = page.locator('[role=dialog]#delete-account');
    await dialog.waitFor({ timeout: T });
    const text = await dialog.innerText();
    assert.match(text, /Delete the account e2e-accounts\?/i); // the title is shown in capitals
    assert.match(text, /conversations stay in the inbox, read-only/);
    assert.match(text, /password or token from the system keyring/);
    await screenshot(page, 'account-delete.png');
    // Esc and Cancel leave it as it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: T });
    assert.ok(await listed(), 'Esc deleted nothing');
    await row().locator('[data-action=delete]').click();
    await dialog.locator('[data-action=confirm-delete]').click();

    await row().waitFor({ state: 'detached', timeout: T });
    assert.match(await page.locator('[data-role=account-notice]').innerText(), /deleted\. Its conversations stay in the inbox, read-only/);
    assert.equal(await listed(), undefined, 'Go no longer lists the account');
    const convs = await server.call('InboxService', 'Conversations', { channel: 'mastodon' });
    assert.equal(convs.items?.length, 1, 'its conversation stays');
    const refusal = await server.call('AccountsService', 'SyncNow', ACCOUNT).then(
      () => assert.fail('Go synced a removed account'),
      (e) => e.message,
    );
    assert.match(refusal, /removed/);
  });

  test('no script errors in the page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
