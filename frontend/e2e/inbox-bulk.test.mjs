// Browser test of the inbox's bulk selection, undo, notes, snooze and saved views
// against the real Go backend (`stormdesk serve` with the demo data): every step is
// done with the keyboard or the mouse as a user would, and checked against what Go
// stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot, waitUntil } from './harness.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

const query = (extra = {}) => ({
  status: 'open', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
  unassigned: false, mine: false, order: 'newest', cursor: '', limit: 100, snoozed: false, ...extra,
});

describe('inbox bulk actions, undo, notes, snooze and saved views in a browser', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-inbox-bulk', { errors: consoleErrors });
    ({ server, page } = session);
  });

  after(() => session?.close());

  const rowIds = () => page.locator('[role=listbox] .row').evaluateAll((rows) => rows.map((r) => Number(r.id.slice('conv-'.length))));
  const status = async (id) => (await server.call('InboxService', 'Thread', id)).conversation.status;
  const leaveInputs = () => page.locator('body').click({ position: { x: 5, y: 790 } });
  /** Opens conversation id and gives the keys back to the page's shortcuts. */
  async function openConversation(id) {
    await page.locator(`#conv-${id}`).click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    await leaveInputs();
  }

  /** Checks the first row of All open and the one below it with x and shift+J. */
  async function checkFirstTwo() {
    await page.locator('[data-view=all]').click();
    await page.locator('[role=listbox] .row').first().click();
    await leaveInputs();
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('x');
    await page.keyboard.press('Shift+J');
  }

  /** The highlighted row, when there is one, is the conversation the thread shows. */
  async function assertInStep() {
    const state = await page.evaluate(() => {
      const sel = document.querySelector('[role=listbox] .row[aria-selected=true]');
      return { selected: sel?.id ?? '', open: document.querySelector('[role=listbox] .row.open')?.id ?? '' };
    });
    if (state.selected && state.open) assert.equal(state.selected, state.open, 'highlighted row and open thread differ');
  }

  test('x checks three rows, e closes them in one action, z undoes it', async () => {
    const first = page.locator('[role=listbox] .row').first();
    await first.click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    await leaveInputs();
    await page.locator('[role=listbox]').focus();
    for (const key of ['x', 'j', 'x', 'j', 'x']) await page.keyboard.press(key);
    const bar = page.locator('[data-bulk-bar]');
    await bar.waitFor({ timeout: T });
    assert.match(await bar.innerText(), /3 selected/);
    const checked = await page.locator('[role=listbox] .row[data-checked]').evaluateAll((rows) => rows.map((r) => Number(r.id.slice(5))));
    assert.equal(checked.length, 3);
    await assertInStep();
    await screenshot(page, 'inbox-bulk-en.png');

    await page.keyboard.press('e');
    const toast = page.locator('[data-undo-toast]');
    await toast.waitFor({ timeout: T });
    assert.match(await toast.innerText(), /3 conversations closed/);
    await waitUntil(async () => (await rowIds()).every((id) => !checked.includes(id)), { what: 'closed rows leave the open view' });
    for (const id of checked) assert.equal(await status(id), 'closed', `conversation ${id} is closed in Go`);
    assert.equal(await page.locator('[data-bulk-bar]').count(), 0, 'the selection is cleared');
    await assertInStep();

    await page.keyboard.press('z');
    await waitUntil(async () => (await rowIds()).filter((id) => checked.includes(id)).length === 3, { what: 'all three rows back' });
    for (const id of checked) assert.equal(await status(id), 'open', `conversation ${id} is open again in Go`);
    await assertInStep();
  });

  test('checked rows are assigned to a person the workspace knows, and to someone new by name', async () => {
    await checkFirstTwo();
    const checked = await page.locator('[role=listbox] .row[data-checked]').evaluateAll((rows) => rows.map((r) => Number(r.id.slice(5))));
    assert.equal(checked.length, 2);
    await page.locator('[data-bulk=assign-to]').click();
    const menu = page.locator('[data-assign-menu]');
    await menu.waitFor({ timeout: T });
    const people = await server.call('InboxService', 'Assignees');
    assert.ok(people.length > 1, `the demo workspace knows several people: ${people}`);
    const offered = await menu.locator('button[data-assignee]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-assignee')));
    for (const p of people) assert.ok(offered.includes(p), `${p} is offered`);
    const who = people.find((p) => p !== (offered[0] ?? ''));
    await menu.locator(`button[data-assignee="${who}"]`).click();
    await page.locator('[data-undo-toast]').waitFor({ timeout: T });
    for (const id of checked) assert.equal((await server.call('InboxService', 'Thread', id)).conversation.assignee, who);

    // Someone Go does not know yet, typed by name.
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('x');
    const one = await page.locator('[role=listbox] .row[data-checked]').evaluateAll((rows) => rows.map((r) => Number(r.id.slice(5))));
    await page.locator('[data-bulk=assign-to]').click();
    await menu.locator('[data-assign-other]').fill('Pat Doe');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await server.call('InboxService', 'Thread', one[0])).conversation.assignee === 'Pat Doe', { what: 'Go stores the typed assignee' });
    assert.ok((await server.call('InboxService', 'Assignees')).includes('Pat Doe'));
  });

  test('e on the open conversation moves the thread on with the highlight', async () => {
    await page.locator('[role=listbox] .row').nth(1).click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    const before = await rowIds();
    const closed = before[1];
    await leaveInputs();
    await page.keyboard.press('e');
    await waitUntil(async () => !(await rowIds()).includes(closed), { what: 'the closed row leaves' });
    await waitUntil(async () => (await page.locator('[role=listbox] .row.open').count()) === 1, { what: 'the next row opens' });
    assert.equal(await page.locator('[role=listbox] .row.open').getAttribute('id'), `conv-${before[2]}`);
    await assertInStep();
    await page.keyboard.press('Control+z');
    await waitUntil(async () => (await rowIds()).includes(closed), { what: 'Ctrl+Z brings it back' });
    assert.equal(await status(closed), 'open');
    await waitUntil(async () => (await page.locator('[role=listbox] .row.open').getAttribute('id')) === `conv-${closed}`, {
      what: 'the undone conversation is open again',
    });
    await assertInStep();
  });

  test('n writes an internal note shown in the thread and stored in Go', async () => {
    const id = (await rowIds())[0];
    await openConversation(id);
    await page.keyboard.press('n');
    const editor = page.locator('[data-note-editor] textarea');
    await editor.waitFor({ timeout: T });
    await editor.fill('Refund approved by finance, call back Friday');
    await page.keyboard.press('Control+Enter');
    const note = page.locator('section.thread [data-note]');
    await note.waitFor({ timeout: T });
    assert.match(await note.innerText(), /internal note/i);
    assert.match(await note.innerText(), /Refund approved by finance/);
    const th = await server.call('InboxService', 'Thread', id);
    assert.deepEqual(th.notes.map((n) => n.body), ['Refund approved by finance, call back Friday']);
    assert.ok(!th.messages.some((m) => m.text.includes('Refund approved')), 'a note is never a message');
  });

  test('s snoozes the open conversation: it leaves the open view and is in Snoozed', async () => {
    const id = (await rowIds())[0];
    await openConversation(id);
    await page.keyboard.press('s');
    const menu = page.locator('[data-snooze-menu]');
    await menu.waitFor({ timeout: T });
    await menu.locator('[data-preset=tomorrow]').click();
    await waitUntil(async () => !(await rowIds()).includes(id), { what: 'the snoozed row leaves the open view' });
    const open = await server.call('InboxService', 'Conversations', query());
    assert.ok(!open.items.some((c) => c.id === id), 'Go leaves it out of the open view');

    await page.locator('[data-view=snoozed]').click();
    await page.locator(`#conv-${id}`).waitFor({ timeout: T });
    const snoozed = await server.call('InboxService', 'Conversations', query({ status: '', snoozed: true }));
    assert.deepEqual(snoozed.items.map((c) => c.id), [id]);
    // The row says when it wakes, and the sidebar counts what the view lists.
    const wake = page.locator(`#conv-${id} [data-role=snoozed-until]`);
    await wake.waitFor({ timeout: T });
    const goUntil = snoozed.items[0].snoozedUntil;
    assert.ok(goUntil, 'Go sends the wake time with the row');
    const weekday = await page.evaluate((iso) => new Intl.DateTimeFormat('en', { weekday: 'short' }).format(new Date(iso)), goUntil);
    assert.match(await wake.innerText(), new RegExp(`^until ${weekday} `));
    assert.equal(await wake.getAttribute('data-until'), goUntil);
    const stats = await server.call('InboxService', 'Stats');
    assert.equal(stats.snoozed, 1);
    assert.equal(await page.locator('[data-view=snoozed] .count').innerText(), String(stats.snoozed));
    await page.locator(`#conv-${id}`).click();
    const until = page.locator('section.thread [data-snoozed-until]');
    await until.waitFor({ timeout: T });
    assert.match(await until.innerText(), /Snoozed until/);
    await screenshot(page, 'inbox-snoozed-en.png');
  });

  test('the current filters are saved as a view that opens again from the sidebar', async () => {
    await page.locator('[data-view=negative]').click();
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    await page.locator('[data-action=save-view]').click();
    await page.locator('[data-view-name]').fill('Angry customers');
    await page.keyboard.press('Enter');
    const saved = page.locator('[data-saved-views] button.item', { hasText: 'Angry customers' });
    await saved.waitFor({ timeout: T });
    const views = await server.call('InboxService', 'SavedViews');
    assert.equal(views.length, 1);
    assert.equal(views[0].name, 'Angry customers');
    assert.equal(views[0].filters.sentiment, 'negative');

    await page.locator('[data-view=all]').click();
    await page.waitForFunction(() => document.querySelector('[data-view=all]')?.getAttribute('aria-current') === 'page', null, { timeout: T });
    await saved.click();
    await page.waitForFunction(() => document.querySelector('[data-saved-views] button.item')?.getAttribute('aria-current') === 'page', null, { timeout: T });
    const want = (await server.call('InboxService', 'Conversations', query({ sentiment: 'negative' }))).items.map((c) => c.id);
    await waitUntil(async () => {
      const ids = await rowIds();
      return ids.length > 0 && ids.slice(0, 5).join() === want.slice(0, 5).join();
    }, { what: 'the saved view shows the negative conversations' });

    // g then 1 opens the first saved view from anywhere, and the shortcut sheet says so.
    await page.locator('[data-view=all]').click();
    await page.waitForFunction(() => document.querySelector('[data-view=all]')?.getAttribute('aria-current') === 'page', null, { timeout: T });
    assert.equal(await saved.locator('kbd').innerText(), 'g 1');
    await leaveInputs();
    await page.keyboard.press('g');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.querySelector('[data-saved-views] button.item')?.getAttribute('aria-current') === 'page', null, { timeout: T });
    await page.keyboard.press('?');
    await page.locator('#shortcuts').waitFor({ timeout: T });
    assert.match(await page.locator('#shortcuts').innerText(), /Open saved view 1–9/);
    await page.keyboard.press('Escape');
    await page.locator('#shortcuts').waitFor({ state: 'detached', timeout: T });

    // Rename and delete from the keyboard: the view's buttons take the focus and Enter.
    await page.getByRole('button', { name: 'Rename view Angry customers' }).focus();
    await page.keyboard.press('Enter');
    const input = page.locator('[data-saved-views] input');
    await input.waitFor({ timeout: T });
    await input.fill('Negative first');
    await page.keyboard.press('Enter');
    await page.locator('[data-saved-views] button.item', { hasText: 'Negative first' }).waitFor({ timeout: T });
    assert.deepEqual((await server.call('InboxService', 'SavedViews')).map((v) => v.name), ['Negative first']);
    await page.getByRole('button', { name: 'Delete view Negative first' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-saved-views]').waitFor({ state: 'detached', timeout: T });
    assert.deepEqual(await server.call('InboxService', 'SavedViews'), []);
    await page.waitForFunction(() => document.querySelector('[data-view=all]')?.getAttribute('aria-current') === 'page', null, { timeout: T });
  });

  test('in Russian the bulk bar and the snooze menu read in Russian; Esc clears the selection', async () => {
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('ru');
    await checkFirstTwo();
    const bar = page.locator('[data-bulk-bar]');
    await bar.waitFor({ timeout: T });
    assert.match(await bar.innerText(), /Выбрано 2 диалога/);
    assert.match(await bar.innerText(), /Это спам/);
    await page.keyboard.press('s');
    await page.locator('[data-snooze-menu]').waitFor({ timeout: T });
    assert.match(await page.locator('[data-snooze-menu]').innerText(), /Завтра утром/);
    await screenshot(page, 'inbox-bulk-ru.png');
    await page.keyboard.press('Escape'); // closes the menu
    await page.locator('[data-snooze-menu]').waitFor({ state: 'detached', timeout: T });
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('Escape'); // clears the selection
    await bar.waitFor({ state: 'detached', timeout: T });
    assert.equal(await page.locator('[role=listbox] .row[data-checked]').count(), 0);
    // The snoozed row says when it wakes in Russian ("до …").
    await page.locator('[data-view=snoozed]').click();
    const wake = page.locator('[role=listbox] [data-role=snoozed-until]').first();
    await wake.waitFor({ timeout: T });
    assert.match(await wake.innerText(), /^до /);
    await screenshot(page, 'inbox-snoozed-ru.png');
    await lang.selectOption('en');
    assert.deepEqual(consoleErrors, []);
  });

  test('in German a day and a time typed as Germans write them snooze until that local time', async () => {
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('de');
    await page.locator('[data-view=all]').click();
    const id = (await server.call('InboxService', 'Conversations', query())).items[0].id;
    await waitUntil(async () => (await rowIds())[0] === id, { what: 'the open view listed again' });
    await openConversation(id);
    await page.keyboard.press('s');
    const menu = page.locator('[data-snooze-menu]');
    await menu.waitFor({ timeout: T });
    const want = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 3);
      d.setHours(7, 5, 0, 0);
      const p = (n) => String(n).padStart(2, '0');
      return { day: `${d.getDate()}.${p(d.getMonth() + 1)}.${d.getFullYear()}`, at: d.getTime() };
    });
    const date = menu.locator('input[data-snooze-date]');
    const time = menu.locator('input[data-snooze-time]');
    assert.match(await date.inputValue(), /^\d\d\.\d\d\.\d{4}$/, 'tomorrow shows as Germans write a day');
    assert.equal(await time.inputValue(), '09:00');
    await date.fill(want.day);
    await time.fill('7.5');
    await time.press('Enter');
    await menu.locator('[data-snooze-error]', { hasText: 'Geben Sie eine Uhrzeit als HH:MM ein' }).waitFor({ timeout: T });
    await time.fill('7:05');
    await time.press('Enter');
    await waitUntil(async () => !(await rowIds()).includes(id), { what: 'the snoozed row leaves the open view' });
    const snoozed = await server.call('InboxService', 'Conversations', query({ status: '', snoozed: true }));
    const row = snoozed.items.find((c) => c.id === id);
    assert.ok(row, 'Go lists the conversation as snoozed');
    assert.equal(Date.parse(row.snoozedUntil), want.at, `Go holds ${row.snoozedUntil}, want 07:05 local in three days`);
    await lang.selectOption('en');
    assert.deepEqual(consoleErrors, []);
  });
});
