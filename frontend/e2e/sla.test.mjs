// Browser test of the SLA policy editor, crisis mode and sentiment corrections
// against the real Go backend (`stormdesk serve`). Every expected value comes from
// Go over the bridge: its validation text, its policy set, its crisis list, its thread.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

async function goError(promise) {
  try {
    await promise;
  } catch (e) {
    return e.message;
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

  test('Settings → SLA: invalid policies show Go’s error lines; a valid change is stored', async () => {
    await go('s', '.settings-screen');
    const editor = page.locator('#sla-json');
    await editor.waitFor({ timeout: T });
    const stored = await server.call('SLAService', 'Policies');
    assert.equal(await editor.inputValue(), stored, 'the editor shows Go’s policy set');
    const set = JSON.parse(stored);
    assert.ok(set.policies.length > 0, 'the default set has policies');
    const summary = page.locator('[data-testid=sla-summary]');
    for (const p of set.policies) await summary.locator(`tr[data-policy="${p.name}"]`).waitFor({ timeout: T });

    const save = page.locator('[data-action=save-sla]');
    const errors = page.locator('[data-testid=sla-errors]');
    // Broken JSON and a set the engine rejects: the page lists exactly Go's lines.
    const badZone = structuredClone(set);
    badZone.policies[0].hours = { timeZone: 'Mars/Olympus_Mons', week: [{ day: 'mon', start: '10:00', end: '09:00' }] };
    for (const bad of ['{"policies": [', JSON.stringify(badZone, null, 2)]) {
      const want = (await goError(server.call('SLAService', 'SavePolicies', bad))).split('\n').map((l) => l.trim()).filter(Boolean);
      await editor.fill(bad);
      await save.click();
      await errors.waitFor({ timeout: T });
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=sla-errors] li').length === n, want.length, { timeout: T });
      assert.deepEqual(await errors.locator('li').allInnerTexts(), want);
    }
    assert.ok((await errors.innerText()).includes('Mars/Olympus_Mons'), 'the unknown time zone is named');
    assert.equal(await server.call('SLAService', 'Policies'), stored, 'nothing was saved');

    const changed = structuredClone(set);
    changed.policies[0].targets.firstResponse = '1h30m';
    await editor.fill(JSON.stringify(changed, null, 2));
    await save.click();
    await page.locator('[data-testid=sla-saved]').waitFor({ timeout: T });
    assert.equal(await errors.count(), 0);
    const after = JSON.parse(await server.call('SLAService', 'Policies'));
    assert.equal(after.policies[0].targets.firstResponse, '1h30m0s', 'Go stored the new target');
    assert.equal(await editor.inputValue(), await server.call('SLAService', 'Policies'), 'the editor shows what Go kept');
    const row = summary.locator(`tr[data-policy="${changed.policies[0].name}"] td`).first();
    assert.equal(await row.innerText(), '1h 30m');
    await page.locator('.sla-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'sla.png');
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
