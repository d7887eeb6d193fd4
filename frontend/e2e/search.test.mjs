// Search in a browser against the real backend on the demo data: Russian and
// German word forms are found (ё/е, case endings, plurals), the hits
// highlight the forms that matched, and the syntax help opens from the
// keyboard in the UI's language.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000; // per wait; the server and browser are local, this only bounds a hang

describe('search word forms in a browser against the real backend', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-search', { errors: consoleErrors });
    ({ server, page } = session);
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
  });

  after(() => session?.close());

  const goSearch = (text) => server.call('InboxService', 'Search', { text, channel: '', beforeId: 0, limit: 200 });

  /** search types text into the search box and returns the highlighted words of the hits. */
  async function search(text) {
    await page.locator('body').click({ position: { x: 5, y: 790 } }); // leave any input
    await page.keyboard.press('/');
    await page.locator('#search-input').fill(text);
    await page.keyboard.press('Enter');
    await page.locator('.hit').first().waitFor({ timeout: T });
    return page.locator('.hit mark').allInnerTexts();
  }

  test('ё and е, case endings and plurals find the same messages', async () => {
    const yo = await goSearch('счёт');
    const ye = await goSearch('счет');
    assert.ok(yo.length > 0, 'the demo data has bills');
    assert.deepEqual(ye.map((h) => h.messageId), yo.map((h) => h.messageId), '"счет" finds what "счёт" finds');
    const internet = await goSearch('интернет');
    const internetGen = await goSearch('интернета');
    assert.deepEqual(internetGen.map((h) => h.messageId), internet.map((h) => h.messageId), 'case forms find the same messages');
    assert.ok(internet.some((h) => h.snippet.includes('\u0002интернета\u0003')), 'a genitive form is among the hits');
    const de = await goSearch('Verspätungen');
    assert.ok(de.length > 0 && de.some((h) => h.snippet.includes('\u0002Verspätung\u0003')), 'the plural finds the singular');

    const marks = await search('счет');
    assert.ok(marks.length > 0 && marks.every((m) => /^сч[её]т/i.test(m)), `hits highlight the forms of счёт: ${marks.slice(0, 5)}`);
    assert.equal(await page.locator('.hit').count(), Math.min(ye.length, await page.locator('.hit').count()));
    await screenshot(page, 'search-word-forms.png');
    await page.keyboard.press('Escape');
  });

  test('an exact phrase is not stemmed', async () => {
    const exact = await goSearch('"нет интернета"');
    const other = await goSearch('"нет интернет"');
    assert.ok(exact.length > 0, 'the phrase is in the demo data');
    assert.ok(other.length < exact.length, `a phrase matches its exact words only: ${other.length} vs ${exact.length}`);
  });

  test('the syntax help opens from the keyboard, in Russian', async () => {
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('ru');
    await page.locator('nav.sidebar .label', { hasText: 'Все открытые' }).waitFor({ timeout: T });
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('/');
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Как искать' });
    await help.waitFor({ timeout: T });
    assert.ok(await help.evaluate((el) => el === document.activeElement), 'the help takes focus');
    const examples = await help.locator('code').allInnerTexts();
    assert.ok(examples.includes('интерн*') && examples.includes('счёт OR оплата'), `Russian examples: ${examples}`);
    await screenshot(page, 'search-help-ru.png');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', timeout: T });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input', 'focus returns to the field');

    // Tab from the field reaches the ? button; Enter opens the help there too.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Синтаксис поиска');
    await page.keyboard.press('Enter');
    await help.waitFor({ timeout: T });
    await page.keyboard.press('Escape');
    await lang.selectOption('en');
    assert.deepEqual(consoleErrors, []);
  });
});
