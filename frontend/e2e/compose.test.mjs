// End-to-end test of the reply composer and its approval flow in Debian's Chromium
// against the real Go backend (`stormdesk serve`). No LLM is configured, so drafts
// come from the offline templates; the demo accounts have no connector, so the
// outbox cannot send and the reply ends in the visible failed state with the reason worded for the user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertShownError, shownText } from './goerror.mjs';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

describe('reply composer against the real backend', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    // The only failing call expected is the Go error this test provokes on purpose.
    session = await openSession('e2e-compose', { errors: consoleErrors, expectFailing: ['ModelSettingsService/TestLLM'] });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('r, draft, edit, submit, approve (send disabled on a demo account), queued through Go: failed with Go’s reason, all in the audit trail', async () => {
    const rows = page.locator('[role=listbox] .row');
    await rows.first().waitFor({ timeout: T });
    await page.locator('[role=listbox]').focus();
    const id = Number((await page.locator('[role=listbox] .row[aria-selected=true]').getAttribute('id')).replace('conv-', ''));

    // r opens the selected conversation and puts the keyboard in the composer.
    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    const draftBtn = composer.locator('button[data-action=draft]');
    await draftBtn.waitFor({ timeout: T });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'draft', null, { timeout: T });
    assert.equal(await composer.getAttribute('data-state'), 'none', 'no reply yet');

    // Record every state the composer shows, so a short-lived "queued" is seen too.
    await page.evaluate(() => {
      const el = document.querySelector('section.composer');
      window.__states = [el.getAttribute('data-state')];
      new MutationObserver(() => {
        const s = el.getAttribute('data-state');
        if (window.__states[window.__states.length - 1] !== s) window.__states.push(s);
      }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
    });

    await page.keyboard.press('Enter'); // the focused Draft button
    await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
    const editor = composer.locator('#reply-text');
    const drafted = await editor.inputValue();
    let replies = await server.call('ComposeService', 'Replies', id);
    assert.equal(replies.length, 1, 'Go stored one reply');
    const reply = replies[0];
    assert.equal(reply.state, 'draft');
    assert.equal(reply.source, 'offline', 'no LLM configured: the offline template drafted it');
    assert.equal(drafted, reply.text, 'the editor shows the text Go drafted');
    assert.ok(drafted.trim().length > 20, `a real draft: ${drafted}`);
    assert.equal(await composer.locator('[data-role=source]').innerText(), 'Offline template');
    assert.equal(reply.approval.needsApprover, false, 'an ordinary demo thread: the author may approve');
    // Every problem Go reports is on screen.
    for (const p of reply.problems ?? []) {
      await composer.locator(`[data-problem="${p}"]`).waitFor({ timeout: T });
    }

    // Edit and save: Go stores the new text.
    const edited = `${drafted.trimEnd()}\nP.S. Checked by the e2e test.`;
    await editor.fill(edited);
    await composer.locator('button[data-action=save]').click();
    await page.waitForFunction(() => document.querySelector('section.composer button[data-action=save]')?.disabled === true, null, { timeout: T });
    // The button is disabled while Go is still saving (and re-checking) too: ask Go until it answers.
    for (const until = Date.now() + T; ; await new Promise((r) => setTimeout(r, 100))) {
      replies = await server.call('ComposeService', 'Replies', id);
      if (replies[0].text === edited || Date.now() > until) break;
    }
    assert.equal(replies[0].text, edited, 'Go stored the edit');

    await composer.locator('button[data-action=submit]').click();
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
    assert.equal(await editor.getAttribute('readonly'), '', 'a submitted reply is read-only');

    // A demo account cannot send: the buttons that end in a send are not offered as working ones.
    const approveSend = composer.locator('button[data-action=approveSend]');
    assert.equal(await approveSend.isDisabled(), true, 'Approve & send is disabled on a demo account');
    assert.match(await approveSend.getAttribute('title'), /Demo accounts cannot send\./, 'with the reason');
    await composer.locator('button[data-action=approve]').click();
    await page.locator('section.composer[data-state=approved]').waitFor({ timeout: T });
    assert.equal(await composer.locator('button[data-action=queue]').isDisabled(), true, 'Queue is disabled too');
    // Queued anyway, through Go: the outbox fails it with the reason the composer warned of.
    await server.call('ComposeService', 'Step', { replyId: reply.id, action: 'queue', text: '', comment: '', checklist: [] });
    await page.locator('section.composer[data-state=failed]').waitFor({ timeout: T });
    const states = await page.evaluate(() => window.__states);
    assert.deepEqual(states.slice(0, 4), ['none', 'draft', 'submitted', 'approved'], 'the composer showed each state in turn');
    assert.equal(states.at(-1), 'failed');

    replies = await server.call('ComposeService', 'Replies', id);
    const failed = replies[0];
    assert.equal(failed.state, 'failed');
    assert.ok(failed.failReason.trim() !== '', 'Go gave a reason');
    // A demo account cannot send: Go stores the reason with its code (stormdesk-error: + JSON),
    // the composer words it for the user and keeps Go's text under Details.
    const coded = JSON.parse(failed.failReason.slice(failed.failReason.indexOf('{')));
    assert.equal(coded.code, 'demo-account', 'the reason carries the demo-account code');
    const shown = await composer.locator('[data-role=fail-reason]').innerText();
    assert.ok(shown.startsWith(`Sending failed: ${shownText(failed.failReason)}`), `the reason is worded for the user: ${shown}`);
    assert.ok(shown.includes(coded.params.account) && shown.includes('Demo accounts cannot send. Connect an account in Settings.'), `it names the demo account and the next step: ${shown}`);
    assert.equal(await composer.locator('[data-role=fail-reason] details code').textContent(), coded.detail, 'Go’s text is under Details');
    assert.ok(await composer.locator('button[data-action=retry]').isDisabled(), 'Retry is shown disabled: it would fail the same way');

    // The audit trail lists every step Go recorded, in order, with the edit's diff.
    await composer.locator(`li[data-reply="${failed.id}"] button[data-action=audit]`).click();
    const steps = composer.locator(`li[data-reply="${failed.id}"] [data-role=audit] > li`);
    const audit = await server.call('ComposeService', 'Audit', failed.id);
    await page.waitForFunction(
      ([rid, n]) => document.querySelectorAll(`section.composer li[data-reply="${rid}"] [data-role=audit] > li[data-action]`).length === n,
      [failed.id, audit.length], { timeout: T },
    );
    const shownActions = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(shownActions, audit.map((a) => a.action));
    assert.deepEqual(shownActions, ['create', 'edit', 'submit', 'approve', 'queue', 'fail']);
    const editStep = steps.nth(1);
    assert.ok((await editStep.locator('[data-role=diff] ins').allInnerTexts()).join(' ').includes('e2e'), 'the edit diff shows the added words');
    assert.ok((await steps.nth(5).innerText()).includes('Demo accounts cannot send.'), 'the fail step carries the reason');
    await screenshot(page, 'compose.png');

    // Esc leaves the composer: the list has the keyboard again.
    await page.locator('#reply-text').focus();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'listbox', null, { timeout: T });
  });

  test('settings: Test connection shows Go’s reason; a knowledge-base entry is stored', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    const llm = page.locator('section.llm');
    await llm.waitFor({ timeout: T });
    assert.equal(await page.locator('#llm-api-key').getAttribute('type'), 'password');
    assert.equal(await page.locator('#llm-api-key').inputValue(), '', 'the stored key is never shown');

    let goErr = '';
    try {
      await server.call('ModelSettingsService', 'TestLLM');
    } catch (e) {
      goErr = e.message;
    }
    assert.ok(goErr !== '', 'without an LLM, Go refuses the test');
    await llm.locator('button[data-action=test-llm]').click();
    const result = llm.locator('[data-role=llm-test][data-ok=false]');
    await result.waitFor({ timeout: T });
    await assertShownError(result, goErr);

    await page.locator('button[data-action=add-kb]').click();
    await page.locator('#kb-id').fill('e2e-delivery');
    await page.locator('#kb-lang').selectOption('en');
    await page.locator('#kb-title').fill('Delivery delays');
    await page.locator('#kb-text').fill('Parcels delayed by more than 5 days are re-sent free of charge.');
    await page.locator('button[data-action=save-kb]').click();
    await page.locator('li[data-kb="e2e-delivery"]').waitFor({ timeout: T });
    const kb = await server.call('ReplyLibraryService', 'KB', '');
    const entry = kb.find((e) => e.id === 'e2e-delivery');
    assert.ok(entry, 'Go stored the entry');
    assert.equal(entry.title, 'Delivery delays');
    assert.equal(entry.lang, 'en');
    assert.deepEqual(consoleErrors, [], 'no script errors or failed requests');
  });
});
