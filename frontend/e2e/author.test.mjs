// Browser test of the author panel against the real Go backend (`stormdesk serve`
// with the demo data): the history Go reports, a warning recorded through the UI,
// and the etiquette ladder's next step moving from a warning to a temporary block.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

describe('author panel in a browser', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-author', { errors: consoleErrors });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('history matches Go; warnings move the ladder to a temporary block; nothing reaches the platform', async () => {
    // Among the rows on screen, prefer an author who wrote more than once.
    const items = (await server.call('InboxService', 'Conversations', {
      status: 'open', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
      unassigned: false, mine: false, order: 'newest', cursor: '', limit: 10,
    })).items.filter((c) => c.author.id > 0);
    assert.ok(items.length > 0, 'the demo data has conversations with authors');
    let conv = items[0];
    let profile = await server.call('AuthorsService', 'Profile', conv.author.id);
    for (const c of items.slice(1)) {
      if (profile.profile.totals.conversations > 1) break;
      const p = await server.call('AuthorsService', 'Profile', c.author.id);
      if (p.profile.totals.conversations > profile.profile.totals.conversations) [conv, profile] = [c, p];
    }
    assert.equal(profile.profile.standing.state, 'none', 'demo authors start with a clean record');
    assert.deepEqual(profile.next, { kind: 'warning', hours: 0 });

    await page.locator(`#conv-${conv.id}`).click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    await page.locator('body').click({ position: { x: 5, y: 790 } }); // leave any input
    await page.keyboard.press('p');
    const panel = page.locator('aside.author-panel');
    await panel.locator('[data-testid=history-count]').waitFor({ timeout: T });

    const total = profile.profile.totals.conversations;
    const countText = await panel.locator('[data-testid=history-count]').innerText();
    assert.equal(Number(countText.replace(/\D/g, '')), total, `panel says "${countText}", Go says ${total}`);
    assert.equal(await panel.locator('.history li').count(), profile.profile.conversations.length, 'one row per conversation Go lists');
    assert.ok((await panel.innerText()).includes(profile.profile.author.displayName || profile.profile.author.handle));
    assert.match(await panel.innerText(), /Nothing is sent to the platform/);

    // Warn until the ladder suggests a block: the default ladder has two warnings.
    const next = panel.locator('[data-testid=next-step]');
    for (let i = 1; i <= 2; i++) {
      assert.equal(await next.getAttribute('data-kind'), 'warning', `step ${i} is a warning`);
      await panel.getByPlaceholder('What happened (the team sees this)').fill(`e2e warning ${i}`);
      await next.click();
      const dialog = page.locator('#author-confirm');
      await dialog.waitFor({ timeout: T });
      assert.match(await dialog.innerText(), /recorded in Stormdesk only/);
      await dialog.locator('[data-testid=confirm-step]').click();
      await dialog.waitFor({ state: 'detached', timeout: T });
      await panel.locator('[data-testid=record] li', { hasText: `e2e warning ${i}` }).waitFor({ timeout: T });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid=next-step]')?.getAttribute('data-kind') === 'block', null, { timeout: T });
    assert.equal(await panel.locator('[data-testid=standing]').innerText(), 'Warned 2 times');
    assert.match(await next.innerText(), /Block for 1/);

    const stored = await server.call('AuthorsService', 'Profile', conv.author.id);
    assert.deepEqual(stored.next, { kind: 'block', hours: 24 }, 'Go suggests a 24-hour block');
    assert.equal(stored.profile.standing.state, 'warned');
    assert.deepEqual(stored.profile.record.map((e) => [e.kind, e.reason, e.accountId]),
      [['warning', 'e2e warning 2', conv.accountId], ['warning', 'e2e warning 1', conv.accountId]]);
    assert.equal(stored.profile.totals.messages, profile.profile.totals.messages, 'the record changes no messages');

    await panel.evaluate((el) => (el.scrollTop = 0));
    await screenshot(page, 'author-panel.png');

    // A block without a reason is refused before anything reaches Go.
    await panel.getByPlaceholder('What happened (the team sees this)').fill('');
    await next.click();
    await panel.getByText('A reason is required for a block or a ban.').waitFor({ timeout: T });
    assert.equal((await server.call('AuthorsService', 'Profile', conv.author.id)).profile.record.length, 2);

    // With a reason the block is recorded, and the list marks the author's conversation.
    await panel.getByPlaceholder('What happened (the team sees this)').fill('e2e block');
    await next.click();
    const confirm = page.locator('#author-confirm');
    await confirm.waitFor({ timeout: T });
    await confirm.locator('[data-testid=confirm-step]').click();
    // Go either records it (the dialog closes) or, for a critic, a VIP or an influencer, asks again with reasons.
    const outcome = await Promise.race([
      confirm.waitFor({ state: 'detached', timeout: T }).then(() => 'recorded'),
      confirm.locator('.critical').waitFor({ timeout: T }).then(() => 'asks again'),
    ]);
    if (outcome === 'asks again') {
      await confirm.locator('[data-testid=confirm-step]:not([disabled])').click();
      await confirm.waitFor({ state: 'detached', timeout: T });
    }
    const blocked = await server.call('AuthorsService', 'Profile', conv.author.id);
    assert.equal(blocked.profile.standing.state, 'blocked', 'Go records the block');
    await page.locator(`#conv-${conv.id} .mark.ban`, { hasText: 'Blocked' }).waitFor({ timeout: T });

    if (profile.profile.conversations.length > 1) {
      const other = profile.profile.conversations.find((c) => c.id !== conv.id);
      const idx = profile.profile.conversations.indexOf(other);
      await panel.locator('.history li button').nth(idx).click();
      await page.waitForFunction((i) => document.querySelectorAll('aside.author-panel .history li button')[i]?.classList.contains('current'), idx, { timeout: T });
    }
    assert.deepEqual(consoleErrors, []);
  });
});
