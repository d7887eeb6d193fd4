// Brand listening in a browser, against the real binary (`stormdesk serve`) on the demo
// data (docs/listening.md): the demo topic's mentions from several sources with their
// tonality, a query error worded at its place in the user's language, correcting a
// tonality, turning a mention into an inbox conversation with `c`, and adding an RSS
// source in Settings (a feed served by this test) that the poller reads. The poller
// looks for each source's secrets in the OS keyring: run under a Secret Service (the
// Makefile's throwaway gnome-keyring).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { openSession, screenshot, waitUntil } from './harness.mjs';

const T = 30_000; // bounds a hang, not a timing assertion

const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Reviews</title><link>http://reviews.example/</link><description>r</description>
<item><title>Aurora Air review</title><link>http://reviews.example/1</link><guid>rev-1</guid>
<pubDate>${new Date(Date.now() - 3600_000).toUTCString()}</pubDate><description>Flew Aurora Air last week, the crew was kind.</description></item>
</channel></rss>`;

async function go(page, key) {
  await page.locator('body').click({ position: { x: 5, y: 790 } }); // leave any input
  await page.keyboard.press('g');
  await page.keyboard.press(key);
}

describe('brand listening in a browser', () => {
  let session, server, page, feed, feedUrl;
  const feedHits = [];
  const consoleErrors = [];

  before(async () => {
    feed = createServer((req, res) => {
      feedHits.push(req.url);
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        res.end(FEED);
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html><body>not a feed</body></html>');
      }
    });
    await new Promise((r) => feed.listen(0, '127.0.0.1', r));
    feedUrl = `http://127.0.0.1:${feed.address().port}`;
    session = await openSession('e2e-listening', { errors: consoleErrors });
    ({ server, page } = session);
  });

  after(async () => {
    await session?.close();
    await new Promise((r) => feed?.close(r));
  });

  test('the demo topic shows mentions from four sources or more, each with its tonality', async () => {
    const topics = await server.call('ListeningService', 'Topics');
    const brand = topics.find((t) => t.kind === 'brand');
    assert.ok(brand, 'the demo has a brand topic');
    await go(page, 'l');
    await page.locator('[data-listening-screen]').waitFor({ timeout: T });
    await page.locator('.topics button.topic', { hasText: brand.name }).click();
    const items = page.locator('[data-mention-list] > li');
    await items.first().waitFor({ timeout: T });
    const sources = new Set(await items.locator('.meta .src').allInnerTexts());
    assert.ok(sources.size >= 4, `mentions from ${[...sources].join(', ')}`);
    const n = await items.count();
    const tones = await items.locator('[data-action=sentiment-menu] .dot').evaluateAll((els) => els.map((e) => e.className));
    assert.equal(tones.length, n, 'every mention shows its tonality');
    assert.ok(tones.every((c) => /s-(negative|neutral|positive)/.test(c)), `tonalities: ${tones.slice(0, 5).join(' | ')}`);
    await screenshot(page, 'listening.png');
  });

  test('a mention’s tonality is corrected and Go keeps it', async () => {
    const item = page.locator('[data-mention-list] > li').first();
    const id = Number(await item.getAttribute('data-mention'));
    const page1 = await server.call('ListeningService', 'Mentions', { topicId: 0, source: '', sentiment: '', lang: '', limit: 200 }, '');
    const before = page1.mentions.find((m) => m.id === id);
    assert.ok(before, 'Go lists the first mention shown');
    const label = before.sentiment === 'positive' ? 'negative' : 'positive';
    await item.locator('[data-action=sentiment-menu]').click();
    await item.locator(`[role=menu] [data-label=${label}]`).click();
    const mark = item.locator('[data-corrected]');
    await mark.waitFor({ timeout: T });
    assert.equal(await mark.getAttribute('data-corrected'), label);
    const after = await server.call('ListeningService', 'Mentions', { topicId: 0, source: '', sentiment: label, lang: '', limit: 200 }, '');
    const m = after.mentions.find((x) => x.id === id);
    assert.ok(m && m.corrected && m.sentiment === label, 'Go stored the corrected tonality');
  });

  test('c turns an answerable mention into a conversation that the inbox shows', async () => {
    const items = page.locator('[data-mention-list] > li');
    const answerable = await items.evaluateAll((els) => els.findIndex((e) => e.querySelector('[data-answer]')));
    assert.ok(answerable >= 0, 'the demo topic has an answerable mention');
    const item = items.nth(answerable);
    const id = Number(await item.getAttribute('data-mention'));
    const text = (await item.locator('.text').innerText()).trim();
    await page.locator('[data-mention-list]').focus();
    for (let i = 0; i < answerable; i++) await page.keyboard.press('j');
    assert.equal(await item.getAttribute('aria-current'), 'true', 'j selected the answerable mention');
    await page.keyboard.press('c');
    const open = item.locator('button', { hasText: 'Open the conversation' });
    await open.waitFor({ timeout: T });
    const listed = await server.call('ListeningService', 'Mentions', { topicId: 0, source: '', sentiment: '', lang: '', limit: 200 }, '');
    const conv = listed.mentions.find((m) => m.id === id)?.conversationId;
    assert.ok(conv > 0, 'Go linked the mention to a conversation');
    await open.click();
    await page.locator(`#conv-${conv}`).waitFor({ timeout: T });
    await page.locator('section.thread').waitFor({ timeout: T });
    await waitUntil(async () => (await page.locator('section.thread').innerText()).includes(text.slice(0, 40)), {
      timeoutMs: T,
      what: 'the thread to show the mention’s text',
    });
  });

  test('a topic query with an error is worded at its place in the user’s language', async () => {
    await page.locator('nav.sidebar select').first().selectOption('ru');
    await go(page, 'l');
    await page.locator('[data-listening-screen]').waitFor({ timeout: T });
    await page.locator('[data-new-topic]').click();
    const q = page.locator('[data-topic-editor] textarea');
    await q.fill('aurora AND (jets');
    const check = page.locator('[data-query-check]');
    // The parenthesis is the 12th character: the message names that place, in Russian.
    await waitUntil(async () => (await check.innerText()).trim() === 'У скобки в позиции 12 нет пары.', { timeoutMs: T, what: 'the check to name character 12 in Russian' });
    assert.equal(await q.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('[data-topic-editor] button[type=submit]').isDisabled(), true, 'a refused query cannot be saved');
    await page.locator('[data-topic-editor] button', { hasText: 'Отмена' }).click();
    await page.locator('nav.sidebar select').first().selectOption('en');
  });

  test('an RSS source added in Settings is listed with its status once polled', async () => {
    await go(page, 's');
    const section = page.locator('[data-role=listening-sources]');
    await section.waitFor({ timeout: T });
    const add = async (name, url) => {
      await section.locator('[data-action=add-source]').click();
      await section.locator('[data-field=kind]').selectOption('rss');
      await section.locator('[data-field=name]').fill(name);
      await section.locator('[data-field=url]').fill(url);
      await section.locator('[data-action=save-source]').click();
      await section.locator(`[data-role=source-row][data-source="${name}"]`).waitFor({ timeout: T });
    };
    await add('Reviews', `${feedUrl}/feed.xml`);
    await add('Not a feed', `${feedUrl}/page.html`);
    const status = (name) => section.locator(`[data-role=source-row][data-source="${name}"] [data-role=source-status]`);
    // The poller asks due sources every 30 s at most; the wait only bounds a hang.
    await waitUntil(async () => (await status('Reviews').innerText()) === 'Working', { timeoutMs: 90_000, what: 'the feed source to be polled' }).catch(async (e) => {
      throw new Error(`${e.message}: status ${await status('Reviews').innerText()}, hits ${feedHits}, Go ${JSON.stringify(await server.call('ListeningService', 'Sources'))}\n${server.stderr.slice(-3000)}`);
    });
    await waitUntil(async () => (await status('Not a feed').innerText()).startsWith('This address does not give a readable RSS or Atom feed.'), {
      timeoutMs: 90_000,
      what: 'the page source to show its error',
    });
    const reviews = section.locator('[data-role=source-row][data-source="Reviews"]');
    const polled = (await server.call('ListeningService', 'Sources')).find((s) => s.name === 'Reviews');
    assert.ok(polled.nextPoll && new Date(polled.nextPoll) > new Date(polled.polledAt), `a working source is polled again later: ${JSON.stringify(polled)}`);
    assert.notEqual(await reviews.locator('[data-role=next-poll]').innerText(), 'soon', 'the next poll shows a time');
    assert.equal(await reviews.locator('[data-role=remaining]').innerText(), 'unknown', 'a feed reports no quota');
    assert.ok(feedHits.includes('/feed.xml') && feedHits.includes('/page.html'), `the poller read both addresses: ${feedHits}`);
    const sources = await server.call('ListeningService', 'Sources');
    assert.equal(sources.find((s) => s.name === 'Not a feed').errorCode, 'feed-unreadable');
    await screenshot(page, 'listening-sources.png');
    assert.deepEqual(consoleErrors, []);
  });
});
