// Browser test of the approval queue and approval-request notifications against
// the real binary (`stormdesk serve`, demo data) running as an approver
// (STORMDESK_ROLE=approver). The serve process gets no session bus, so Go
// answers that the desktop cannot notify and the page falls back to the Web
// Notifications API, which the test records.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, recordNotifications, screenshot } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

describe('approval queue in a browser', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-approvals', {
      errors: consoleErrors,
      env: { STORMDESK_ROLE: 'approver', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/stormdesk-no-bus' },
      // Records what the app shows through the Web Notifications API.
      initScript: recordNotifications,
    });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('a submitted reply notifies the approver, waits in the queue, and leaves it once approved', async () => {
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    await page.locator('[role=listbox]').focus();
    const id = Number((await page.locator('[role=listbox] .row[aria-selected=true]').getAttribute('id')).replace('conv-', ''));
    assert.deepEqual(await server.call('ComposeService', 'ApprovalQueue'), [], 'the demo starts with an empty queue');

    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    await composer.locator('button[data-action=draft]').click({ timeout: T });
    await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
    await composer.locator('button[data-action=submit]').click();
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });

    const queue = await server.call('ComposeService', 'ApprovalQueue');
    assert.equal(queue.length, 1, 'Go lists the submitted reply');
    const reply = queue[0].reply;
    assert.equal(reply.conversationId, id);

    // The approver hears about it once, with the drafted text.
    await page.waitForFunction((tag) => window.__notes.some((n) => n.tag === tag), `approval:${reply.id}`, { timeout: T });
    const notes = (await page.evaluate(() => window.__notes)).filter((n) => n.tag === `approval:${reply.id}`);
    assert.equal(notes.length, 1, 'one notification per request');
    assert.equal(notes[0].title, 'Approval requested');
    assert.ok(notes[0].body.includes(reply.text.slice(0, 40)), `the body quotes the reply: ${notes[0].body}`);

    // The sidebar shows the waiting count; the crisis screen lists the reply.
    await page.locator('[data-screen=crisis] [data-approval-badge]', { hasText: '1' }).waitFor({ timeout: T });
    await page.locator('[data-screen=crisis]').click();
    const row = page.locator(`[data-approval-queue] [data-reply-id="${reply.id}"]`);
    await row.waitFor({ timeout: T });
    assert.ok((await row.innerText()).includes(queue[0].author), 'the row names the customer');
    await screenshot(page, 'approval-queue.png');

    // The row opens the conversation, where the approver approves. A demo account cannot
    // send, so Approve & send is disabled and plain Approve does the approval.
    await row.click();
    await page.locator(`[role=listbox] .row#conv-${id}[aria-selected=true], section.composer[data-state=submitted]`).first().waitFor({ timeout: T });
    await page.locator('section.composer[data-state=submitted] button[data-action=approveSend][disabled]').waitFor({ timeout: T });
    await page.locator('section.composer[data-state=submitted] button[data-action=approve]').click({ timeout: T });
    await page.locator('section.composer[data-state=approved]').waitFor({ timeout: T });
    assert.deepEqual(await server.call('ComposeService', 'ApprovalQueue'), [], 'Go no longer lists it');
    await page.locator('[data-screen=crisis] [data-approval-badge]').waitFor({ state: 'detached', timeout: T });
    await page.locator('[data-screen=crisis]').click();
    await page.locator('[data-approval-queue]', { hasText: 'No replies are waiting for approval.' }).waitFor({ timeout: T });
    assert.deepEqual(consoleErrors, []);
  });
});
