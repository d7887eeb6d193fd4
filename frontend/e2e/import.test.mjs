// Import a file from the app: in a browser (serve) there is no native dialog, so the
// welcome's "Choose file…" falls back to the page's file input and uploads the text.
// The summary counts what was stored and lists the skipped row with its line; the
// messages then show in the inbox. The same file again from Settings is all duplicates.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSession, screenshot } from './harness.mjs';

const T = 30_000;
const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'testdata', 'import-small.csv');

describe('import a file from the app', () => {
  let session, page;
  const errors = [];

  before(async () => {
    session = await openSession('e2e-import', {
      demo: false,
      errors,
      initScript: () => localStorage.setItem('stormdesk.lang', 'en'),
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
  });

  test('the welcome imports a CSV and its messages reach the inbox', async () => {
    const welcome = page.locator('section.welcome');
    const panel = welcome.locator('[data-role=import-panel]');
    await panel.waitFor({ timeout: T });
    const chooser = page.waitForEvent('filechooser', { timeout: T });
    await panel.getByRole('button', { name: 'Choose file…' }).click();
    await (await chooser).setFiles(FIXTURE);
    await panel.locator('[data-role=import-file]', { hasText: 'import-small.csv' }).waitFor({ timeout: T });
    await panel.locator('input[data-column=time]').fill('time');
    await panel.locator('input[data-column=author]').fill('author');
    await panel.locator('input[data-column=direction]').fill('direction');
    await panel.getByRole('button', { name: 'Import', exact: true }).click();

    const result = panel.locator('[data-role=import-result]');
    await result.waitFor({ timeout: T });
    assert.match(await result.innerText(), /import-small\.csv: 3 new messages in 3 conversations, 0 duplicates, 1 skipped/);
    assert.match(await result.locator('[data-role=import-skipped]').innerText(), /^line 4: wrong number of fields: 7 instead of 5/);
    await screenshot(page, 'import-welcome-en.png');

    const list = page.locator('[role=listbox]');
    await list.locator('.row', { hasText: 'Parcel 4471 has not arrived' }).waitFor({ timeout: T });
    await list.locator('.row', { hasText: 'wrong door' }).waitFor({ timeout: T });
    assert.equal(await list.locator('.row', { hasText: 'broken' }).count(), 0, 'the skipped row is not stored');
    const accounts = await session.server.call('InboxService', 'Accounts');
    assert.deepEqual(accounts.map((a) => a.name), ['import-small'], 'rows go to an account named after the file');

    await welcome.getByRole('button', { name: 'Done: show the inbox' }).click();
    await welcome.waitFor({ state: 'detached', timeout: T });
  });

  test('Settings imports too; the same file again is all duplicates, historical on', async () => {
    await page.locator('nav.sidebar .screen[data-screen=settings]').click();
    const section = page.locator('section[data-role=import]');
    await section.waitFor({ timeout: T });
    await section.locator('input[type=file]').setInputFiles(FIXTURE);
    await section.locator('[data-role=import-historical]').check();
    await section.getByRole('button', { name: 'Import', exact: true }).click();
    const result = section.locator('[data-role=import-result]');
    await result.waitFor({ timeout: T });
    assert.match(await result.innerText(), /0 new messages in 0 conversations, 3 duplicates, 1 skipped/);
    // The summary follows the language; the Russian pair of the screenshot.
    await page.locator('nav.sidebar select').first().selectOption('ru');
    await result.locator('text=дубликатов — 3').waitFor({ timeout: T });
    assert.match(await result.innerText(), /новых сообщений — 0 в диалогах: 0, дубликатов — 3, пропущено — 1/);
    // and so is why a row was skipped (a code and its params from Go, not Go's English).
    assert.match(await result.locator('[data-role=import-skipped]').innerText(), /неверное число полей: 7 вместо 5/);
    await screenshot(page, 'import-settings-ru.png');
    await page.locator('nav.sidebar select').first().selectOption('en');
    await result.locator('text=3 duplicates').waitFor({ timeout: T });
    assert.deepEqual(errors, []);
  });

  test('a file without the asked-for columns is worded, not Go text', async () => {
    const section = page.locator('section[data-role=import]');
    await section.locator('input[type=file]').setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from('tweet_id,body\n1,hi\n') });
    await section.getByRole('button', { name: 'Import', exact: true }).click();
    const err = section.locator('[data-role=import-error]');
    await err.waitFor({ timeout: T });
    assert.match(await err.innerText(), /^The file could not be imported: it is not CSV or JSON lines with the columns asked for\. Check the format/);
  });
});
