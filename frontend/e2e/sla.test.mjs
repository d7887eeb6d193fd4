// Browser test of the SLA policy editor, crisis mode and sentiment corrections
// against the real Go backend (`stormdesk serve`). Every expected value comes from
// Go over the bridge: its validation text, its policy set, its crisis list, its thread.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goDetail } from './goerror.mjs';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openSession, screenshot, startServer, tempDir, waitUntil } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

async function goError(promise) {
  try {
    await promise;
  } catch (e) {
    // The lines are Go's own text (the detail of its coded error), which the editor lists.
    return goDetail(e.message);
  }
  throw new Error('expected Go to reject the call');
}

describe('SLA policies, crisis mode and sentiment corrections in a browser', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    // Saving invalid policies is expected to fail with a 500 carrying Go's error.
    session = await openSession('e2e-sla', { errors: consoleErrors, expectFailing: ['SLAService/SavePolicies'] });
    ({ server, page } = session);
  });

  after(() => session?.close());

  async function go(key, screen) {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    await page.locator(screen).waitFor({ timeout: T });
  }

  test('Settings → SLA: the form names mistakes, a target edited by keyboard is stored, the JSON fold shows Go’s lines', async () => {
    await go('s', '.settings-screen');
    const form = page.locator('form.sla-form');
    await form.waitFor({ timeout: T });
    const stored = await server.call('SLAService', 'Policies');
    const set = JSON.parse(stored);
    assert.ok(set.policies.length > 0, 'the default set has policies');
    assert.deepEqual(
      await page.locator('[data-policy-tab]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-policy-tab'))),
      set.policies.map((p) => p.name),
      'one button per policy of Go’s set',
    );
    const first = set.policies[0];
    assert.equal(await page.locator('#sla-horizon').inputValue(), '7', 'Go’s default history horizon is 7 days');

    // A mistake is named at the field and nothing reaches Go.
    const save = page.locator('[data-action=save-sla]');
    const tz = page.locator('#sla-0-tz');
    await tz.fill('Mars/Olympus_Mons');
    await save.click();
    const formErrors = page.locator('[data-testid=sla-form-errors]');
    await formErrors.waitFor({ timeout: T });
    assert.ok((await formErrors.innerText()).includes('“Mars/Olympus_Mons” is not a known time zone'));
    assert.equal(await tz.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sla-0-tz', 'focus moved to the field');
    assert.equal(await server.call('SLAService', 'Policies'), stored, 'nothing was saved');
    await tz.fill(first.hours.timeZone);
    await formErrors.waitFor({ state: 'detached', timeout: T });

    // Keyboard only: type 1 h 30 min into the first policy's first-response target, Enter saves.
    await page.locator('#sla-0-firstResponse-h').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sla-0-firstResponse-m');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=sla-saved]').waitFor({ timeout: T });
    const afterText = await server.call('SLAService', 'Policies');
    let savedText = afterText; // what Go holds after the form's last save
    const after = JSON.parse(afterText);
    assert.equal(after.policies[0].targets.firstResponse, '1h30m0s', 'Go stored the new target');
    assert.deepEqual(after.policies.slice(1), set.policies.slice(1), 'the other policies came back from Go as they were');
    assert.deepEqual(after.rules, set.rules, 'the rules came back as they were');
    assert.equal(after.crisisDefault, set.crisisDefault);
    assert.equal(await page.locator('#sla-0-firstResponse-h').inputValue(), '1', 'the form shows what Go kept');
    assert.equal(await page.locator('#sla-0-firstResponse-m').inputValue(), '30');
    await page.locator('.sla-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'sla.png');
    await page.locator('#settings-lang').selectOption('ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru', null, { timeout: T });
    await screenshot(page, 'sla-ru.png');

    // A holiday typed as Russians write a day reaches Go as an ISO date; Enter saves.
    const holidays = (set) => JSON.parse(set).policies[0].hours?.holidays ?? [];
    const n = holidays(afterText).length;
    await page.locator('[data-action=add-holiday]').first().click();
    const day = page.locator(`#sla-0-holiday-${n}`);
    await day.fill('7.1.2027');
    await day.press('Enter');
    await waitUntil(async () => holidays(await server.call('SLAService', 'Policies')).some((h) => h.date === '2027-01-07'), {
      what: 'Go holds the holiday of 7 January 2027',
    });
    await day.blur();
    assert.equal(await day.inputValue(), '07.01.2027', 'the day is written in full once the field is left');
    savedText = await server.call('SLAService', 'Policies');
    await page.locator('#settings-lang').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: T });

    // The JSON fold saves a pasted set as is: Go's own lines are listed.
    await page.locator('details.advanced summary').click();
    const editor = page.locator('#sla-json');
    await editor.waitFor({ timeout: T });
    const badZone = structuredClone(after);
    badZone.policies[0].hours = { timeZone: 'Mars/Olympus_Mons', week: [{ day: 'mon', start: '10:00', end: '09:00' }] };
    const bad = JSON.stringify(badZone, null, 2);
    const want = (await goError(server.call('SLAService', 'SavePolicies', bad))).split('\n').map((l) => l.trim()).filter(Boolean);
    await editor.fill(bad);
    await page.locator('[data-action=save-json]').click();
    const errors = page.locator('[data-testid=sla-errors]');
    await errors.waitFor({ timeout: T });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=sla-errors] li').length === n, want.length, { timeout: T });
    assert.deepEqual(await errors.locator('li').allInnerTexts(), want);
    assert.ok((await errors.innerText()).includes('Mars/Olympus_Mons'), 'the unknown time zone is named');
    assert.equal(await server.call('SLAService', 'Policies'), savedText, 'nothing was saved');
  });

  test('Crisis: opening crisis mode for the burst account shows the banner and Go lists it', async () => {
    let alerts = [];
    for (let i = 0; i < 100 && alerts.length === 0; i++) {
      alerts = await server.call('CrisisService', 'Alerts').catch(() => []);
      if (alerts.length === 0) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(alerts.length > 0, 'the demo data has a burst that Go alerts on');
    const account = alerts[0].key.account;
    assert.deepEqual(await server.call('CrisisService', 'InCrisis'), [], 'no crisis mode at start');

    await go('c', '.crisis-screen');
    await page.locator('.crisis-screen button', { hasText: 'Refresh' }).click();
    const card = page.locator(`.crisis-screen .card[data-account="${account}"]`).first();
    await card.waitFor({ timeout: T });
    await card.locator('[data-action=open-crisis]').click();
    const banner = page.locator(`.crisis-banner[data-crisis-account="${account}"]`);
    await banner.waitFor({ timeout: T });
    assert.ok((await banner.innerText()).includes('Crisis mode is on'));
    assert.deepEqual(await server.call('CrisisService', 'InCrisis'), [account]);
    await card.locator('[data-action=end-crisis]').waitFor({ timeout: T });

    // The alert detail offers the same switch: ending there clears the banner and Go's list.
    await page.locator(`.alert-row[data-account="${account}"]`).first().click();
    const detail = page.locator('article.detail');
    await detail.waitFor({ timeout: T });
    await detail.locator(`[data-action=end-crisis][data-account="${account}"]`).click();
    await banner.waitFor({ state: 'detached', timeout: T });
    assert.deepEqual(await server.call('CrisisService', 'InCrisis'), []);
    await detail.locator('button', { hasText: 'All alerts' }).click();
  });

  test('thread view: correcting a message’s sentiment is stored and marked', async () => {
    await go('i', '[role=listbox]');
    const first = page.locator('[role=listbox] .row').first();
    await first.waitFor({ timeout: T });
    const convId = Number((await first.getAttribute('id')).replace('conv-', ''));
    await first.click();
    const th = await server.call('InboxService', 'Thread', convId);
    const msg = th.messages.find((m) => m.direction === 'in');
    assert.ok(msg, 'the thread has an inbound message');
    const label = msg.sentiment === 'positive' ? 'negative' : 'positive';

    const card = page.locator(`#msg-${msg.id}`);
    await card.waitFor({ timeout: T });
    await card.locator('[data-action=sentiment-menu]').click();
    await card.locator(`[role=menu] [data-label=${label}]`).click();
    const mark = card.locator('[data-corrected]');
    await mark.waitFor({ timeout: T });
    assert.equal(await mark.getAttribute('data-corrected'), label);
    assert.ok((await mark.innerText()).includes('corrected'));

    const again = await server.call('InboxService', 'Thread', convId);
    assert.equal(again.messages.find((m) => m.id === msg.id).sentiment, label, 'Go’s thread has the new label');
    assert.deepEqual(consoleErrors, []);
  });
});

describe('imported history in a browser', () => {
  let dir, server, browser, page;
  const consoleErrors = [];

  before(async () => {
    dir = tempDir('e2e-sla-history');
    const db = join(dir, 'history.db');
    const recent = new Date(Date.now() - 10 * 60_000).toISOString();
    const csv = join(dir, 'tweets.csv');
    writeFileSync(csv, `id,time,text\nold,2015-02-24T11:35:52Z,@AcmeAir where is my bag\nnew,${recent},@AcmeAir still no bag today\n`);
    const imp = spawnSync(process.env.STORMDESK_BIN, ['import', '--db', db, '--time-column', 'time', csv], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(imp.status, 0, `import failed: ${imp.stdout}${imp.stderr}`);
    server = await startServer({ db, args: ['--no-demo'] });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`HTTP ${r.status()} for ${r.url()}`));
    await page.goto(server.pageUrl);
  });

  after(async () => {
    await browser?.close();
    const exit = server ? await server.stop() : null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `serve did not shut down cleanly:\n${server.stderr}`);
  });

  test('a 2015 tweet shows as historical in the list and the thread, a recent one has a running clock', async () => {
    const old = page.locator('[role=listbox] .row', { hasText: 'where is my bag' });
    const recent = page.locator('[role=listbox] .row', { hasText: 'still no bag today' });
    await old.waitFor({ timeout: T });
    await recent.waitFor({ timeout: T });
    const badge = old.locator('.sla');
    assert.equal(await badge.getAttribute('data-state'), 'historical');
    assert.equal((await badge.innerText()).trim(), 'Historical', 'no "Overdue 4,298d"');
    const live = recent.locator('.sla');
    assert.notEqual(await live.getAttribute('data-state'), 'historical');
    assert.match(await live.innerText(), /left|Overdue/, 'the recent tweet counts down');

    const id = Number((await old.getAttribute('id')).replace('conv-', ''));
    const th = await server.call('InboxService', 'Thread', id);
    assert.equal(th.conversation.slaState, 'historical', 'Go stored it as history');
    assert.ok(!th.conversation.slaDueAt, 'Go keeps no deadline for it');
    await old.click();
    await page.locator('section.thread .sla[data-state=historical]').waitFor({ timeout: T });
    assert.deepEqual(consoleErrors, []);
  });
});
