// One person in crisis mode, through the real binary: a Mastodon account at the
// test server (mastodonfake, its own process) is put in crisis mode, the person
// drafts and submits a reply, is offered a self-review and no Approve that Go
// would refuse, ticks the transparency checklist in the dialog, approves, and
// the outbox posts the reply through the real Mastodon client. The audit shows
// the self-review with its checklist; Settings says how approval works; the
// approval queue row keeps its layout at 1280x800 and at a narrow width, in
// English and Russian. Saving the account writes its token to the OS keyring:
// run under a Secret Service (the Makefile's throwaway gnome-keyring).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot, startFakeAPI, VIEWPORT, waitUntil } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion
const ACCOUNT = 'e2e-crisis-mastodon';

// The composer's buttons and the Go step each one takes (lib/compose.ts).
const STEP_OF = { save: 'edit', submit: 'submit', withdraw: 'withdraw', approve: 'approve', approveSend: 'approve', selfReview: 'self-review', reject: 'reject', queue: 'queue', retry: 'retry' };

/** buttonsGoAllows checks every workflow button on screen is a step Go allows this person now. */
async function assertOnlyAllowed(composer, server, convId) {
  const replies = await server.call('ComposeService', 'Replies', convId);
  const current = replies[replies.length - 1];
  const shown = await composer.locator('.toolbar button[data-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));
  for (const a of shown) {
    if (a === 'draft' || a === 'canned') continue;
    assert.ok(current.allowed.includes(STEP_OF[a]), `button ${a} is shown, but Go allows only ${current.allowed} on a ${current.state} reply`);
  }
  return { shown, current };
}

describe('self-review: one person approves a crisis reply', () => {
  let session, fake, server, page, convId, replyId;
  const consoleErrors = [];

  before(async () => {
    fake = await startFakeAPI();
    session = await openSession('e2e-self-review', { demo: false, db: 'review.db', errors: consoleErrors });
    ({ server, page } = session);
    await server.call('AccountsService', 'Save', {
      name: ACCOUNT, channel: 'mastodon', brand: 'Acme', handle: '',
      settings: JSON.stringify({ baseUrl: fake.url }), secrets: { token: fake.token },
    });
    await server.call('AccountsService', 'SyncNow', ACCOUNT);
    const convs = await waitUntil(
      async () => {
        const p = await server.call('InboxService', 'Conversations', { channel: 'mastodon' });
        return p.items?.length ? p.items : null;
      },
      { timeoutMs: 30_000, what: 'the synced mention in Go' },
    );
    convId = convs[0].id;
    await server.call('CrisisService', 'SetCrisisMode', ACCOUNT, true);
  });

  after(async () => {
    await fake?.stop();
    await session?.close();
  });

  test('draft, submit, self-review with the checklist, sent; no button Go would refuse', async () => {
    await page.reload();
    const row = page.locator(`[role=listbox] #conv-${convId}`);
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    await composer.locator('button[data-action=draft]').click();
    await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
    await assertOnlyAllowed(composer, server, convId);

    await composer.locator('button[data-action=submit]').click();
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
    const { shown, current } = await assertOnlyAllowed(composer, server, convId);
    replyId = current.id;
    assert.equal(current.approval.twoPerson, true, 'crisis mode asks for a second look');
    assert.deepEqual(current.allowed, ['withdraw', 'self-review'], 'Go offers one person a self-review and no plain approval');
    assert.ok(!shown.includes('approveSend') && !shown.includes('approve'), `no Approve button Go would refuse: ${shown}`);
    assert.ok(shown.includes('selfReview'));
    await composer.locator('[data-role=self-review-needed]').waitFor({ timeout: T });
    // Go still refuses a plain approval and a self-review without the checklist.
    await assert.rejects(server.call('ComposeService', 'Step', { replyId, action: 'approve', text: '', comment: '', checklist: [] }));
    await assert.rejects(server.call('ComposeService', 'Step', { replyId, action: 'self-review', text: '', comment: '', checklist: ['no-blame'] }));
    assert.deepEqual(await fake.posted(), [], 'nothing is posted before approval');

    await composer.locator('button[data-action=selfReview]').click();
    const dialog = page.locator('#self-review');
    await dialog.waitFor({ timeout: T });
    const boxes = dialog.locator('input[type=checkbox]');
    assert.equal(await boxes.count(), 5, 'five transparency rules');
    const confirm = dialog.locator('[data-action=confirm-self-review]');
    assert.equal(await confirm.isDisabled(), true, 'nothing to approve before the checklist is ticked');
    // The keyboard works the list: focus starts on the first rule, Space ticks, Tab moves on.
    await page.waitForFunction(() => document.activeElement?.matches('#self-review input[type=checkbox]'), null, { timeout: T });
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Space');
      if (i < 4) await page.keyboard.press('Tab');
    }
    assert.equal(await confirm.isDisabled(), false, 'every rule ticked');
    await dialog.locator('[data-role=review-note]').fill('checked against the status page');
    await screenshot(page, 'self-review.png');
    // The dialog follows a language switch (the select is behind the dialog, not disabled).
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru', null, { timeout: T });
    await screenshot(page, 'self-review-ru.png');
    await lang.selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: T });
    await confirm.click();
    await dialog.waitFor({ state: 'detached', timeout: T });
    await page.locator('section.composer[data-state=sent]').waitFor({ timeout: 30_000 });

    const posted = await fake.posted();
    assert.equal(posted.length, 1, `the fake received exactly one status: ${JSON.stringify(posted)}`);
    const audit = await server.call('ComposeService', 'Audit', replyId);
    assert.deepEqual(audit.map((a) => a.action).slice(0, 4), ['create', 'submit', 'self-review', 'queue']);
    assert.ok(audit.some((a) => a.action === 'sent'), 'the audit records the send');
    const review = audit.find((a) => a.action === 'self-review');
    assert.match(review.comment, /^checked against the status page\nself-review checklist: facts-from-kb, no-unapproved-promises, known-and-unknown, next-update, no-blame/);

    // The audit in the window names the self-review and lists the checklist in words.
    const hist = composer.locator(`li.reply[data-reply="${replyId}"]`);
    await hist.locator('[data-action=audit]').click();
    const step = hist.locator('[data-role=audit] li[data-action=self-review]');
    await step.waitFor({ timeout: T });
    assert.match(await step.innerText(), /approved by self-review/);
    assert.equal(await step.locator('[data-role=self-review-checklist] li').count(), 5);
    assert.match(await step.innerText(), /It states facts only from the knowledge base\./);
    await assertOnlyAllowed(composer, server, convId);
  });

  test('Settings says who I am and how approval works here', async () => {
    await page.locator('nav.sidebar .screen[data-screen=settings]').click();
    const roles = page.locator('[data-role=roles]');
    await roles.waitFor({ timeout: T });
    const policy = await server.call('ComposeService', 'ApprovalPolicy');
    assert.equal(policy.mode, 'single');
    assert.equal(await roles.locator('[data-role=me]').innerText(), policy.me.name);
    assert.equal(await roles.locator('[data-role=mode]').getAttribute('data-mode'), 'single');
    assert.match(await roles.innerText(), /Single-person workspace/);
    assert.equal(await roles.locator('[data-role=checklist] li').count(), 5);
    await roles.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-roles.png');
    await page.locator('#settings-lang').selectOption('ru');
    await roles.locator('h2', { hasText: 'Роли и утверждение' }).waitFor({ timeout: T });
    assert.match(await roles.innerText(), /Рабочее пространство одного человека/);
    await roles.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-roles-ru.png');
    await page.locator('#settings-lang').selectOption('en');
  });

  test('the approval queue row keeps its layout at 1280x800 and narrow, in English and Russian', async () => {
    // A second crisis reply waits for approval; its text is long enough to wrap.
    const long = 'We know the service is down for many of you since this morning. Our engineers are restoring it now; we do not yet know when it will be back. We will post the next update here by Friday, and we are sorry for the trouble.';
    const draft = await server.call('ComposeService', 'Draft', convId, '');
    await server.call('ComposeService', 'Step', { replyId: draft.id, action: 'edit', text: long, comment: '' });
    await server.call('ComposeService', 'Step', { replyId: draft.id, action: 'submit', text: '', comment: '' });
    const queued = (await server.call('ComposeService', 'ApprovalQueue')).find((p) => p.reply.id === draft.id);
    const goWarnings = (queued.reply.problems ?? []).length + (queued.reply.injection ?? []).length;
    assert.ok(goWarnings > 0, `the long text carries an unbacked deadline warning: ${JSON.stringify(queued.reply.problems)}`);

    for (const [lang, width] of [['en', VIEWPORT.width], ['en', 640], ['ru', VIEWPORT.width], ['ru', 640]]) {
      await page.setViewportSize({ width, height: VIEWPORT.height });
      await page.locator('nav.sidebar .screen[data-screen=settings]').click();
      await page.locator('#settings-lang').selectOption(lang);
      await page.locator('nav.sidebar .screen[data-screen=crisis]').click();
      const row = page.locator(`[data-approval-queue] button[data-reply-id="${draft.id}"]`);
      await row.waitFor({ timeout: T });
      await row.scrollIntoViewIfNeeded();
      const box = await row.boundingBox();
      const text = await row.locator('[data-role=reply-text]').boundingBox();
      const badge = await row.locator('[data-role=crisis]').boundingBox();
      const warn = row.locator('[data-role=warnings]');
      assert.equal(Number(await warn.getAttribute('data-count')), goWarnings, 'the row counts the reply’s warnings');
      // One word per line would make the text column a sliver and the row very tall.
      assert.ok(text.width > box.width * 0.4, `${lang} ${width}px: the reply text gets ${text.width}px of a ${box.width}px row`);
      assert.ok(box.height < 140, `${lang} ${width}px: the row is ${box.height}px tall`);
      const overlap = !(badge.x >= text.x + text.width || badge.x + badge.width <= text.x || badge.y >= text.y + text.height || badge.y + badge.height <= text.y);
      assert.ok(!overlap, `${lang} ${width}px: the Crisis badge overlaps the text (${JSON.stringify({ badge, text })})`);
      await screenshot(page, `approval-queue-${lang}${width < VIEWPORT.width ? '-narrow' : ''}.png`);
    }
    await page.setViewportSize(VIEWPORT);
    await page.locator('nav.sidebar .screen[data-screen=settings]').click();
    await page.locator('#settings-lang').selectOption('en');
  });

  test('no script errors or failed requests', () => {
    // Go's refusals above were direct calls, not the page's.
    assert.deepEqual(consoleErrors, []);
  });
});
