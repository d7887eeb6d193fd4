// The shared approval queue on a team server (issue 17): a real PostgreSQL
// cluster, `stormdesk server` and the Mastodon fake, with two Chromium browsers
// signed in as two members. Ann (agent) drafts and submits; Pete (approver) is
// notified, finds the reply in the shared queue and approves it; the fake
// receives it exactly once. Ann's page offers no approval, and an approval she
// sends by hand is refused with 403. A reply drafted before another one went
// out is refused as superseded until the approver says so. Then the server is stopped: Ann's page
// says the server is unreachable, keeps the text she saves meanwhile, and saves
// it once the server is back on the same address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callAs,
  callOK,
  launchBrowser,
  mastodonAccount,
  printedToken,
  recordNotifications,
  runStormdesk,
  screenshot,
  startTeam,
  waitUntil,
} from './harness.mjs';

const ACCOUNT = 'acme-mastodon';
const T = 30_000; // per wait; bounds a hang, not a timing assertion

let team, ann, pete, browserA, browserB, pageA, pageB;
const errors = [];

before(async () => {
  team = await startTeam('team-approval');
  const add = async (name, role) => printedToken(await runStormdesk(['server', 'user', 'add', name, '--role', role, '--db', team.pg.dsn], { cwd: team.dir }));
  ann = await add('Ann', 'agent');
  pete = await add('Pete', 'approver');
});

after(async () => {
  await browserA?.close();
  await browserB?.close();
  await team?.stop();
});

const call = (service, method, ...args) => callOK(team.server, team.admin, service, method, ...args);

/** openAs opens the server's page in a browser of its own, signed in with token. */
async function openAs(token, name) {
  const b = await launchBrowser();
  // The server has no desktop: the page notifies through the Web Notifications API.
  await b.context.addInitScript(recordNotifications);
  const page = await b.context.newPage();
  page.on('pageerror', (e) => errors.push(`${name}: ${e}`));
  await page.goto(`${team.server.url}/?token=${token}`);
  return { b, page };
}

/** mention posts a status mentioning the brand at the fake and waits for its conversation on the server. */
async function mention(text) {
  const res = await fetch(`${team.fake.inspect}/mention?text=${encodeURIComponent(`@acme ${text}`)}`, { method: 'POST' });
  assert.equal(res.status, 200, 'the fake took the status');
  return waitUntil(
    async () => (await call('InboxService', 'Conversations', { channel: 'mastodon', limit: 100 })).items.find((c) => c.snippet.includes(text))?.id,
    { timeoutMs: T, what: `the conversation of "${text}" on the server` },
  );
}

/** startDraft opens the conversation with text in page and drafts a reply in it. */
async function startDraft(page, text) {
  const row = page.locator('[role=listbox] .row', { hasText: text }).first();
  await row.waitFor({ timeout: T });
  await row.click();
  await page.keyboard.press('r');
  const composer = page.locator('section.composer');
  await composer.locator('button[data-action=draft]').click({ timeout: T });
  await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
  return composer;
}

test('a reply drafted by an agent is approved by an approver from the shared queue and sent once; the server refuses the agent', async () => {
  await call('AccountsService', 'Save', mastodonAccount(team.fake, ACCOUNT));
  const first = 'my order 4411 never arrived';
  const conv = await mention(first);

  ({ b: browserA, page: pageA } = await openAs(ann, 'Ann'));
  ({ b: browserB, page: pageB } = await openAs(pete, 'Pete'));
  await pageB.locator('[role=listbox] .row', { hasText: first }).first().waitFor({ timeout: T });

  // Ann: an agent sees no moderation and no crisis-mode button; she drafts and submits.
  const composerA = await startDraft(pageA, first);
  const text = `Sorry about order 4411, we are on it (${Date.now().toString(36)}).`;
  await composerA.locator('textarea').fill(text);
  await composerA.locator('button[data-action=submit]').click();
  await composerA.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
  const [pending] = await call('ComposeService', 'ApprovalQueue');
  assert.equal(pending?.reply.conversationId, conv, 'the server lists the submitted reply');
  assert.equal(pending.reply.author, 'Ann');
  const id = pending.reply.id;
  assert.equal(await composerA.locator('button[data-action=approve], button[data-action=approveSend]').count(), 0, "the agent's page offers no approval");
  assert.equal(await pageA.locator('[data-action=moderate-menu]').count(), 0, "the agent's page offers no moderation");

  // By hand, with Ann's token: refused before anything runs.
  const refused = await callAs(team.server, ann, 'ComposeService', 'Step', { replyId: id, action: 'approve', text: '', comment: '', checklist: [] });
  assert.equal(refused.status, 403, `the agent's approval by hand: ${JSON.stringify(refused.body)}`);
  assert.match(refused.body.error, /"code":"role-required"/);

  // The queue is shared: Ann sees her reply waiting too, without a crisis-mode button.
  await pageA.locator('[data-screen=crisis]').click();
  await pageA.locator(`[data-approval-queue] [data-reply-id="${id}"]`).waitFor({ timeout: T });
  assert.equal(await pageA.locator('[data-action=open-crisis], [data-action=end-crisis]').count(), 0, "the agent's page offers no crisis mode");
  await pageA.locator('[data-screen=inbox]').click();

  // Pete: notified once, the shared queue lists it, he approves and sends from it.
  await pageB.waitForFunction((tag) => window.__notes.some((n) => n.tag === tag), `approval:${id}`, { timeout: T });
  const notes = (await pageB.evaluate(() => window.__notes)).filter((n) => n.tag === `approval:${id}`);
  assert.equal(notes.length, 1, 'one notification per request');
  assert.ok(notes[0].body.includes('Ann'), `the notification names the author: ${notes[0].body}`);
  assert.deepEqual((await pageA.evaluate(() => window.__notes)).filter((n) => n.tag === `approval:${id}`), [], 'the author is not notified of her own request');
  await pageB.locator('[data-screen=crisis] [data-approval-badge]', { hasText: '1' }).waitFor({ timeout: T });
  await pageB.locator('[data-screen=crisis]').click();
  const row = pageB.locator(`[data-approval-queue] [data-reply-id="${id}"]`);
  await row.waitFor({ timeout: T });
  await pageB.locator('[data-action=open-crisis]').first().waitFor({ timeout: T });
  await screenshot(pageB, 'team-approval-queue.png');
  await row.click();
  await pageB.locator('section.composer[data-state=submitted] [data-action=open-composer]').click({ timeout: T });
  await pageB.locator('section.composer[data-state=submitted] button[data-action=approveSend]').click({ timeout: T });
  await waitUntil(async () => (await call('ComposeService', 'Replies', conv)).find((r) => r.id === id)?.state === 'sent', {
    timeoutMs: T,
    what: 'the approved reply to be sent',
  });
  const posted = (await team.fake.posted()).filter((p) => p.Status.includes(text));
  assert.equal(posted.length, 1, `the fake received the reply exactly once: ${JSON.stringify(posted)}`);
  const audit = await call('ComposeService', 'Audit', id);
  assert.ok(audit.some((e) => e.action === 'approve' && e.who === 'Pete'), 'the audit names the approving member');

  await pageB.locator('[data-screen=crisis] [data-approval-badge]').waitFor({ state: 'detached', timeout: T });

  // Supersede, by hand on the server: Ada drafts two more replies; once Pete has sent
  // the first, approving the second (drafted before it went out) is refused until he says so.
  const draftSubmitted = async (text) => {
    const [r] = await call('ComposeService', 'DraftForGroup', [conv], text);
    await call('ComposeService', 'Step', { replyId: r.id, action: 'submit', text: '', comment: '', checklist: [] });
    return r.id;
  };
  const [one, two] = [await draftSubmitted('A follow-up on order 4411.'), await draftSubmitted('Another follow-up on order 4411.')];
  const step = (replyId, action, supersede = false) =>
    callAs(team.server, pete, 'ComposeService', 'Step', { replyId, action, text: '', comment: '', checklist: [], supersede });
  assert.equal((await step(one, 'approve')).status, 200);
  assert.equal((await step(one, 'queue')).status, 200);
  const superseded = await step(two, 'approve');
  assert.match(superseded.body.error ?? '', /"code":"reply-superseded"/, `approving a superseded reply: ${superseded.status} ${JSON.stringify(superseded.body)}`);
  const confirmed = await step(two, 'approve', true);
  assert.equal(confirmed.status, 200, `approving it confirmed: ${JSON.stringify(confirmed.body)}`);
  assert.equal(confirmed.body.result.state, 'approved');
});


test('a draft saved while the server is down is kept in the page and saved when the server is back', async () => {
  const second = 'the app logs me out every hour';
  const conv = await mention(second);
  const composerA = await startDraft(pageA, second);
  const [draft] = (await call('ComposeService', 'Replies', conv)).filter((r) => r.state === 'draft');
  assert.ok(draft, 'the draft is stored on the server');

  const port = new URL(team.server.url).port;
  assert.deepEqual(await team.server.stop(), { code: 0, signal: null }, 'the server stopped cleanly');

  const typed = `Typed while the server was down (${Date.now().toString(36)}).`;
  await composerA.locator('textarea').fill(typed);
  await composerA.locator('button[data-action=save]').click();
  await pageA.locator('[data-role=offline-banner]', { hasText: 'Server unreachable — retrying' }).waitFor({ timeout: T });
  await composerA.locator('[data-role=kept-locally]').waitFor({ timeout: T });
  assert.equal(await composerA.locator('[data-role=error]').count(), 0, 'an unreachable server is not shown as a failed step');
  const kept = await pageA.evaluate((c) => JSON.parse(localStorage.getItem(`stormdesk.draft.${c}`) ?? 'null'), conv);
  assert.equal(kept?.text, typed, 'the text is kept in the page');
  // What was loaded stays readable.
  await pageA.locator('[role=listbox] .row', { hasText: second }).first().waitFor({ timeout: T });

  await team.restart(['--addr', `127.0.0.1:${port}`]);
  await pageA.locator('[data-role=offline-banner]').waitFor({ state: 'detached', timeout: 2 * T });
  await waitUntil(async () => (await call('ComposeService', 'Replies', conv)).find((r) => r.id === draft.id)?.text === typed, {
    timeoutMs: T,
    what: 'the text typed while the server was down to be saved on it',
  });
  await pageA.waitForFunction((c) => localStorage.getItem(`stormdesk.draft.${c}`) === null, conv, { timeout: T });
  assert.deepEqual(errors, [], 'no script errors in either page');
});
