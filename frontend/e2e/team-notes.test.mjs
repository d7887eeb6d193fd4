// Notes with @mentions and assignment between two members of one team (issue 17): a real
// PostgreSQL cluster, `stormdesk server`, the Mastodon fake for one conversation, and two
// Chromium browsers: A signed in as the admin Ada, B as the agent Bo Lee. A writes a note
// mentioning Bo (completed from "@bo"); B's page shows a desktop notification and the
// Mentions count within 1 s, and the mention opens the note. A assigns the conversation
// to Bo from the list; both pages show it (the time is logged), and it is in B's "Mine".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMastodonAccount, launchBrowser, screenshot, startTeam, waitUntil } from './harness.mjs';

const ACCOUNT = 'acme-mastodon';
const AGENT = 'Bo Lee';
const T = 30_000;

let team, server, adminToken, agentToken;
const browsers = [];
const errors = [];

before(async () => {
  team = await startTeam('team-notes');
  ({ server, admin: adminToken } = team);
  agentToken = await team.addMember(AGENT, 'agent');
});

after(async () => {
  for (const b of browsers) await b.close();
  await team?.stop();
});

const call = (...args) => team.call(...args);

/**
 * openAs opens the inbox in a browser of its own signed in with token. The page's
 * Notification is a recorder (the headless server has no desktop to notify on, so the
 * page falls back to the Web Notifications API): window.__notified lists what was shown
 * and when, by the page's clock.
 */
async function openAs(token) {
  const b = await launchBrowser();
  browsers.push(b);
  await b.context.addInitScript(() => {
    window.__notified = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title, options = {}) {
        window.__notified.push({ title, body: options.body ?? '', tag: options.tag ?? '', at: Date.now() });
      }
    };
  });
  const page = await b.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} for ${r.url()}`));
  await page.goto(`${server.url}/?token=${token}`);
  await page.locator('[role=listbox] .row', { hasText: 'Casey Customer' }).first().waitFor({ timeout: T });
  return page;
}

let a, b, convId;

test('two members open the team inbox', async () => {
  await addMastodonAccount(team, ACCOUNT);
  const convs = await waitUntil(
    async () => {
      const items = (await call(adminToken, 'InboxService', 'Conversations', { channel: 'mastodon' })).items ?? [];
      return items.length === 1 && items;
    },
    { timeoutMs: T, what: 'the seeded mention on the server' },
  );
  convId = convs[0].id;
  assert.deepEqual(await call(agentToken, 'InboxService', 'Assignees'), ['Ada', AGENT], 'the members, to assign to and mention');
  [a, b] = await Promise.all([openAs(adminToken), openAs(agentToken)]);
});

test("A's note mentioning the agent notifies the agent's page and counts in Mentions within 1 s", async () => {
  await a.locator('[role=listbox] .row', { hasText: 'Casey Customer' }).first().click();
  await a.locator('section.thread .head h2').waitFor({ timeout: T });
  await a.keyboard.press('n');
  const area = a.locator('#note-body');
  await area.waitFor({ timeout: T });
  await area.pressSequentially('Please call back, @bo');
  const option = a.locator(`[data-mention-option="${AGENT}"]`);
  await option.waitFor({ timeout: T });
  await area.press('Enter');
  assert.equal(await area.inputValue(), `Please call back, @${AGENT} `, 'Enter completes the name');
  await area.pressSequentially('knows the order.');

  const saved = a.waitForResponse((r) => r.url().includes('/bridge/call/InboxService/AddNote'));
  await area.press('Control+Enter');
  const res = await saved;
  const savedAt = Date.now();
  assert.equal(res.status(), 200);
  const note = (await res.json()).result;
  assert.deepEqual(note.mentions, [AGENT]);
  await a.locator(`[data-note="${note.id}"] mark[data-mention="${AGENT}"]`).waitFor({ timeout: T });

  const shown = await waitUntil(async () => (await b.evaluate(() => window.__notified)).find((n) => n.tag === `mention:${note.id}`), {
    timeoutMs: T,
    intervalMs: 20,
    what: "the agent's notification",
  });
  assert.match(shown.title, /Ada/);
  assert.match(shown.body, /Please call back, @Bo Lee knows the order\./);
  await b.locator('[data-mentions-badge]', { hasText: '1' }).waitFor({ timeout: T });
  const latency = shown.at - savedAt;
  console.log(`team notes: note saved → agent notified in ${latency} ms`);
  assert.ok(latency <= 1000, `the notification came ${latency} ms after the note was saved; want ≤ 1000 ms`);
  assert.deepEqual(
    (await a.evaluate(() => window.__notified)).filter((n) => n.tag.startsWith('mention:')),
    [],
    'the author is not notified',
  );
  assert.equal(await a.locator('[data-mentions-badge]').count(), 0, 'the author has no mention');

  // The Mentions view opens the note's conversation and marks it read.
  await b.locator('[data-view=mentions]').click();
  const row = b.locator(`[data-mention-note="${note.id}"]`);
  await row.waitFor({ timeout: T });
  assert.equal(await row.getAttribute('data-unread'), '');
  assert.match(await row.innerText(), /Casey Customer/, 'the row says whose conversation the note is on');
  await row.click();
  await b.locator(`[data-note="${note.id}"] mark.me[data-mention="${AGENT}"]`).waitFor({ timeout: T });
  await b.locator('[data-mentions-badge]').waitFor({ state: 'detached', timeout: T });
  await screenshot(b, 'mentions.png');
  const mine = await call(agentToken, 'InboxService', 'Mentions');
  assert.equal(mine.length, 1);
  assert.ok(mine[0].readAt, 'the mention is read on the server');
  assert.deepEqual(await call(adminToken, 'InboxService', 'Mentions'), [], "the admin's mentions stay empty");
});

test('A assigns the conversation to the agent from the list: both pages show it', async () => {
  await a.locator('[role=listbox]').focus();
  await a.keyboard.press('x');
  await a.locator('[data-bulk=assign-to]').click();
  const menu = a.locator('[data-assign-menu]');
  await menu.waitFor({ timeout: T });
  const offered = await menu.locator('button[data-assignee]').evaluateAll((bs) => bs.map((x) => x.getAttribute('data-assignee')));
  assert.deepEqual(offered, ['Ada', AGENT, ''], 'the members, then nobody');
  const assigned = a.waitForResponse((r) => r.url().includes('/bridge/call/InboxService/Triage'));
  await menu.locator(`button[data-assignee="${AGENT}"]`).click();
  assert.equal((await assigned).status(), 200);
  const at = Date.now();

  // B has the conversation open (from the Mentions view): its header names the agent.
  await b.locator('section.thread .assignee strong', { hasText: AGENT }).waitFor({ timeout: T });
  const seenB = Date.now() - at;
  await a.locator('section.thread .assignee strong', { hasText: AGENT }).waitFor({ timeout: T });
  // Logged, not asserted: the page refreshes on "inbox:changed" after a 250 ms debounce,
  // and on a loaded machine the refresh's calls take the rest of a second or more.
  console.log(`team notes: assignment → shown on the agent's page in ≤ ${seenB} ms`);

  // "Mine" is the agent's own on B.
  await b.locator('[data-view=mentions]').click();
  await b.locator('[data-view=mine]').click();
  await b.locator(`[role=listbox] #conv-${convId}`).waitFor({ timeout: T });
  const mineA = await call(adminToken, 'InboxService', 'Conversations', { mine: true });
  assert.equal(mineA.items?.length ?? 0, 0, "the admin's Mine is empty");
  assert.deepEqual(errors, [], 'no script errors or failed requests in the pages');
});
