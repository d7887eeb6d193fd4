// Members and invitations (issue 17, part 1) on a real team server: `stormdesk server`
// on a real PostgreSQL cluster (backend/e2e/cmd/pgcluster), the admin in one Chromium
// invites from Settings → Members, a second Chromium (its own profile: another person)
// opens the invitation link, whose page redeems the code with POST /join and signs it in,
// and the new member shows up in the admin's list;
// the agent's Invite sent by hand is refused 403.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, runStormdesk, screenshot, startPGCluster, startTeamServer, tempDir } from './harness.mjs';

const T = 30_000;

let pg, server, admin, invitee, dir, token;
const errors = [];

before(async () => {
  dir = tempDir('team-members');
  pg = await startPGCluster();
  const key = join(dir, 'secrets.key');
  const out = await runStormdesk(['server', 'init', '--db', pg.dsn, '--admin', 'Ada', '--secrets-key', key], { cwd: dir });
  token = /\b[0-9a-f]{64}\b/.exec(out)?.[0];
  assert.ok(token, `server init printed the admin's token:\n${out}`);
  server = await startTeamServer({ dir, args: ['--db', pg.dsn, '--secrets-key', key] });
});

after(async () => {
  await admin?.close();
  await invitee?.close();
  const exit = server ? await server.stop() : null;
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server did not shut down cleanly after SIGTERM:\n${server.stderr}`);
});

/** callAs invokes a bound Go method on the server by hand, as curl would. */
async function callAs(bearer, service, method, ...args) {
  const res = await fetch(`${server.url}/bridge/call/${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

async function openMembers(page) {
  await page.locator('nav.sidebar .screen[data-screen=settings]').click();
  await page.locator('.settings-screen').waitFor({ timeout: T });
  await page.locator('[data-role=members]').waitFor({ timeout: T });
}

test('an admin invites, another browser joins with the code and is listed; an agent cannot invite', async () => {
  admin = await launchBrowser();
  const page = await admin.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/?token=${token}`);
  await openMembers(page);
  assert.deepEqual(await page.locator('[data-member]').evaluateAll((rows) => rows.map((r) => r.dataset.member)), ['Ada']);

  await page.locator('[data-role=invite-form] select[name=role]').selectOption('agent');
  await page.locator('[data-action=create-invite]').click();
  const code = (await page.locator('[data-role=invite-code]').textContent({ timeout: T })).trim();
  const link = (await page.locator('[data-role=invite-link]').textContent()).trim();
  assert.match(code, /^[a-z2-7]{5}(-[a-z2-7]{1,5}){5}$/);
  assert.equal(link, `${server.url}/join?code=${code}`);
  await page.locator('[data-invite][data-state=open]').waitFor({ timeout: T });

  // The second person: another browser profile, on the server's origin, no token.
  invitee = await launchBrowser();
  const other = await invitee.context.newPage();
  other.on('pageerror', (e) => errors.push(String(e)));
  await other.goto(`${server.url}/healthz`);
  const join = (body) =>
    other.evaluate(async (b) => {
      const r = await fetch('/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
      return { status: r.status, body: await r.json() };
    }, body);
  const short = await join({ code, name: 'Ann', password: 'short' });
  assert.equal(short.status, 400, 'a short password is refused before the code is used');

  // The link opens the join page; its form posts /join and, joined, opens the app as Ann.
  await other.goto(link);
  assert.equal(await other.locator('#code').inputValue(), code);
  await other.locator('#name').fill('Ann');
  await other.locator('#password').fill('ann’s long passphrase');
  await other.locator('button[type=submit]').click();
  await other.locator('nav.sidebar').waitFor({ timeout: T });
  // Info() answers after the sidebar is drawn (on a loaded machine, after presence too).
  await other.locator('nav.sidebar .me', { hasText: /Signed in as Ann/ }).waitFor({ timeout: T });
  const again = await join({ code, name: 'Bob' });
  assert.equal(again.status, 401);
  assert.match(again.body.error, /invite-invalid/);
  await openMembersAsAgent(other);
  // Joining set the session cookie: its value is Ann's access token.
  const annToken = (await invitee.context.cookies(server.url)).find((c) => c.name.startsWith('stormdesk'))?.value;
  assert.ok(annToken, 'the join set a session cookie');
  const info = await callAs(annToken, 'AppService', 'Info');
  assert.equal(info.body.result.me, 'Ann');

  // The admin's list shows Ann and the used invitation without a reload (the team:members event).
  await page.locator('[data-member=Ann]').waitFor({ timeout: T });
  assert.match(await page.locator('[data-member=Ann]').textContent(), /Agent[\s\S]*active[\s\S]*set/);
  assert.match(await page.locator('[data-invite][data-state=used]').textContent(), /Used by Ann/);
  await page.locator('[data-role=members]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'members.png');

  // The agent's Invite sent by hand is refused by the server.
  const refused = await callAs(annToken, 'TeamService', 'Invite', 'admin', '', 0);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /role-required/);
  assert.deepEqual(errors, [], 'no script errors in the pages');
});

async function openMembersAsAgent(page) {
  // The section decides from Members()'s answer; wait for it, then for the page to settle.
  const answered = page.waitForResponse((r) => r.url().endsWith('/bridge/call/TeamService/Members'), { timeout: T });
  await page.locator('nav.sidebar .screen[data-screen=settings]').click({ timeout: T });
  const res = await answered;
  assert.equal(res.status(), 200, 'an agent may read the member list');
  assert.ok((await res.json()).result.some((m) => m.me && m.name === 'Ann' && m.role === 'agent'));
  await page.locator('.settings-screen [data-role=roles]').waitFor({ timeout: T });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.equal(await page.locator('[data-role=members]').count(), 0, 'an agent sees no Members section');
}
