// Page-local events on the team server (issue 16): an import's progress goes only to
// the page that started the import, not to the member's other tab or another
// member's page, while the change it makes (inbox:changed) reaches every page. Real
// server on PostgreSQL (startTeam), real Chromium, the bridge's own shim in each page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, startTeam, waitUntil } from './harness.mjs';

const T = 30_000;
let team, boToken;
const browsers = []; // one per member: a browser keeps one session cookie

before(async () => {
  team = await startTeam('team-page-events');
  boToken = await team.addMember('Bo', 'agent');
  browsers.push(await launchBrowser(), await launchBrowser());
});

after(async () => {
  for (const b of browsers) await b.close();
  await team?.stop();
});

/** open loads the team's app with token in a new tab of browser that records the events it gets. */
async function open(browser, token) {
  const page = await browser.context.newPage();
  await page.goto(`${team.server.url}/?token=${token}`);
  await page.waitForFunction(() => window.runtime && window.__stormdeskBridge, null, { timeout: T });
  await page.evaluate(() => {
    window.__got = [];
    for (const name of ['import:progress', 'inbox:changed']) window.runtime.EventsOn(name, (...data) => window.__got.push({ name, data }));
  });
  return page;
}

const got = (page, name) => page.evaluate((n) => window.__got.filter((e) => e.name === n), name);

test("an import's progress reaches only the page that started it", async () => {
  const [importer, sameMember, other] = [await open(browsers[0], team.admin), await open(browsers[0], team.admin), await open(browsers[1], boToken)];
  const pages = await Promise.all([importer, sameMember, other].map((p) => p.evaluate(() => window.__stormdeskBridge.page)));
  assert.equal(new Set(pages).size, 3, `each tab has its own page id: ${pages}`);

  const content = readFileSync(new URL('./testdata/import-small.csv', import.meta.url), 'utf8');
  const res = await importer.evaluate(
    (content) => window.go.main.ImportService.Import({ path: '', name: 'small.csv', content, format: 'csv', historical: false, columns: { id: 'id', text: 'text', time: 'time', author: 'author', thread: '', direction: 'direction', account: '' } }),
    content,
  );
  assert.ok(res.imported > 0, `the import stored messages: ${JSON.stringify(res)}`);

  // The change reaches every page; only then is the absence of progress elsewhere meaningful.
  for (const p of [importer, sameMember, other]) await waitUntil(async () => (await got(p, 'inbox:changed')).length > 0, { timeoutMs: T, what: 'inbox:changed on every page' });
  const progress = await got(importer, 'import:progress');
  assert.ok(progress.some((e) => e.data[0].done && e.data[0].file === 'small.csv'), `the importer saw its import finish: ${JSON.stringify(progress)}`);
  assert.deepEqual(await got(sameMember, 'import:progress'), [], "the member's other tab got no progress");
  assert.deepEqual(await got(other, 'import:progress'), [], "another member's page got no progress");
});
