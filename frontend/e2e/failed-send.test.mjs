// A failed send in the Russian UI, in Debian's Chromium against the real Go backend
// (`stormdesk serve`, demo data). A demo account has no connection: the composer says
// so when the conversation opens, before anyone approves, and disables Approve & send;
// sending anyway (through Go) ends in the failed state, worded in Russian with the next step and Go's text under
// "Подробности". Closing the conversation does not hide the failure: its row carries
// the failed mark and the "Не отправлено" (Failed to send) view lists it, newest first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGoError, shownText } from './goerror.mjs';
import { openSession, screenshot } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

describe('a reply to a demo account fails visibly, in Russian', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-failed-send', { errors: consoleErrors, initScript: () => localStorage.setItem('stormdesk.lang', 'ru') });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('the composer warns, the failure reads in Russian, the closed row is marked and in the view', async () => {
    const list = page.locator('[role=listbox]');
    await list.locator('.row').first().waitFor({ timeout: T });
    await list.focus();
    const id = Number((await list.locator('.row[aria-selected=true]').getAttribute('id')).replace('conv-', ''));

    // Before anything is drafted, the composer knows the account is a demo account.
    const why = await server.call('ComposeService', 'SendCheck', id);
    const coded = decodeGoError(why);
    assert.equal(coded?.code, 'demo-account', `Go says the demo account cannot send: ${why}`);
    assert.ok(coded.params.account, 'the reason names the account');
    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    const block = composer.locator('[data-role=send-block]');
    await block.waitFor({ timeout: T });
    const warned = await block.innerText();
    assert.ok(warned.startsWith(shownText(why, 'ru')), `the warning is Go's code in Russian: ${warned}`);
    assert.ok(warned.includes(coded.params.account) && warned.includes('Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.'), warned);

    // Approve & send is not offered as a working button: disabled, pointing at the warning.
    await composer.locator('button[data-action=draft]').click();
    await composer.locator('[data-role=state]').waitFor({ timeout: T });
    await composer.locator('button[data-action=submit]').click();
    await page.locator('section.composer[data-state=submitted]').waitFor({ timeout: T });
    const approveSend = composer.locator('button[data-action=approveSend]');
    assert.equal(await approveSend.isDisabled(), true, 'no send offered on a demo account');
    assert.equal(await approveSend.getAttribute('aria-describedby'), 'send-block');
    assert.ok((await approveSend.getAttribute('title')).includes('Демо-аккаунты не могут отправлять сообщения'), 'the reason, in Russian');
    // Sent anyway through Go: the outbox fails the reply with the coded reason.
    const [submitted] = (await server.call('ComposeService', 'Replies', id)).slice(-1);
    for (const action of ['approve', 'queue']) {
      await server.call('ComposeService', 'Step', { replyId: submitted.id, action, text: '', comment: '', checklist: [] });
    }
    await page.locator('section.composer[data-state=failed]').waitFor({ timeout: T });
    const [failed] = (await server.call('ComposeService', 'Replies', id)).slice(-1);
    assert.equal(failed.state, 'failed');
    const reason = decodeGoError(failed.failReason);
    assert.equal(reason?.code, 'demo-account', `the stored reason carries its code: ${failed.failReason}`);

    const fail = composer.locator('[data-role=fail-reason]');
    const shown = await fail.innerText();
    assert.ok(shown.startsWith(`Не отправлено: ${shownText(failed.failReason, 'ru')}`), `Russian, with the next step: ${shown}`);
    assert.ok(!/no connector|keyring|secret/i.test(shown.split('\n')[0]), `no Go English in the message: ${shown}`);
    assert.equal(await fail.locator('details summary').innerText(), 'Подробности', 'the details fold is Russian');
    assert.equal(await fail.locator('details').getAttribute('open'), null, 'the fold starts closed');
    assert.equal(await fail.locator('details code').textContent(), reason.detail, 'Go’s text is under the fold');
    assert.equal(await composer.locator('[data-role=send-block]').count(), 0, 'the failure is said once, not twice');
    await screenshot(page, 'failed-send-ru.png');

    // Close the conversation (e): it leaves the open list, the failure does not leave the app.
    await page.keyboard.press('Escape');
    await list.focus();
    await page.keyboard.press('e');
    await list.locator(`#conv-${id}`).waitFor({ state: 'detached', timeout: T });
    for (const until = Date.now() + T; ; await new Promise((r) => setTimeout(r, 100))) {
      const th = await server.call('InboxService', 'Thread', id);
      if (th.conversation.status === 'closed') break;
      assert.ok(Date.now() < until, 'Go closed the conversation');
    }

    const goView = await server.call('InboxService', 'Conversations', { failedSend: true, status: '', limit: 50 });
    assert.equal(goView.items[0]?.id, id, 'Go lists it first in the failed view');
    assert.ok(goView.items.every((c) => c.failedSend), 'every row of the view is marked');

    const view = page.locator('nav.sidebar [data-view=failed]');
    assert.equal((await view.innerText()).trim(), 'Не отправлено', 'the view is named in Russian');
    await view.click();
    const row = list.locator(`#conv-${id}`);
    await row.waitFor({ timeout: T });
    assert.equal(await list.locator('.row').first().getAttribute('id'), `conv-${id}`, 'newest failure first');
    const mark = row.locator('[data-role=failed-send]');
    assert.equal((await mark.innerText()).trim(), 'Не отправлен', 'the closed row carries the failed mark');
    assert.equal(await mark.getAttribute('title'), 'Ответ не отправлен');
    assert.equal(await list.locator('.row').count(), goView.items.length, 'the view shows what Go lists');
    await screenshot(page, 'failed-view-ru.png');

    // The English pair of both screenshots: the view, then the failure in the open thread.
    await page.locator('nav.sidebar select').first().selectOption('en');
    await view.locator('text=Failed to send').waitFor({ timeout: T });
    await screenshot(page, 'failed-view.png');
    await row.click();
    await list.focus();
    await page.keyboard.press('r');
    await page.locator('[data-role=fail-reason]').first().waitFor({ timeout: T });
    await screenshot(page, 'failed-send.png');
    // Back to Russian, which the next test reads.
    await page.locator('nav.sidebar select').first().selectOption('ru');
    await view.locator('text=Не отправлено').waitFor({ timeout: T });
  });

  test('Discard in the failed view asks first, is in the audit trail, and the row leaves the view', async () => {
    const list = page.locator('[role=listbox]');
    const row = list.locator('.row').first();
    const id = Number((await row.getAttribute('id')).replace('conv-', ''));
    await row.click();
    await page.keyboard.press('r');
    const composer = page.locator('section.composer[data-state=failed]');
    await composer.waitFor({ timeout: T });
    await composer.locator('button[data-action=discard]', { hasText: 'Отбросить' }).click();
    const confirm = composer.locator('[data-role=discard-confirm]');
    await confirm.waitFor({ timeout: T });
    assert.match(await confirm.innerText(), /Отбросить этот ответ\? Он не будет отправлен/);
    const [before] = (await server.call('ComposeService', 'Replies', id)).slice(-1);
    assert.equal(before.state, 'failed', 'nothing is discarded before the confirmation');
    await confirm.locator('#discard-note').fill('клиенту ответили по телефону');
    await confirm.locator('button[data-action=confirm-discard]').click();

    await list.locator(`#conv-${id}`).waitFor({ state: 'detached', timeout: T });
    const [after] = (await server.call('ComposeService', 'Replies', id)).slice(-1);
    assert.equal(after.state, 'discarded');
    const audit = await server.call('ComposeService', 'Audit', after.id);
    const last = audit.at(-1);
    assert.equal(last.action, 'discard');
    assert.equal(last.from, 'failed');
    assert.equal(last.comment, 'клиенту ответили по телефону');
    const goView = await server.call('InboxService', 'Conversations', { failedSend: true, status: '', limit: 50 });
    assert.ok(!goView.items.some((c) => c.id === id), 'Go no longer lists it as failed');
  });

  test('no script errors or failed requests', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
