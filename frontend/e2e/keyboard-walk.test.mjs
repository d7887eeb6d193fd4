// A keyboard-only walk through the app against the real binary with the demo data:
// open a conversation, reply, submit, approve, leave the composer, close the
// conversation, search, open and leave the shortcut sheet and a menu, switch every
// screen. No pointer event reaches the page (counted in the page and asserted 0).
// Every control used is reached with Tab, so a control the keyboard cannot reach, or
// a place Tab cannot leave, fails the walk. The shortcut sheet must list every key
// the global handler (src/lib/keyboard.ts) acts on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openSession } from './harness.mjs';

const T = 20_000;

/** countPointer is an init script: every pointer or mouse event in the page is counted. */
function countPointer() {
  window.__pointer = 0;
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'pointermove']) {
    window.addEventListener(
      type,
      (e) => {
        // A click the browser synthesises for Enter or Space on a button has no pointer (detail 0).
        if (type === 'click' && e.detail === 0) return;
        window.__pointer++;
      },
      true,
    );
  }
}

/** active describes the focused element, for assertions and failure messages. */
const active = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.dataset.action ? `[data-action=${el.dataset.action}]` : ''}${el.id ? '#' + el.id : ''}` : '';
  });

/** tabTo presses Tab until the focused element matches selector; fails when max presses do not get there. */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab did not reach ${selector} in ${max} presses (focus on ${await active(page)})`);
}

describe('keyboard only', () => {
  let session, server, page;

  before(async () => {
    session = await openSession('e2e-keyboard', { initScript: countPointer });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('open, reply, submit, approve, leave the composer, close', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const row = page.locator('[role=listbox] .row[aria-selected=true]');
    const id = Number((await row.getAttribute('id')).replace('conv-', ''));
    await page.keyboard.press('Enter');
    await page.locator('.thread .messages > *').first().waitFor({ timeout: T });

    await page.keyboard.press('r');
    const composer = page.locator('section.composer');
    await page.waitForFunction(() => document.activeElement?.closest('section.composer') !== null, null, { timeout: T });
    await tabTo(page, 'section.composer [data-action=draft]');
    await page.keyboard.press('Enter');
    await composer.locator('[data-role=state]', { hasText: 'Draft' }).waitFor({ timeout: T });
    await tabTo(page, 'section.composer [data-action=submit]');
    await page.keyboard.press('Enter');
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
    await tabTo(page, 'section.composer [data-action=approve]');
    await page.keyboard.press('Enter');
    await page.locator('section.composer[data-state=approved]').waitFor({ timeout: T });
    const replies = await server.call('ComposeService', 'Replies', id);
    assert.equal(replies.at(-1).state, 'approved', 'Go stored the approval made from the keyboard');
    // The state change is said in the page's polite live region.
    await page.locator('[data-live=polite]', { hasText: 'Approved' }).waitFor({ timeout: T });

    // Esc leaves the composer: no trap, and the list has the keyboard again.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'listbox', null, { timeout: T });
    await page.keyboard.press('e');
    await waitFor(async () => (await server.call('InboxService', 'Thread', id)).conversation.status === 'closed', 'Go has the conversation closed');
  });

  test('search from the keyboard and back to the list', async () => {
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
    const th = await server.call('InboxService', 'Thread', Number((await page.locator('[role=listbox] .row').first().getAttribute('id')).replace('conv-', '')));
    const word = th.messages.map((m) => m.text).join(' ').split(/[^\p{L}]+/u).find((w) => w.length >= 5);
    await page.keyboard.type(word);
    assert.equal(await page.locator('#search-input').inputValue(), word, 'every typed key reached the field');
    await page.keyboard.press('Enter');
    await page.locator('.hit').first().waitFor({ timeout: T });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'listbox', null, { timeout: T });
    assert.equal(await page.locator('#search-input').inputValue(), '');
  });

  test('the snooze menu takes focus and Esc leaves it', async () => {
    await page.keyboard.press('Enter');
    await page.locator('.thread .messages > *').first().waitFor({ timeout: T });
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.activeElement?.closest('.pop-menu') !== null, null, { timeout: T });
    await page.keyboard.press('Escape');
    await page.locator('.pop-menu').waitFor({ state: 'detached', timeout: T });
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.pop-menu') ?? null), null);
  });

  test('the shortcut sheet keeps Tab inside, Esc closes it and focus comes back', async () => {
    await page.keyboard.press('Escape');
    const before = await active(page);
    await page.keyboard.press('?');
    const dialog = page.locator('[role=dialog]#shortcuts');
    await dialog.waitFor({ timeout: T });
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[role=dialog]')), `Tab ${i + 1} stays in the dialog`);
    }
    await page.keyboard.press('Shift+Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[role=dialog]')), 'Shift+Tab stays in the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: T });
    assert.equal(await active(page), before, 'focus is back where it was');
  });

  test('every screen with g and a letter', async () => {
    for (const [key, screen] of [['c', 'crisis'], ['a', 'analytics'], ['l', 'listening'], ['s', 'settings'], ['i', 'inbox']]) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await page.locator(`nav.sidebar .screen[data-screen=${screen}][aria-current=page]`).waitFor({ timeout: T });
      assert.equal(await page.locator('main h1').count(), 1, `${screen} has one h1 in main`);
    }
  });

  test('the shortcut sheet lists every key the app acts on', async () => {
    const src = readFileSync(new URL('../src/lib/keyboard.ts', import.meta.url), 'utf8');
    const handled = new Set([...src.matchAll(/case '([^']+)':/g)].map((m) => m[1]));
    for (const m of src.matchAll(/e\.key === '([^']+)'/g)) handled.add(m[1]);
    const goKeys = /GO_KEYS = \{([^}]*)\}/.exec(src)[1].match(/\b([a-z]): '/g).map((s) => s[0]);
    await page.keyboard.press('?');
    const dialog = page.locator('[role=dialog]#shortcuts');
    await dialog.waitFor({ timeout: T });
    const listed = (await dialog.locator('kbd').allInnerTexts()).map((k) => k.trim());
    const shown = { J: 'Shift+J', K: 'Shift+K', ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc', z: 'z', g: 'g' };
    const missing = [...handled].filter((k) => !listed.includes(shown[k] ?? k));
    assert.deepEqual(missing, [], `keys handled in keyboard.ts but not in the shortcut sheet: ${missing}`);
    for (const g of goKeys) assert.ok(listed.includes(g), `g ${g} is listed`);
    await page.keyboard.press('Escape');
  });

  test('no pointer event reached the page', async () => {
    assert.equal(await page.evaluate(() => window.__pointer), 0);
  });
});

async function waitFor(fn, what) {
  const end = Date.now() + T;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
