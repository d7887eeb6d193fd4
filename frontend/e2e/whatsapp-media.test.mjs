// WhatsApp media in the thread (issue 20), on a team server: a customer's document
// arrives by a signed webhook from the Cloud API fake (backend/e2e/cmd/wafake). The
// thread shows it as a chip (not as an empty message); Save fetches it from the fake
// (media id -> short-lived URL with the token, sha256 checked) and the browser
// downloads exactly its bytes. Media Meta no longer keeps says so in words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { axeViolations, formatViolations } from './axe.mjs';
import { launchBrowser, screenshot, startTeamWithWhatsApp, waitUntil } from './harness.mjs';

const T = 30_000;
const APP_SECRET = 'e2e-app-secret';
const CUSTOMER = '4915112345679';

let stack, team, wa, browser;
const errors = [];

before(async () => {
  stack = await startTeamWithWhatsApp('whatsapp-media');
  ({ team, wa } = stack);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const admin = (service, method, ...args) => team.call(team.admin, service, method, ...args);

/** media has the fake deliver a media message whose bytes are body (signed, as Meta does). */
async function media(params, body) {
  const q = new URLSearchParams({ ...params, from: CUSTOMER, name: 'Olga K.', webhook: `${team.server.url}/webhooks/whatsapp`, secret: APP_SECRET });
  const res = await fetch(`${wa.inspect}/receive-media?${q}`, { method: 'POST', body });
  const raw = await res.text();
  assert.equal(res.status, 200, `wafake: ${raw}`);
  const out = JSON.parse(raw);
  assert.equal(out.code, 200, 'the server took the webhook');
  return out;
}

test('a WhatsApp document shows as a chip and Save downloads its bytes; dropped media is explained', async () => {
  await admin('AccountsService', 'Save', {
    name: 'aurora-wa-media',
    channel: 'whatsapp',
    brand: 'Aurora Air',
    handle: '',
    settings: JSON.stringify({ phoneNumberId: wa.phoneNumberId, wabaId: wa.wabaId, baseUrl: wa.url }),
    secrets: { 'access-token': wa.token, 'app-secret': APP_SECRET, 'verify-token': 'e2e-verify' },
  });
  const caption = `boarding pass ${Date.now().toString(36)}`;
  const bytes = randomBytes(300_000);
  const doc = await media({ type: 'document', mime: 'application/pdf', filename: 'pass.pdf', caption }, bytes);
  await media({ type: 'audio', mime: 'audio/ogg' }, randomBytes(5000));

  browser = await launchBrowser();
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${team.server.url}/?token=${team.admin}`);
  await page.locator('[role=listbox] .row', { hasText: 'Olga K.' }).first().click({ timeout: T });
  const card = page.locator('section.thread .msg', { hasText: caption });
  await card.waitFor({ timeout: T });
  assert.equal((await card.locator('.chip .label').textContent())?.trim(), 'pass.pdf');
  // The voice note has no words: a chip named by its kind, not "(empty message)".
  const voice = page.locator('section.thread .msg', { has: page.locator('.chip[data-kind=audio]') });
  await voice.waitFor({ timeout: T });
  assert.equal((await voice.locator('.chip .label').textContent())?.trim(), 'Audio');
  assert.equal(await voice.locator('.text').count(), 0);
  assert.equal(await voice.locator('.flag').count(), 0, 'a voice note is not flagged as a message without text');

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), card.getByRole('button', { name: 'Save pass.pdf' }).click()]);
  assert.equal(download.suggestedFilename(), 'pass.pdf');
  assert.ok(readFileSync(await download.path()).equals(bytes), 'the downloaded file holds exactly the bytes the customer sent');
  await waitUntil(async () => (await card.getByRole('status').textContent())?.trim() === 'pass.pdf downloaded.', { timeoutMs: T, what: 'the saved note' });
  await screenshot(page, 'whatsapp-media.png');

  // Meta keeps media 30 days; afterwards Save says so.
  await fetch(`${wa.inspect}/forget-media?id=${doc.mediaId}`, { method: 'POST' });
  await card.getByRole('button', { name: 'Save pass.pdf' }).click();
  await card.getByRole('alert').waitFor({ timeout: T });
  assert.match((await card.getByRole('alert').textContent()) ?? '', /no longer has this attachment/);

  // WCAG 2.1 AA (axe) on the chips, the note and the alert, in the light and the dark theme.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const v = [];
    for (const x of await axeViolations(page)) {
      const nodes = [];
      for (const n of x.nodes) if (await page.evaluate((sel) => !!document.querySelector(sel)?.closest('section.thread .messages'), n.target)) nodes.push(n);
      if (nodes.length) v.push({ ...x, nodes });
    }
    assert.deepEqual(v, [], formatViolations(`the thread with attachments (${colorScheme})`, v));
  }
  assert.deepEqual(errors, []);
});
