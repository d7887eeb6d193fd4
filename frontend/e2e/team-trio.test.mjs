// Three desktops run one team (issue 17's end-to-end test): a real PostgreSQL
// cluster, one `stormdesk server` and the Mastodon fake; two Chromium pages,
// Ann (agent, the community manager) and Pete (approver, the PR lead); and the
// built binary's window under Xvfb as the third member, Cy, who joins through
// the window's Join screen with an invitation code (the desktop's real
// POST /join). Pete sees Ann viewing and typing, Ann submits, Pete is notified,
// approves from the shared queue and the fake receives the reply once; Ann's
// approval sent by hand with curl is refused; Ann's note mentioning Pete
// notifies him; Cy's window shows as online in the pages. Then Cy is disabled:
// the window says so and its "Join again" (pressed with the keyboard) takes it
// back to its first screen; Pete, disabled in his browser, is told as well.
//
// Why a node test starts the window, not a Go window test the browsers: the
// browsers need playwright, and the window only needs a display, a keyring and
// keys, which are a few processes (window.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { addMastodonAccount, callAs, launchBrowser, recordNotifications, runStormdesk, SCREENSHOT_DIR, startTeam, tempDir, waitUntil } from './harness.mjs';
import { colours, saveShot, screenshot, settled, startWindow, startXvfb } from './window.mjs';

const ACCOUNT = 'acme-mastodon';
const T = 30_000; // per wait; bounds a hang, not a timing assertion

let team, ann, pete, xvfb, win, home, shots, passed;
const browsers = [];
const errors = [];

before(async () => {
  for (const tool of ['curl', 'xdotool', 'import', 'gnome-keyring-daemon', 'dbus-run-session', 'Xvfb']) {
    assert.equal(spawnSync('sh', ['-c', `command -v ${tool}`]).status, 0, `${tool} is needed: make deps-apt-test`);
  }
  team = await startTeam('team-trio');
  ann = await team.addMember('Ann', 'agent');
  pete = await team.addMember('Pete', 'approver');
  await addMastodonAccount(team, ACCOUNT);
  xvfb = await startXvfb();
  shots = tempDir('team-trio-shots');
  console.log(`team trio: the window's screens go to ${shots}`);
});

after(async () => {
  for (const b of browsers) await b.close();
  await win?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  await xvfb?.stop();
  await team?.stop();
  // The window's screens stay for a failed run (their directory is in the log).
  if (passed) rmSync(shots, { recursive: true, force: true });
});

/** keep saves the window's screen for this run, and to docs/screenshots when STORMDESK_SCREENSHOTS=1. */
function keep(png, name) {
  saveShot(png, shots, name);
  if (process.env.STORMDESK_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    saveShot(png, SCREENSHOT_DIR, `team-window-${name}`);
  }
  return png;
}

const admin = (service, method, ...args) => team.call(team.admin, service, method, ...args);

/** openAs opens the server's page in a Chromium of its own, signed in with token. */
async function openAs(token, name) {
  const b = await launchBrowser();
  browsers.push(b);
  await b.context.addInitScript(recordNotifications);
  const page = await b.context.newPage();
  page.on('pageerror', (e) => errors.push(`${name}: ${e}`));
  await page.goto(`${team.server.url}/?token=${token}`);
  return page;
}

/** mention posts a status mentioning the brand at the fake and waits for its conversation on the server. */
async function mention(text) {
  const res = await fetch(`${team.fake.inspect}/mention?text=${encodeURIComponent(`@acme ${text}`)}`, { method: 'POST' });
  assert.equal(res.status, 200, 'the fake took the status');
  return waitUntil(async () => (await admin('InboxService', 'Conversations', { channel: 'mastodon', limit: 100 })).items.find((c) => c.snippet.includes(text))?.id, {
    timeoutMs: T,
    what: `the conversation of "${text}" on the server`,
  });
}

test('a manager drafts, the PR lead approves, the reply goes out once; presence, mentions and refusals reach every desktop, the window among them', async () => {
  const first = 'my order 5120 arrived broken';
  const conv = await mention(first);

  // The window: its first screen, "Join a team", the invitation code an admin made.
  const invite = await admin('TeamService', 'Invite', 'agent', 'Cy', 24);
  assert.ok(invite.code, 'an invitation code');
  home = tempDir('team-trio-window');
  win = startWindow(process.env.STORMDESK_BIN, xvfb.display, home);
  await win.until('offer=true');
  await settled(xvfb.display);
  win.keys('Tab', 'Return'); // "Work alone" has the focus; "Join a team"
  await settled(xvfb.display);
  win.type(team.server.url); // the address has the focus; an invitation code is the default
  win.keys('Tab', 'Tab');
  win.type(invite.code);
  win.keys('Tab');
  win.type('Cy');
  win.keys('Tab');
  win.type('a long passphrase for Cy');
  keep(await settled(xvfb.display), 'join-code.png');
  win.keys('Return');
  await win.until('joined a team');
  await win.until('team page served');
  assert.match(win.logs(), /joined a team" .*member=Cy role=agent/, 'the window joined as the invited member');
  const members = await admin('TeamService', 'Members');
  assert.ok(
    members.some((m) => m.name === 'Cy' && m.role === 'agent'),
    `the invitation made the member: ${JSON.stringify(members)}`,
  );
  assert.equal((await admin('TeamService', 'Invites')).find((i) => i.id === invite.id)?.usedAt ? 'used' : 'open', 'used', 'the code is used up');

  // Ann and Pete in their browsers; the window's member is online for them.
  const pageA = await openAs(ann, 'Ann');
  const pageB = await openAs(pete, 'Pete');
  await pageB.locator('[data-role=online]', { hasText: 'Cy' }).waitFor({ timeout: T });
  await pageA.locator('[data-role=online]', { hasText: 'Cy' }).waitFor({ timeout: T });
  const windowShot = await settled(xvfb.display);
  keep(windowShot, 'inbox.png');
  assert.ok(colours(windowShot) > 400, "the window shows the team's inbox, not a blank or error page");

  // Presence: Pete has the conversation open and sees Ann view it and start a reply.
  const row = (page) => page.locator('[role=listbox] .row', { hasText: first }).first();
  await row(pageB).click({ timeout: T });
  await row(pageA).click({ timeout: T });
  await pageB.locator('[data-role=presence] [data-role=viewing]', { hasText: 'Ann is viewing' }).waitFor({ timeout: T });
  await pageA.keyboard.press('r');
  const composerA = pageA.locator('section.composer');
  await composerA.locator('button[data-action=draft]').click({ timeout: T });
  await pageB.locator('[data-role=presence] [data-role=typing]', { hasText: 'Ann is typing' }).waitFor({ timeout: T });
  // Pete moves on to another conversation and comes back through the queue. (A thread kept
  // open while a colleague's reply changes state is team-live.test.mjs's case.)
  await pageB.locator('[role=listbox] .row').filter({ hasNotText: first }).first().click({ timeout: T });
  await composerA.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
  const text = `Sorry about order 5120, a replacement is on its way (${Date.now().toString(36)}).`;
  await composerA.locator('textarea').fill(text);
  await composerA.locator('button[data-action=submit]').click();
  await composerA.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
  const [pending] = await admin('ComposeService', 'ApprovalQueue');
  assert.equal(pending?.reply.conversationId, conv, 'the server lists the submitted reply');
  const id = pending.reply.id;

  // Ann's approval sent by hand (curl, her token): refused by the server before anything ran.
  const curl = spawnSync('curl', [
    '-s', '-w', '\n%{http_code}', '-X', 'POST', `${team.server.url}/bridge/call/ComposeService/Step`,
    '-H', `Authorization: Bearer ${ann}`, '-H', 'Content-Type: application/json',
    '--data', JSON.stringify([{ replyId: id, action: 'approve', text: '', comment: '', checklist: [] }]),
  ], { encoding: 'utf8' });
  const [body, status] = curl.stdout.trim().split('\n');
  assert.equal(status, '403', `curl with the agent's token: ${curl.stdout}${curl.stderr}`);
  assert.match(JSON.parse(body).error, /"code":"role-required"/);
  assert.equal((await admin('ComposeService', 'Replies', conv)).find((r) => r.id === id)?.state, 'submitted', 'the refused approval changed nothing');

  // Pete: notified, approves from the shared queue; the fake receives the reply once.
  await pageB.waitForFunction((tag) => window.__notes.some((n) => n.tag === tag), `approval:${id}`, { timeout: T });
  await pageB.locator('[data-screen=crisis]').click();
  await pageB.locator(`[data-approval-queue] [data-reply-id="${id}"]`).click({ timeout: T });
  await pageB.locator('section.composer[data-state=submitted] [data-action=open-composer]').click({ timeout: T });
  await pageB.locator('section.composer[data-state=submitted] button[data-action=approveSend]').click({ timeout: T });
  await waitUntil(async () => (await admin('ComposeService', 'Replies', conv)).find((r) => r.id === id)?.state === 'sent', {
    timeoutMs: T,
    what: 'the approved reply to be sent',
  });
  const posted = (await team.fake.posted()).filter((p) => p.Status.includes(text));
  assert.equal(posted.length, 1, `the fake received the reply exactly once: ${JSON.stringify(posted)}`);
  const audit = await admin('ComposeService', 'Audit', id);
  assert.ok(audit.some((e) => e.action === 'submit' && e.who === 'Ann') && audit.some((e) => e.action === 'approve' && e.who === 'Pete'), 'the audit names both members');

  // Ann's note mentioning Pete notifies him.
  await pageA.keyboard.press('n');
  const area = pageA.locator('#note-body');
  await area.waitFor({ timeout: T });
  await area.pressSequentially('Pete, the customer may post about it, @pete');
  await pageA.locator('[data-mention-option="Pete"]').waitFor({ timeout: T });
  await area.press('Enter');
  const saved = pageA.waitForResponse((r) => r.url().includes('/bridge/call/InboxService/AddNote'));
  await area.press('Control+Enter');
  const note = (await (await saved).json()).result;
  assert.deepEqual(note.mentions, ['Pete']);
  await pageB.waitForFunction((tag) => window.__notes.some((n) => n.tag === tag), `mention:${note.id}`, { timeout: T });

  // Cy is disabled: the window says so and offers to join again, which it does from the keyboard.
  await runStormdesk(['server', 'user', 'disable', 'Cy', '--db', team.pg.dsn], { cwd: team.dir });
  await win.until('team access refused', 60_000);
  assert.match(win.logs(), /team access refused" .*code=member-disabled/, 'the window knows why');
  keep(await settled(xvfb.display), 'access-lost.png');
  win.keys('Return'); // the banner's "Join again" has the focus
  await win.until('left the team');
  await waitUntil(() => (win.logs().match(/offer=true/g) ?? []).length >= 2, { timeoutMs: T, what: `the first screen again:\n${win.logs()}` });
  keep(await settled(xvfb.display), 'join-again.png');

  // Pete disabled in his browser: the page says so instead of failing each call.
  assert.equal((await callAs(team.server, pete, 'AppService', 'Info')).status, 200);
  await runStormdesk(['server', 'user', 'disable', 'Pete', '--db', team.pg.dsn], { cwd: team.dir });
  await pageB.locator('[data-role=access-lost][data-code=member-disabled]').waitFor({ timeout: T });

  assert.doesNotMatch(win.logs(), /level=ERROR/, 'the window logged no errors');
  assert.deepEqual(errors, [], 'no script errors in either page');
  passed = true;
});
