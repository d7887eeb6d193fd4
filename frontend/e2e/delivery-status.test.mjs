// Delivery status in the thread (issue 20), on a team server: a WhatsApp account at
// the Cloud API fake (backend/e2e/cmd/wafake), a customer's message arriving by a
// signed webhook, a reply drafted by an agent, approved and sent by the outbox
// through the fake, and then Meta's statuses for it (sent, delivered, read) posted
// to the server's webhook, signed like Meta's. A desktop (Chromium signed in to the
// server) with the conversation open shows each status under the reply as it
// arrives, without reloading; a failure shows its reason in words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, formatViolations } from './axe.mjs';
import { launchBrowser, screenshot, startTeamWithWhatsApp, waitUntil } from './harness.mjs';

const T = 30_000;
const ACCOUNT = 'aurora-wa';
const APP_SECRET = 'e2e-app-secret';
const CUSTOMER = '4915112345678';

let stack, team, wa, browser, ann;
const errors = [];

before(async () => {
  stack = await startTeamWithWhatsApp('delivery-status');
  ({ team, wa } = stack);
  ann = await team.addMember('Ann', 'agent');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const admin = (service, method, ...args) => team.call(team.admin, service, method, ...args);
const hook = () => `${team.server.url}/webhooks/whatsapp`;

/** meta asks the fake to deliver a webhook (signed with the app secret) to the server. */
async function meta(path, params) {
  const q = new URLSearchParams({ ...params, webhook: hook(), secret: APP_SECRET });
  const res = await fetch(`${wa.inspect}${path}?${q}`, { method: 'POST' });
  const raw = await res.text();
  assert.equal(res.status, 200, `wafake ${path}: ${raw}`);
  const body = JSON.parse(raw);
  assert.equal(body.code, 200, `the server took the ${path} webhook`);
  return body;
}

/** step moves a reply one workflow step as the member whose token it is. */
const step = (token, replyId, action) => team.call(token, 'ComposeService', 'Step', { replyId, action, text: '', comment: '', checklist: [] });

test('a sent WhatsApp reply shows sent, delivered, then read in the open thread; a failure shows its reason', async () => {
  await admin('AccountsService', 'Save', {
    name: ACCOUNT,
    channel: 'whatsapp',
    brand: 'Aurora Air',
    handle: '',
    settings: JSON.stringify({ phoneNumberId: wa.phoneNumberId, wabaId: wa.wabaId, baseUrl: wa.url }),
    secrets: { 'access-token': wa.token, 'app-secret': APP_SECRET, 'verify-token': 'e2e-verify' },
  });
  const question = `Is flight AU ${Date.now().toString(36)} on time?`;
  await meta('/receive', { from: CUSTOMER, name: 'Olga K.', text: question });
  const conv = await waitUntil(
    async () => (await admin('InboxService', 'Conversations', { channel: 'whatsapp', limit: 100 })).items.find((c) => c.snippet.includes(question))?.id,
    { timeoutMs: T, what: 'the webhook message on the server' },
  );

  browser = await launchBrowser();
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${team.server.url}/?token=${team.admin}`);
  await page.locator('[role=listbox] .row', { hasText: question }).first().click({ timeout: T });
  await page.locator('section.thread .msg', { hasText: question }).waitFor({ timeout: T });

  // Two replies go out: the agent drafts and submits, the admin approves and queues.
  async function sendReply(text) {
    const [r] = await team.call(ann, 'ComposeService', 'DraftForGroup', [conv], text);
    await step(ann, r.id, 'submit');
    await step(team.admin, r.id, 'approve');
    await step(team.admin, r.id, 'queue');
    await waitUntil(async () => (await admin('ComposeService', 'Replies', conv)).find((x) => x.id === r.id)?.state === 'sent', {
      timeoutMs: T,
      what: `the reply "${text}" to be sent`,
    });
    const sent = (await (await fetch(`${wa.inspect}/sent`)).json()).filter((s) => s.Text === text);
    assert.equal(sent.length, 1, `the fake received the reply once: ${JSON.stringify(sent)}`);
    return sent[0].ID;
  }
  const text = `Yes, it is on time (${Date.now().toString(36)}).`;
  const wamid = await sendReply(text);

  const card = page.locator('section.thread .msg.out', { hasText: text });
  const status = card.locator('[data-delivery]');
  for (const [st, word] of [
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['read', 'Read'],
  ]) {
    await meta('/status', { id: wamid, status: st });
    await card.locator(`[data-delivery=${st}]`).waitFor({ timeout: T });
    assert.equal((await status.locator('.word').textContent())?.trim(), word);
    assert.equal((await status.locator('.visually-hidden').textContent())?.trim(), `Delivery status: ${word}`, 'a screen reader hears what the status is');
  }
  // A late "delivered" does not undo "read".
  await meta('/status', { id: wamid, status: 'delivered' });
  await page.waitForTimeout(1500);
  assert.equal(await status.getAttribute('data-delivery'), 'read');
  await screenshot(page, 'delivery-status-read.png');

  // A reply Meta could not deliver: the reason in words, and Meta's code.
  const text2 = `One more thing (${Date.now().toString(36)}).`;
  const wamid2 = await sendReply(text2);
  await meta('/status', { id: wamid2, status: 'failed', code: '131026' });
  const failed = page.locator('section.thread .msg.out', { hasText: text2 }).locator('[data-delivery=failed]');
  await failed.waitFor({ timeout: T });
  assert.match((await failed.locator('[data-role=delivery-reason]').textContent()) ?? '', /could not be delivered/);
  assert.match((await failed.locator('[data-role=delivery-platform]').textContent()) ?? '', /131026/);
  await screenshot(page, 'delivery-status-failed.png');

  // WCAG 2.1 AA (axe) with all four looks on screen, in the light and the dark theme.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Only what lies in the thread's messages is this test's business (a11y.test.mjs covers the rest).
    const all = await axeViolations(page);
    const v = [];
    for (const x of all) {
      const nodes = [];
      for (const n of x.nodes) if (await page.evaluate((sel) => !!document.querySelector(sel)?.closest('section.thread .messages'), n.target)) nodes.push(n);
      if (nodes.length) v.push({ ...x, nodes });
    }
    assert.deepEqual(v, [], formatViolations(`the thread with delivery statuses (${colorScheme})`, v));
    assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
  }
  assert.deepEqual(errors, []);
});
