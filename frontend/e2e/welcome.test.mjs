// An empty workspace in the Russian UI: the welcome offers three ways in, "open the
// demo" stores the demo data through Go, and the DEMO badge stays on the next start
// of the same database (it follows the data, not the session that stored it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openSession, screenshot, startServer } from './harness.mjs';

const T = 30_000;

describe('welcome to an empty workspace', () => {
  let session, page;
  const errors = [];

  before(async () => {
    session = await openSession('e2e-welcome', {
      demo: false,
      errors,
      initScript: () => localStorage.setItem('stormdesk.lang', 'ru'),
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
  });

  test('offers connect, import and demo, and the demo button stores the demo', async () => {
    const welcome = page.locator('section.welcome');
    await welcome.getByRole('heading', { name: 'Добро пожаловать в Stormdesk' }).waitFor({ timeout: T });
    assert.equal(await page.locator('nav.sidebar .demo').count(), 0, 'an empty workspace is not a demo');
    assert.match(await welcome.getByTestId('import-command').innerText(), /^stormdesk import --db ".+" FILE\.csv$/);
    assert.ok(await welcome.getByRole('button', { name: 'Подключить аккаунт' }).isVisible());
    await screenshot(page, 'welcome-ru.png');
    // The English pair of the screenshot, then back to Russian.
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('en');
    await welcome.getByRole('heading', { name: 'Welcome to Stormdesk' }).waitFor({ timeout: T });
    await screenshot(page, 'welcome.png');
    await lang.selectOption('ru');
    await welcome.getByRole('heading', { name: 'Добро пожаловать в Stormdesk' }).waitFor({ timeout: T });

    assert.equal((await session.server.call('InboxService', 'Accounts')).length, 0);
    await welcome.getByRole('button', { name: 'Открыть демо' }).click();
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    await welcome.waitFor({ state: 'detached', timeout: T });
    await page.locator('nav.sidebar .demo', { hasText: 'Демо' }).waitFor({ timeout: T });
    assert.ok((await session.server.call('InboxService', 'Accounts')).length > 0, 'Go stored the demo accounts');
    assert.equal((await session.server.call('AppService', 'Info')).demo, true);
    assert.deepEqual(errors, []);
  });

  test('the DEMO badge stays on the next start of the same database', async () => {
    await session.server.stop();
    const again = await startServer({ db: session.db, args: ['--no-demo'] });
    const browser = await launchBrowser();
    try {
      assert.equal((await again.call('AppService', 'Info')).demo, true, 'Info.demo follows the stored demo data');
      const p = await browser.context.newPage();
      await p.goto(again.pageUrl);
      await p.locator('[role=listbox] .row').first().waitFor({ timeout: T });
      await p.locator('nav.sidebar .demo').waitFor({ timeout: T });
      assert.equal(await p.locator('section.welcome').count(), 0, 'a workspace with accounts shows no welcome');
    } finally {
      await browser.close();
      await again.stop();
    }
  });
});
