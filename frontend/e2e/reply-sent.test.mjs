// Reply → approve → sent through a real connector: the harness runs the Mastodon
// test server (backend/channels/mastodon/mastodonfake) as its own process, the UI
// adds a Mastodon account pointing at it, syncs the seeded mention, drafts a reply
// (offline templates), approves it and the outbox posts it through the real
// Mastodon client over HTTP. The fake then holds exactly one status, and neither
// pressing the buttons again nor reloading the page posts a second one.
// Saving the account writes its token to the OS keyring: run under a Secret
// Service (the Makefile's throwaway gnome-keyring).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot, startFakeAPI, waitUntil } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion
const ACCOUNT = 'e2e-mastodon';

describe('reply → approve → sent through the Mastodon connector', () => {
  let session, fake, server, page;
  const consoleErrors = [];

  before(async () => {
    fake = await startFakeAPI();
    // No demo data: the inbox holds only what the real connector syncs.
    session = await openSession('e2e-reply-sent', { demo: false, db: 'sent.db', errors: consoleErrors });
    ({ server, page } = session);
  });

  after(async () => {
    await fake?.stop();
    await session?.close();
  });

  test('Settings: a Mastodon account at the fake is saved, tested and synced; its mention reaches the inbox', async () => {
    await page.locator('nav.sidebar .screen[data-screen=settings]').click();
    await page.locator('.settings-screen').waitFor({ timeout: T });
    await page.locator('[data-action=add-account]').click();
    const form = page.locator('form.account-form');
    await form.locator('select[name=channel]').selectOption('mastodon');
    await form.locator('input[name=name]').fill(ACCOUNT);
    await form.locator('input[name=brand]').fill('Acme');
    await form.locator('input[name=baseUrl]').fill(fake.url);
    await form.locator('input[name=secret-token]').fill(fake.token);
    await form.locator('button[type=submit]').click();

    const row = page.locator(`li.account[data-account="${ACCOUNT}"]`);
    await row.waitFor({ timeout: T });
    await form.waitFor({ state: 'detached', timeout: T });
    const stored = (await server.call('AccountsService', 'List')).find((a) => a.account.name === ACCOUNT);
    assert.ok(stored, 'Go stored the account');
    assert.deepEqual(JSON.parse(stored.settings), { baseUrl: fake.url });
    assert.ok(!stored.settings.includes(fake.token), 'the token is not in the stored settings');

    await row.locator('[data-action=test]').click();
    await row.locator('.test-result[data-ok=true]').waitFor({ timeout: T });

    await row.locator('[data-action=sync]').click();
    // The connector's first sync stores the fake's mention as a conversation.
    const convs = await waitUntil(
      async () => {
        const p = await server.call('InboxService', 'Conversations', { channel: 'mastodon' });
        return p.items?.length ? p.items : null;
      },
      { timeoutMs: 30_000, what: 'the synced mention in Go' },
    );
    assert.equal(convs.length, 1, 'Go stored one conversation');

    await page.locator('nav.sidebar .screen[data-screen=inbox]').click();
    const listRow = page.locator('[role=listbox] .row', { hasText: 'Casey Customer' });
    await listRow.first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[role=listbox] .row').count(), 1, 'exactly the one synced conversation');
  });

  test('r, draft, submit, approve & send: "sent", one status at the fake, no second send', async () => {
    const list = page.locator('[role=listbox]');
    await list.locator('.row').first().click();
    await list.focus();
    const id = Number((await list.locator('.row[aria-selected=true]').getAttribute('id')).replace('conv-', ''));
    const thread = await server.call('InboxService', 'Thread', id);
    assert.ok(JSON.stringify(thread).includes('4711'), 'the thread is the fake’s mention');

    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    await composer.locator('button[data-action=draft]').waitFor({ timeout: T });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'draft', null, { timeout: T });
    await page.keyboard.press('Enter');
    await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
    const [draft] = await server.call('ComposeService', 'Replies', id);
    assert.equal(draft.source, 'offline', 'no LLM configured: the offline template drafted it');

    await composer.locator('button[data-action=submit]').click();
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
    assert.deepEqual(await fake.posted(), [], 'nothing is posted before approval');

    await composer.locator('button[data-action=approveSend]').click();
    await page.locator('section.composer[data-state=sent]').waitFor({ timeout: 30_000 });
    await composer.locator('[data-role=state]', { hasText: 'Sent' }).waitFor({ timeout: T });

    const [sent] = await server.call('ComposeService', 'Replies', id);
    assert.equal(sent.state, 'sent', 'Go stored the reply as sent');
    let posted = await fake.posted();
    assert.equal(posted.length, 1, `the fake received exactly one status: ${JSON.stringify(posted)}`);
    assert.equal(posted[0].InReplyToID, fake.status, 'the status answers the mention');
    // Mastodon replies address the author, so the connector puts their handle first.
    assert.equal(posted[0].Status, `@customer@social.example ${sent.text}`, 'the fake received the approved text, addressed to the author');
    assert.ok(posted[0].IdempotencyKey !== '', 'the client sent an Idempotency-Key');
    const audit = (await server.call('ComposeService', 'Audit', sent.id)).map((a) => a.action);
    assert.deepEqual(audit.slice(0, 4), ['create', 'submit', 'approve', 'queue']);
    assert.ok(audit.includes('sent') || audit.includes('send'), `the audit trail records the send: ${audit}`);
    await screenshot(page, 'reply-sent.png');

    // No button on screen sends it again; Go refuses a second approve or queue.
    for (const a of ['approveSend', 'queue', 'retry', 'approve']) {
      assert.equal(await composer.locator(`button[data-action=${a}]`).count(), 0, `no ${a} button on a sent reply`);
    }
    for (const action of ['approve', 'queue', 'retry']) {
      await assert.rejects(server.call('ComposeService', 'Step', { replyId: sent.id, action, text: '', comment: '' }), `Go refuses ${action} on a sent reply`);
    }

    // Reload: the conversation still shows the reply as sent, and the outbox does not resend it.
    await page.reload();
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    await page.locator(`[role=listbox] #conv-${id}`).click();
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('r');
    // A sent reply is history: the composer starts empty and lists it with its state.
    await page.locator(`section.composer li.reply[data-reply="${sent.id}"] .badge.st-sent`).waitFor({ timeout: T });
    assert.equal(await page.locator('section.composer').getAttribute('data-state'), 'none', 'nothing pending to send');
    await new Promise((r) => setTimeout(r, 3000)); // several outbox passes
    posted = await fake.posted();
    assert.equal(posted.length, 1, `still exactly one status after reload: ${JSON.stringify(posted)}`);
    const after = await server.call('ComposeService', 'Replies', id);
    assert.equal(after.length, 1);
    assert.equal(after[0].state, 'sent');
  });

  test('no script errors or failed requests', () => {
    // Go's refusals of the extra steps above were direct calls, not the page's.
    assert.deepEqual(consoleErrors, []);
  });
});
