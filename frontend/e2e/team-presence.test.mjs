// Presence on the team server (issue 17): two members, each in their own Chromium,
// on one real server (PostgreSQL cluster, `server init`, `server`, a Mastodon account
// at the fake). Bo opens the conversation Ada has open: Ada sees "Bo is viewing",
// then "Bo is typing…" once Bo starts a reply, each within 1 s, and the list row
// marks it; Ada's composer warns before she drafts a second reply. Bo's page going
// away ends it at once. Round-robin, switched on by the admin, gives a new conversation
// to the member online.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, runStormdesk, screenshot, startFakeAPI, startPGCluster, startTeamServer, tempDir, waitUntil } from './harness.mjs';

const T = 30_000;
const LATENCY_MS = 1000;

let pg, fake, server, dir, adaToken, boToken;
const browsers = [];
const errors = [];

before(async () => {
  dir = tempDir('team-presence');
  [pg, fake] = await Promise.all([startPGCluster(), startFakeAPI()]);
  const key = join(dir, 'secrets.key');
  const out = await runStormdesk(['server', 'init', '--db', pg.dsn, '--admin', 'Ada', '--secrets-key', key], { cwd: dir });
  adaToken = /\b[0-9a-f]{64}\b/.exec(out)?.[0];
  assert.ok(adaToken, `server init printed the admin's token:\n${out}`);
  const bo = await runStormdesk(['server', 'user', 'add', 'Bo', '--role', 'agent', '--db', pg.dsn], { cwd: dir });
  boToken = /\b[0-9a-f]{64}\b/.exec(bo)?.[0];
  assert.ok(boToken, `user add printed Bo's token:\n${bo}`);
  server = await startTeamServer({ dir, args: ['--db', pg.dsn, '--secrets-key', key] });
});

after(async () => {
  for (const b of browsers) await b.close();
  const exit = server ? await server.stop() : null;
  await fake?.stop();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server did not shut down cleanly after SIGTERM:\n${server.stderr}`);
});

async function call(token, service, method, ...args) {
  const res = await fetch(`${server.url}/bridge/call/${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  const body = await res.json();
  if (!res.ok) throw Object.assign(new Error(body.error), { status: res.status });
  return body.result;
}

/** member opens the team's inbox in a Chromium of their own, signed in with token. */
async function desktop(token) {
  const b = await launchBrowser();
  browsers.push(b);
  const page = await b.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} for ${r.url()}`));
  await page.goto(`${server.url}/?token=${token}`);
  return page;
}

/** within runs act, then waits for the locator on the other page; answers the ms it took. */
async function within(act, locator, what) {
  const start = Date.now();
  await act();
  await locator.waitFor({ timeout: T }).catch((e) => {
    throw new Error(`${what}: ${e.message}`);
  });
  const ms = Date.now() - start;
  console.log(`presence: ${what} in ${ms} ms`);
  return ms;
}

test('a member sees who else views and replies to a conversation within 1 s, and is warned before a second reply', async () => {
  await call(adaToken, 'AccountsService', 'Save', {
    name: 'acme-mastodon',
    channel: 'mastodon',
    brand: 'Acme',
    handle: '',
    settings: JSON.stringify({ baseUrl: fake.url }),
    secrets: { token: fake.token },
  });
  await waitUntil(async () => (await call(adaToken, 'InboxService', 'Conversations', { channel: 'mastodon' })).items?.length === 1, {
    timeoutMs: T,
    what: 'the seeded mention on the server',
  });

  const ada = await desktop(adaToken);
  const bo = await desktop(boToken);
  const row = (page) => page.locator('[role=listbox] .row', { hasText: 'Casey Customer' }).first();
  await row(ada).click({ timeout: T });
  await ada.locator('[data-action=open-composer]').waitFor({ timeout: T });
  await row(bo).waitFor({ timeout: T });
  // Both pages are online once they have beaten.
  await waitUntil(async () => (await call(adaToken, 'PresenceService', 'Online')).length === 2, { timeoutMs: T, what: 'both members online' });
  await ada.locator('[data-role=online]', { hasText: 'Also online: Bo' }).waitFor({ timeout: T });

  const viewing = await within(() => row(bo).click(), ada.locator('[data-role=presence] [data-role=viewing]', { hasText: 'Bo is viewing' }), 'Ada sees Bo viewing');
  assert.ok(viewing <= LATENCY_MS, `"Bo is viewing" took ${viewing} ms; want ≤ ${LATENCY_MS}`);
  await within(async () => {}, row(ada).locator('[data-role=viewers]'), "Ada's row marks a viewer");
  assert.equal((await row(ada).locator('[data-role=viewers]').textContent()).trim(), '1', "Ada's row marks one other viewer");
  await within(async () => {}, bo.locator('[data-role=presence]'), 'Bo sees a viewer');
  assert.match(await bo.locator('[data-role=presence]').textContent(), /Ada is viewing/, 'Bo sees Ada viewing too');

  // Bo starts a reply: an offline-template draft, then edits it.
  await bo.locator('[data-action=open-composer]').click({ timeout: T });
  const typing = await within(
    () => bo.locator('.composer [data-action=draft]').click({ timeout: T }),
    ada.locator('[data-role=presence] [data-role=typing]', { hasText: 'Bo is typing' }),
    'Ada sees Bo typing',
  );
  assert.ok(typing <= LATENCY_MS, `"Bo is typing…" took ${typing} ms; want ≤ ${LATENCY_MS}`);
  await bo.locator('#reply-text').waitFor({ timeout: T });
  await bo.locator('#reply-text').pressSequentially(' Thanks for waiting.', { delay: 30 });

  // Ada opens her composer: it warns first, and offers to go on.
  await ada.locator('[data-action=open-composer]').click({ timeout: T });
  const warn = ada.locator('[data-role=collision]');
  await warn.waitFor({ timeout: T });
  assert.match(await warn.textContent(), /Bo is replying to this conversation/);
  assert.equal(await ada.locator('.composer [data-action=draft]').count(), 0, 'no Draft button before Ada confirms');
  await screenshot(ada, 'presence.png');
  await ada.locator('[data-action=reply-anyway]').click();
  await ada.locator('.composer [data-action=draft]').waitFor({ timeout: T });

  // Bo's typing ends on its own a few seconds after the last key; viewing stays.
  await ada.locator('[data-role=presence] [data-role=typing]').waitFor({ state: 'detached', timeout: T });
  await ada.locator('[data-role=presence] [data-role=viewing]', { hasText: 'Bo is viewing' }).waitFor({ timeout: T });

  // An agent may not change assignment settings; the server refuses by hand as well.
  await assert.rejects(call(boToken, 'PresenceService', 'SaveAssignment', { roundRobin: true, cap: 1 }), (e) => e.status === 403);

  // Bo's page goes away (he navigates off it): it says so on its way out, and Ada's
  // header and row empty within 1 s instead of after the 30 s expiry.
  const start = Date.now();
  await bo.goto('about:blank');
  await ada.locator('[data-role=presence]').waitFor({ state: 'detached', timeout: T });
  const leftMs = Date.now() - start;
  console.log(`presence: Ada sees Bo gone in ${leftMs} ms`);
  assert.ok(leftMs <= LATENCY_MS, `Bo's leaving took ${leftMs} ms to show; want ≤ ${LATENCY_MS}`);
  assert.equal(await row(ada).locator('[data-role=viewers]').count(), 0, "Ada's row no longer marks a viewer");
  // Round-robin, switched on by the admin in Settings: Bo is offline now, so a new
  // conversation goes to Ada, the one member online; the old one stays unassigned.
  await ada.locator('nav.sidebar .screen[data-screen=settings]').click();
  const section = ada.locator('[data-role=assignment]');
  await section.waitFor({ timeout: T });
  await section.locator('[data-role=round-robin]').check();
  await section.locator('[data-role=assignment-cap]').fill('3');
  await section.locator('[data-action=save-assignment]').click();
  await section.getByRole('status').waitFor({ timeout: T });
  assert.deepEqual(await call(adaToken, 'PresenceService', 'Assignment'), { roundRobin: true, cap: 3 });
  await waitUntil(async () => (await call(adaToken, 'PresenceService', 'Online')).join() === 'Ada', { timeoutMs: T, what: 'Bo offline' });
  const text = `round-robin probe ${Math.random().toString(36).slice(2, 8)}`;
  const res = await fetch(`${fake.inspect}/mention?text=${encodeURIComponent(`@acme ${text}`)}`, { method: 'POST' });
  assert.equal(res.status, 200, 'the fake took the status');
  const assigned = await waitUntil(
    async () => {
      const c = (await call(adaToken, 'InboxService', 'Conversations', { channel: 'mastodon' })).items.find((i) => i.snippet.includes(text));
      return c?.assignee ? c : null;
    },
    { timeoutMs: T, what: 'the new conversation to be assigned' },
  );
  assert.equal(assigned.assignee, 'Ada', 'round-robin gave the new conversation to the member online');
  const all = (await call(adaToken, 'InboxService', 'Conversations', { channel: 'mastodon' })).items;
  assert.equal(all.find((i) => i.author.displayName === 'Casey Customer' && !i.snippet.includes(text))?.assignee, '', 'the conversation from before stays unassigned');

  assert.deepEqual(errors, [], 'no script errors or failed requests in the pages');
});
