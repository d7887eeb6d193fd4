// A complaint burst imported while the app runs raises a crisis alert on screen
// without a reload: `stormdesk serve` runs on the demo data (a week of history per
// account), then `stormdesk import` — another process, the path a user has — writes
// 40 negative comments of the last 15 minutes into one account of the same SQLite
// database. The crisis monitor notices the new messages (it polls the newest
// message id every 2 s), Go emits "crisis:alert" and the page shows the toast and
// the alert on the Crisis screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSession, screenshot, waitUntil } from './harness.mjs';

const T = 30_000; // bounds a hang, not a timing assertion

describe('crisis alert from an imported burst', () => {
  let session, dir, db, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-burst', { errors: consoleErrors });
    ({ dir, db, server, page } = session);
  });

  after(() => session?.close());

  test('stormdesk import of 40 complaints → toast and Crisis screen show the alert, no reload', async () => {
    // An account with history whose detector has left the learning phase, and no alert of the last hours.
    const states = await waitUntil(async () => {
      const s = await server.call('CrisisService', 'States');
      return s.length ? s : null;
    }, { what: 'the monitor’s history replay' });
    const hourAgo = Date.now() - 3600_000;
    const before = await server.call('CrisisService', 'Alerts');
    const target = states.find(
      (s) => s.key.channel === 'telegram' && s.status !== 'learning' && !before.some((a) => a.key.account === s.key.account && Date.parse(a.detectedAt) > hourAgo),
    );
    assert.ok(target, `a Telegram account with history: ${JSON.stringify(states.map((s) => [s.key, s.status]))}`);
    const account = target.key.account;

    // Mark the page so a reload would be noticed.
    await page.evaluate(() => (window.__noReload = true));

    const now = Date.now();
    const rows = ['id,account,time,author,sentiment,text'];
    for (let i = 0; i < 40; i++) {
      const at = new Date(now - 15 * 60_000 + i * 20_000).toISOString();
      rows.push(`burst-${i},${account},${at},@angry${i},negative,"Service is down again, nothing works since this morning! #${i}"`);
    }
    const csv = join(dir, 'burst.csv');
    writeFileSync(csv, rows.join('\n') + '\n');
    const imp = spawnSync(process.env.STORMDESK_BIN, [
      'import', '--db', db, '--channel', 'telegram', '--account-column', 'account', '--time-column', 'time',
      '--author-column', 'author', '--sentiment-column', 'sentiment', csv,
    ], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(imp.status, 0, `import failed: ${imp.stdout}${imp.stderr}`);
    assert.match(imp.stdout, /40 new messages/);

    // The toast names the account; Go lists the same alert.
    const toast = page.locator('.toast[role=status]', { hasText: account });
    await toast.waitFor({ timeout: T });
    const alerts = await server.call('CrisisService', 'Alerts');
    const fresh = alerts.find((a) => a.key.account === account && Date.parse(a.detectedAt) > now - 20 * 60_000);
    assert.ok(fresh, `Go has a fresh alert for ${account}`);
    assert.ok((await toast.getAttribute('data-alert')).startsWith(`${account}/telegram@`), 'the toast is the alert of that stream');
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    await screenshot(page, 'burst-toast.png');

    // View opens the Crisis screen on that alert.
    await toast.locator('button', { hasText: 'View' }).click();
    await page.locator('.crisis-screen').waitFor({ timeout: T });
    await page.locator('article.detail').waitFor({ timeout: T });
    // The burst may escalate in a later poll (a second alert of the same stream
    // with more negatives) and take the toast over before View is clicked, so
    // the detail is compared with the alert it names, not with the first one.
    const shown = await page.locator('article.detail').getAttribute('data-alert');
    assert.ok(shown.startsWith(`${account}/telegram@`), `the detail is an alert of that stream: ${shown}`);
    const shownAlert = (await server.call('CrisisService', 'Alerts')).find((a) => `${a.key.account}/${a.key.channel}@${a.detectedAt}` === shown);
    assert.ok(shownAlert, `Go lists the alert the detail shows: ${shown}`);
    assert.equal(Number((await page.locator('article.detail [data-field=observed]').innerText()).replace(/\D/g, '')), shownAlert.observed);
    await page.locator('article.detail button', { hasText: 'All alerts' }).click();
    await page.locator(`.alert-row[data-account="${account}"]`).first().waitFor({ timeout: T });
    assert.deepEqual(consoleErrors, [], 'no script errors or failed requests');
  });
});
