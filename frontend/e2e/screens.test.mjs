// Browser tests of the Settings and Crisis screens, the shortcut sheet and the
// About dialog, against the real binary (`stormdesk serve`) with the demo data.
// Saving an account writes its token to the OS keyring: run under a Secret
// Service (the Makefile's throwaway gnome-keyring), as the Go tests do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertShownError, goDetail } from './goerror.mjs';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000;
const TG_NAME = 'e2e-telegram';
const TEST_CALL = 'AccountsService/Test';

describe('settings, crisis, shortcuts and about in a browser', () => {
  let session, server, page, methods;
  const consoleErrors = [];

  before(async () => {
    // Test connection against an unreachable address is expected to fail with a 500 (the Go error).
    session = await openSession('e2e-screens', { errors: consoleErrors, expectFailing: [TEST_CALL] });
    ({ server, page } = session);
    methods = await (await server.fetch('/bridge/methods')).json();
  });

  after(() => session?.close());

  test('g s opens Settings; a Telegram account is added, tested and listed', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.locator('.settings-screen').waitFor({ timeout: T });
    assert.equal(await page.locator('nav.sidebar .screen[data-screen=settings]').getAttribute('aria-current'), 'page');

    await page.locator('[data-action=add-account]').click();
    const form = page.locator('form.account-form');
    await form.locator('select[name=channel]').selectOption('telegram');
    // Client-side validation first: an empty form is not sent.
    await form.locator('button[type=submit]').click();
    await form.locator('.form-error', { hasText: 'Fix the highlighted fields' }).waitFor({ timeout: T });
    assert.equal((await server.call('AccountsService', 'List')).some((a) => a.account.name === TG_NAME), false);

    await form.locator('input[name=name]').fill(TG_NAME);
    await form.locator('input[name=brand]').fill('E2E Brand');
    await form.locator('input[name=baseUrl]').fill('http://127.0.0.1:9/');
    const secret = form.locator('input[name=secret-token]');
    assert.equal(await secret.getAttribute('type'), 'password', 'secrets are password inputs');
    await secret.fill('123456:e2e-secret-token');
    await form.locator('button[type=submit]').click();

    const row = page.locator(`li.account[data-account="${TG_NAME}"]`);
    await row.waitFor({ timeout: T });
    await form.waitFor({ state: 'detached', timeout: T });
    const stored = (await server.call('AccountsService', 'List')).find((a) => a.account.name === TG_NAME);
    assert.ok(stored, 'Go stored the account');
    assert.equal(stored.account.channel, 'telegram');
    assert.deepEqual(JSON.parse(stored.settings), { baseUrl: 'http://127.0.0.1:9/' });
    assert.ok(!stored.settings.includes('e2e-secret-token'), 'the token is not in the stored settings');

    await row.locator('[data-action=test]').click();
    const result = row.locator('.test-result[data-ok=false]');
    await result.waitFor({ timeout: 40_000 });
    const shown = (await result.innerText()).trim();
    const goErr = await server.call('AccountsService', 'Test', TG_NAME).then(
      () => assert.fail('Test against 127.0.0.1:9 succeeded'),
      (e) => e.message,
    );
    assert.ok(shown.length > 0, 'an error message is shown');
    await assertShownError(result, goErr);
    assert.ok(!shown.includes('e2e-secret-token') && !goDetail(goErr).includes('e2e-secret-token'), `the error does not leak the token: ${shown}`);

    // Editing never shows the stored secret.
    await row.locator('[data-action=edit]').click();
    const edit = row.locator('form.account-form');
    assert.equal(await edit.locator('input[name=secret-token]').inputValue(), '');
    assert.match(await edit.locator('input[name=secret-token]').getAttribute('placeholder'), /keyring/);
    assert.equal(await edit.locator('input[name=baseUrl]').inputValue(), 'http://127.0.0.1:9/');
    await screenshot(page, 'settings.png');
    await edit.locator('button', { hasText: 'Cancel' }).click();
  });

  test('g c opens Crisis; the demo outage of Север Телеком is an alert', async (t) => {
    if (!methods.includes('main.CrisisService.Alerts')) {
      t.skip('the binary has no CrisisService.Alerts (see /bridge/methods)');
      return;
    }
    const accounts = await server.call('InboxService', 'Accounts');
    const nord = accounts.filter((a) => a.brand === 'Север Телеком').map((a) => a.name);
    assert.ok(nord.length > 0, 'the demo data has Север Телеком accounts');

    // The monitor replays the last week at start; wait until Go lists the alert.
    let alerts = [];
    for (let i = 0; i < 100 && !alerts.some((a) => nord.includes(a.key.account)); i++) {
      alerts = await server.call('CrisisService', 'Alerts').catch(() => []);
      if (!alerts.some((a) => nord.includes(a.key.account))) await new Promise((r) => setTimeout(r, 300));
    }
    const want = alerts.find((a) => nord.includes(a.key.account));
    assert.ok(want, `Go reports an alert for ${nord}: ${JSON.stringify(alerts.map((a) => a.key))}`);

    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await page.locator('.crisis-screen').waitFor({ timeout: T });
    await page.locator('.crisis-screen button', { hasText: 'Refresh' }).click();
    const row = page.locator(`.alert-row[data-account="${want.key.account}"]`).first();
    await row.waitFor({ timeout: T });
    assert.ok((await row.innerText()).includes('Север Телеком'), 'the alert names the brand');
    const cards = await page.locator('.crisis-screen .card').count();
    assert.equal(cards, (await server.call('CrisisService', 'States')).length, 'one card per stream');

    // The burst stream's 72-hour chart: as many bins as Go has, the alert windows marked.
    const card = page.locator(`.crisis-screen .card[data-account="${want.key.account}"]`).first();
    await card.locator('[data-action=stream-chart]').click();
    const stream = page.locator(`section.stream[data-stream="${want.key.account}/${want.key.channel}"]`);
    await stream.locator('.plot canvas').first().waitFor({ timeout: T });
    const bins = await server.call('CrisisService', 'Series', want.key.account, want.key.channel);
    assert.ok(bins.length > 4, `Go has a series for the stream: ${bins.length} bins`);
    assert.ok(bins.some((b) => b.negative > 0), 'the series holds negatives');
    await page.waitForFunction(
      ([sel, n]) => document.querySelector(`${sel} .plot`)?.getAttribute('data-bins') === String(n),
      [`section.stream[data-stream="${want.key.account}/${want.key.channel}"]`, bins.length], { timeout: T },
    );
    assert.equal(await card.locator('[data-action=stream-chart]').getAttribute('aria-pressed'), 'true');
    assert.ok((await stream.locator('figcaption').innerText()).includes('Alert window'), 'alert windows are marked');
    await screenshot(page, 'crisis.png');

    await row.click();
    const detail = page.locator('article.detail');
    await detail.waitFor({ timeout: T });
    await detail.locator('.plot canvas').first().waitFor({ timeout: T });
    const newest = alerts.filter((a) => a.key.account === want.key.account)[0];
    assert.equal(Number((await detail.locator('[data-field=observed]').innerText()).replace(/\D/g, '')), newest.observed);
    await detail.locator('.groups .group, .groups p.muted:not(:has(.spinner))').first().waitFor({ timeout: T });
    if (newest.topTerms?.length) assert.ok((await detail.innerText()).includes(newest.topTerms[0].term));
    await screenshot(page, 'crisis-alert.png');
    await detail.locator('button', { hasText: 'All alerts' }).click();
  });

  test('? shows the shortcut sheet, Esc closes it; About shows Go’s build info', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('?');
    const sheet = page.locator('#shortcuts');
    await sheet.waitFor({ timeout: T });
    const text = await sheet.innerText();
    for (const k of ['j', 'k', 'Enter', 'e', 'a', 'r', '/', '?', 'Esc']) assert.ok(text.includes(k), `the sheet lists ${k}`);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached', timeout: T });

    const info = await server.call('AppService', 'Info');
    await page.locator('nav.sidebar [data-action=about]').click();
    const about = page.locator('#about');
    await about.waitFor({ timeout: T });
    assert.equal(await about.locator('[data-field=version]').innerText(), info.version);
    assert.equal(await about.locator('[data-field=dbPath]').innerText(), info.dbPath);
    if (info.commit) assert.equal(await about.locator('[data-field=commit]').innerText(), info.commit);
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'detached', timeout: T });

    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
  });

  test('no script errors in the page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
