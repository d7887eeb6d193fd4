// Browser tests of crisis mode against the real binary with the demo data: the
// timeline on the Crisis screen, one statement drafted for a group of
// near-duplicate complaints, and the guard before hiding or deleting a message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession } from './harness.mjs';
import { assertShownError } from './goerror.mjs';

const T = 20_000;

describe('crisis mode in a browser', () => {
  let session, server, page, methods;

  before(async () => {
    session = await openSession('e2e-crisis-mode');
    ({ server, page } = session);
    methods = await (await server.fetch('/bridge/methods')).json();
  });

  after(() => session?.close());

  test('a critical message needs an explicit confirmation before it is deleted', async (t) => {
    if (!methods.includes('main.InboxService.Moderate')) {
      t.skip('the binary has no InboxService.Moderate');
      return;
    }
    const row = page.locator('[role=listbox] .row').first();
    const id = Number((await row.getAttribute('id')).replace('conv-', ''));
    const th = await server.call('InboxService', 'Thread', id);
    const accounts = await server.call('InboxService', 'Accounts');
    const account = accounts.find((a) => a.id === th.conversation.accountId).name;
    await server.call('CrisisService', 'SetCrisisMode', account, true);
    const inbound = th.messages.find((m) => m.direction === 'in');
    assert.ok(inbound, 'the conversation has a customer message');

    await row.click();
    const card = page.locator(`section.thread #msg-${inbound.id}`);
    await card.waitFor({ timeout: T });
    await card.locator('[data-action=moderate-menu]').click();
    await card.locator('[data-action=moderate-delete]').click();
    const dialog = page.locator('#moderation-warning');
    await dialog.waitFor({ timeout: T });
    assert.ok((await dialog.locator('[data-reason]').allInnerTexts()).some((r) => r.includes('crisis mode')), 'the crisis reason is shown');
    await dialog.locator('[data-action=moderate-cancel]').click();
    await dialog.waitFor({ state: 'detached', timeout: T });

    // Confirming goes to the connector; demo accounts have none, so Go's error is shown and the message stays.
    await card.locator('[data-action=moderate-menu]').click();
    await card.locator('[data-action=moderate-delete]').click();
    await dialog.locator('[data-action=moderate-confirm]').click();
    const err = card.locator('[data-moderation-error]');
    await err.waitFor({ timeout: T });
    const goErr = await server.call('InboxService', 'Moderate', inbound.id, 'delete', true).then(
      () => assert.fail('deleting through a demo account succeeded'),
      (e) => e.message,
    );
    await assertShownError(err, goErr);
    assert.ok((await err.innerText()).includes(account), `the error names ${account}`);
    const after = await server.call('InboxService', 'Thread', id);
    assert.ok(after.messages.some((m) => m.id === inbound.id), 'the message is still stored');
    await server.call('CrisisService', 'SetCrisisMode', account, false);
  });

  test('the timeline shows the opening; a group gets one statement drafted per conversation', async (t) => {
    if (!methods.includes('main.CrisisService.Timeline')) {
      t.skip('the binary has no CrisisService.Timeline');
      return;
    }
    const accounts = await server.call('InboxService', 'Accounts');
    const nord = accounts.filter((a) => a.brand === 'Север Телеком').map((a) => a.name);
    let alerts = [];
    for (let i = 0; i < 100 && !alerts.some((a) => nord.includes(a.key.account)); i++) {
      alerts = await server.call('CrisisService', 'Alerts').catch(() => []);
      if (!alerts.some((a) => nord.includes(a.key.account))) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(alerts.some((a) => nord.includes(a.key.account)), 'Go reports the demo outage');
    // The outage fires on several of the brand's channels; take one whose burst
    // Go groups into near-duplicate complaints (the demo data follows the clock).
    // The monitor may still be replaying the demo when the first alert shows: ask again
    // (a bounded wait) until an alert with groups is there.
    let index = -1;
    let goGroups = [];
    for (let round = 0; round < 180 && index < 0; round++) {
      if (round > 0) {
        await new Promise((r) => setTimeout(r, 500));
        alerts = await server.call('CrisisService', 'Alerts').catch(() => alerts);
      }
      for (let i = 0; i < alerts.length && index < 0; i++) {
        const a = alerts[i];
        if (!nord.includes(a.key.account)) continue;
        const g = await server.call('CrisisService', 'BurstGroups', a.key.account, a.start, a.detectedAt, a.windowMs);
        if (g.length > 0) {
          index = i;
          goGroups = g;
        }
      }
    }
    assert.ok(index >= 0, 'the demo outage has near-duplicate complaints');
    const alert = alerts[index];
    const account = alert.key.account;

    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await page.locator('.crisis-screen').waitFor({ timeout: T });
    await server.call('CrisisService', 'SetCrisisMode', account, true);
    await page.locator('.crisis-screen button', { hasText: 'Refresh' }).click();
    const timeline = page.locator(`.crisis-screen [data-timeline="${account}"]`).first();
    await timeline.locator('li[data-kind=opened]').waitFor({ timeout: T });
    assert.match(await timeline.locator('li[data-kind=opened]').innerText(), /Crisis mode opened by/);
    // Hourly volume as bars, inbound and negative for every hour since the opening.
    const hours = Number(await timeline.locator('svg[data-hours]').getAttribute('data-hours'));
    assert.ok(hours >= 1, 'the timeline charts at least the opening hour');
    assert.equal(await timeline.locator('svg rect.in').count(), hours, 'an inbound bar per hour');
    assert.equal(await timeline.locator('svg rect.neg').count(), hours, 'a negative bar per hour');

    await page.locator('.alert-row').nth(index).click();
    const detail = page.locator('article.detail');
    await detail.waitFor({ timeout: T });
    await detail.locator('.burst-groups .group, .burst-groups p.muted:not(:has(.spinner))').first().waitFor({ timeout: T });
    const group = detail.locator('.burst-groups .group').first();
    assert.equal(Number(await group.getAttribute('data-conversations')), goGroups[0].conversationIds.length);
    const text = 'Мы знаем о сбое и восстанавливаем связь. E2E statement.';
    await group.locator('[data-action=group-statement]').click();
    await group.locator('[data-field=group-text]').fill(text);
    await group.locator('[data-action=group-create]').click();
    const ok = group.locator('.ok');
    await ok.waitFor({ timeout: T });
    assert.equal(Number((await ok.innerText()).replace(/\D/g, '')), goGroups[0].conversationIds.length, 'one draft per conversation');
    for (const id of goGroups[0].conversationIds) {
      const mine = (await server.call('ComposeService', 'Replies', id)).filter((r) => r.text === text);
      assert.equal(mine.length, 1, `conversation ${id} has one draft of the statement`);
      assert.equal(mine[0].state, 'draft', 'nothing is sent or queued automatically');
      assert.equal(mine[0].approval.needsApprover, true, 'crisis mode requires the PR lead');
    }
  });
});
