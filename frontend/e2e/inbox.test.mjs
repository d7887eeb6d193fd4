// End-to-end tests of the inbox in Debian's Chromium against the real Go backend:
// the built binary serves the built frontend and its bound services over HTTP
// (`stormdesk serve`, backend/webbridge). Run with `npm run e2e` and STORMDESK_BIN set.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shownText } from './goerror.mjs';
import { launchBrowser, openSession, percentile, screenshot, startServer, tempDir } from './harness.mjs';

const T = 20_000; // per wait; the server and browser are local, this only bounds a hang

/** counts reads the numbers next to the fixed views in the sidebar, by view label. */
async function sidebarCount(page, label) {
  const item = page.locator('nav.sidebar button.item', { has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) });
  const text = await item.locator('.count').innerText({ timeout: T });
  return Number(text.replace(/[^\d]/g, ''));
}

function totals(stats) {
  return stats.channels.reduce(
    (t, c) => ({ open: t.open + c.open, pending: t.pending + c.pending, closed: t.closed + c.closed }),
    { open: 0, pending: 0, closed: 0 },
  );
}

/** selectedIndex is the 0-based position of the selected row in the conversation list. */
async function selectedIndex(page) {
  const row = page.locator('[role=listbox] .row[aria-selected=true]');
  await row.waitFor({ timeout: T });
  return Number(await row.getAttribute('aria-posinset')) - 1;
}

describe('inbox in a browser against the real backend', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e', { errors: consoleErrors });
    ({ server, page } = session);
  });

  // A clean SIGINT shutdown exits 0 and closes the database.
  after(() => session?.close());

  test('the inbox renders demo conversations with counts', async () => {
    const rows = page.locator('[role=listbox] .row');
    await rows.first().waitFor({ timeout: T });
    assert.ok((await rows.count()) >= 5, 'at least a screenful of rows');
    const names = await rows.locator('.name').allInnerTexts();
    assert.ok(names.slice(0, 5).every((n) => n.trim() !== ''), `every row shows an author name: ${names.slice(0, 5)}`);

    const want = totals(await server.call('InboxService', 'Stats'));
    assert.ok(want.open > 0 && want.closed > 0, 'the demo data has open and closed conversations');
    assert.equal(await sidebarCount(page, 'All open'), want.open);
    assert.equal(await sidebarCount(page, 'Closed'), want.closed);
    assert.equal(await sidebarCount(page, 'Pending'), want.pending);

    // The first row is the newest open conversation, as Go lists it.
    const first = (await server.call('InboxService', 'Conversations', {
      status: 'open', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
      unassigned: false, mine: false, order: 'newest', cursor: '', limit: 1,
    })).items[0];
    assert.equal(await rows.first().getAttribute('id'), `conv-${first.id}`);
    await screenshot(page, 'inbox.png');
  });

  test('triage with keys: j/k move, Enter opens, e closes', async () => {
    const before = totals(await server.call('InboxService', 'Stats'));
    await page.locator('[role=listbox]').focus();
    const start = await selectedIndex(page);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(await selectedIndex(page), start + 2, 'j j moves down two rows');
    await page.keyboard.press('k');
    assert.equal(await selectedIndex(page), start + 1, 'k moves up one');

    const row = page.locator('[role=listbox] .row[aria-selected=true]');
    const id = Number((await row.getAttribute('id')).replace('conv-', ''));
    await page.keyboard.press('Enter');
    const th = await server.call('InboxService', 'Thread', id);
    const cards = page.locator('section.thread .msg');
    await cards.first().waitFor({ timeout: T });
    assert.equal(await cards.count(), th.messages.length, 'the thread shows every message');
    const lastText = th.messages[th.messages.length - 1].text.trim().split('\n')[0].slice(0, 40);
    if (lastText) assert.ok((await page.locator('section.thread').innerText()).includes(lastText), `thread shows "${lastText}"`);
    assert.equal(await page.locator('section.thread .status').innerText(), 'Open');
    await screenshot(page, 'thread.png');

    await page.keyboard.press('e');
    await page.locator(`#conv-${id}`).waitFor({ state: 'detached', timeout: T });
    // The thread moves on with the highlight (the two never show different
    // conversations), and a toast offers to undo the close.
    await page.locator('[data-undo-toast]', { hasText: 'Conversation closed' }).waitFor({ timeout: T });
    assert.equal(
      await page.locator('[role=listbox] .row.open').getAttribute('id'),
      await page.locator('[role=listbox] .row[aria-selected=true]').getAttribute('id'),
      'the open thread is the highlighted row',
    );
    // The counts refresh after the action; wait for the new figure rather than sleeping.
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('nav.sidebar button.item')].some(
        (b) => b.querySelector('.label')?.textContent === 'Closed' && b.querySelector('.count')?.textContent.replace(/\D/g, '') === String(want)),
      before.closed + 1, { timeout: T },
    );
    assert.equal(await sidebarCount(page, 'All open'), before.open - 1);
    const stored = await server.call('InboxService', 'Thread', id);
    assert.equal(stored.conversation.status, 'closed', 'Go stored the close');
  });

  test('search: / focuses, Enter shows highlighted hits, a click opens, Esc returns', async () => {
    // A distinctive word from a real demo message, so the test follows the demo data.
    const page1 = await server.call('InboxService', 'Conversations', {
      status: 'open', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
      unassigned: false, mine: false, order: 'newest', cursor: '', limit: 20,
    });
    let word = '';
    for (const c of page1.items) {
      const th = await server.call('InboxService', 'Thread', c.id);
      const words = th.messages.flatMap((m) => m.text.match(/\p{L}{6,}/gu) ?? []);
      if (words.length > 0) {
        word = words.sort((a, b) => b.length - a.length)[0];
        break;
      }
    }
    assert.ok(word, 'found a word to search for');

    await page.locator('body').click({ position: { x: 5, y: 790 } }); // leave any input
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input', '/ focuses the search');
    await page.keyboard.type(word);
    await page.keyboard.press('Enter');

    const hits = page.locator('.hit');
    await hits.first().waitFor({ timeout: T });
    const marks = await page.locator('.hit mark').allInnerTexts();
    assert.ok(marks.length > 0, 'hits have highlighted words');
    const stem = word.toLowerCase().slice(0, 4);
    assert.ok(marks.some((m) => m.toLowerCase().includes(stem)), `a highlight matches "${word}": ${marks.slice(0, 5)}`);

    const goHits = await server.call('InboxService', 'Search', { text: word, channel: '', beforeId: 0, limit: 50 });
    assert.equal(await hits.count(), Math.min(goHits.length, await hits.count()));
    const hitId = Number((await hits.first().getAttribute('id')).replace('hit-', ''));
    assert.equal(hitId, goHits[0].messageId, 'the first hit is the newest message Go found');
    await hits.first().click();
    await page.locator(`section.thread #msg-${hitId}`).waitFor({ timeout: T });
    assert.ok(await page.locator(`#msg-${hitId}`).evaluate((el) => el.classList.contains('focused')), 'the hit message is focused');
    await screenshot(page, 'search.png');

    await page.keyboard.press('Escape');
    await hits.first().waitFor({ state: 'detached', timeout: T });
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    assert.equal(await page.locator('#search-input').inputValue(), '', 'Esc clears the search');
  });

  test('language switch changes UI strings to Russian and German', async () => {
    const lang = page.locator('nav.sidebar select').first();
    const placeholder = () => page.locator('#search-input').getAttribute('placeholder');
    const enPlaceholder = await placeholder();
    await lang.selectOption('ru');
    await page.locator('nav.sidebar .label', { hasText: 'Все открытые' }).waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    const ruPlaceholder = await placeholder();
    assert.notEqual(ruPlaceholder, enPlaceholder, 'the search placeholder is translated');
    assert.match(ruPlaceholder, /\p{Script=Cyrillic}/u);
    await screenshot(page, 'inbox-ru.png');

    await lang.selectOption('de');
    await page.locator('nav.sidebar .label', { hasText: 'Alle offenen' }).waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await page.locator('nav.sidebar .label', { hasText: 'Все открытые' }).count(), 0);
    const dePlaceholder = await placeholder();
    assert.ok(![enPlaceholder, ruPlaceholder].includes(dePlaceholder), `German placeholder "${dePlaceholder}"`);

    await lang.selectOption('en');
    await page.locator('nav.sidebar .label', { hasText: 'All open' }).waitFor({ timeout: T });
  });

  test('the list stays virtualized while scrolling; frame times', async (t) => {
    const viewport = page.locator('[role=listbox]');
    await viewport.waitFor({ timeout: T });
    const result = await viewport.evaluate(async (el) => {
      const deltas = [];
      let last = performance.now();
      const end = last + 2000;
      const step = 48; // px per frame, a brisk wheel scroll
      await new Promise((done) => {
        function frame(now) {
          deltas.push(now - last);
          last = now;
          // Bounce at the ends so the whole 2 s is scrolling; loading more pages happens on the way.
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0;
          else el.scrollTop += step;
          if (now < end) requestAnimationFrame(frame);
          else done();
        }
        requestAnimationFrame(frame);
      });
      return { deltas: deltas.slice(1), rows: el.querySelectorAll('.row').length, top: el.scrollTop };
    });
    const sorted = [...result.deltas].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50).toFixed(1);
    const p95 = percentile(sorted, 95).toFixed(1);
    t.diagnostic(`scroll frame times over ${sorted.length} frames: p50 ${p50} ms, p95 ${p95} ms (${result.rows} rows in the DOM)`);
    assert.ok(result.top > 0 || result.deltas.length > 0, 'the list scrolled');
    assert.ok(result.rows > 0 && result.rows < 60, `the list keeps fewer than 60 rows in the DOM, has ${result.rows}`);
    assert.ok(sorted.length > 10, 'requestAnimationFrame ran while scrolling');
  });

  test('no script errors in the page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});

describe('errors from Go reach the error banner', () => {
  let dir, server, browser;

  before(async () => {
    dir = tempDir('e2e-corrupt');
    const db = join(dir, 'broken.db');
    writeFileSync(db, 'this is not a database '.repeat(400));
    server = await startServer({ db, args: ['--no-demo'] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a corrupt database shows the Go error text', async () => {
    // What Go says, straight over the bridge: the banner must show this text.
    const goErr = await server.call('InboxService', 'Stats').then(
      () => assert.fail('Stats on a corrupt database succeeded'),
      (e) => e,
    );
    assert.equal(goErr.status, 500);
    assert.match(goErr.message, /corrupt|not a database/i);

    const page = await browser.context.newPage();
    await page.goto(server.pageUrl);
    const banner = page.locator('[role=alert] .banner').first();
    await banner.waitFor({ timeout: T });
    const text = await banner.innerText();
    assert.ok(text.includes(shownText(goErr.message)), `banner "${text}" shows the Go error "${goErr.message}"`);
    assert.equal(await page.locator('[role=listbox] .row').count(), 0);
  });
});
