// WCAG 2.1 A and AA with axe-core on every screen and state the app has, in English,
// Russian and German and in the light and dark themes, against the real binary with the
// demo data. 0 violations: a failing state lists each rule, the element and axe's fix.
// docs/accessibility.md says what else is checked and how.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openSession, printedToken, runStormdesk, startPGCluster, startTeamServer, tempDir, waitUntil } from './harness.mjs';
import { axeViolations, formatViolations } from './axe.mjs';

const T = 30_000;

/** go switches screens the keyboard way: "g" then the screen's letter. */
async function go(page, key, ready) {
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await page.keyboard.press('g');
  await page.keyboard.press(key);
  await page.locator(ready).first().waitFor({ timeout: T });
}

/** openThread opens conversation id, or without one the highlighted conversation of the inbox. */
async function openThread(page, id) {
  await go(page, 'i', '[role=listbox] .row');
  if (id) await page.locator(`#conv-${id}`).click();
  else {
    await page.locator('[role=listbox]').focus();
    await page.keyboard.press('Enter');
  }
  await page.locator('.thread .messages > *').first().waitFor({ timeout: T });
}

/** openAuthor opens the highlighted conversation and its author's panel. */
async function openAuthor(page) {
  await openThread(page);
  await page.keyboard.press('p');
  await page.locator('aside.author-panel[aria-busy=false]').waitFor({ timeout: T });
}

/** closeAuthor closes the author's panel with its key, from outside any field. */
async function closeAuthor(page) {
  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await page.keyboard.press('p');
  await page.locator('aside.author-panel').waitFor({ state: 'detached', timeout: T });
}

/** openDraft opens the highlighted conversation with a drafted reply in its composer. */
async function openDraft(page) {
  await openThread(page);
  await page.keyboard.press('r');
  await page.locator('section.composer button[data-action=draft]').click({ timeout: T });
  await page.locator('section.composer textarea').first().waitFor({ timeout: T });
}

// A CSV with one malformed row: the import's result lists what it skipped.
const IMPORT_FIXTURE = fileURLToPath(new URL('./testdata/import-small.csv', import.meta.url));

/**
 * Each state: how to reach it from anywhere (setup) and how to leave it again
 * (teardown), so the list can run in any order in every language and theme.
 */
function states(ctx) {
  return [
    { name: 'inbox', setup: (p) => go(p, 'i', '[role=listbox] .row') },
    { name: 'thread', setup: openThread },
    { name: 'author panel', setup: openAuthor, teardown: closeAuthor },
    { name: 'composer with a draft', setup: openDraft },
    {
      name: 'snooze menu',
      setup: async (p) => {
        await openThread(p);
        await p.locator('[role=listbox]').focus();
        await p.keyboard.press('s');
        await p.locator('.pop-menu').first().waitFor({ timeout: T });
      },
    },
    {
      name: 'search results',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.keyboard.press('/');
        await p.locator('#search-input').fill(ctx.word);
        await p.keyboard.press('Enter');
        await p.locator('.hit').first().waitFor({ timeout: T });
      },
    },
    {
      // Checked rows show the bulk bar, and the pointer over a row shows its checkbox.
      name: 'checked rows under the pointer',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('[role=listbox]').focus();
        await p.keyboard.press('x');
        await p.locator('[data-bulk-bar]').waitFor({ timeout: T });
        await p.locator('[role=listbox] .row').nth(1).hover();
      },
      teardown: async (p) => {
        await p.mouse.move(0, 0);
        await p.locator('[role=listbox]').focus();
        await p.keyboard.press('Escape');
        await p.locator('[data-bulk-bar]').waitFor({ state: 'detached', timeout: T });
      },
    },
    {
      name: 'shortcut sheet',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.keyboard.press('?');
        await p.locator('[role=dialog]').waitFor({ timeout: T });
      },
    },
    {
      name: 'about dialog',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('[data-action=about]').click();
        await p.locator('[role=dialog]').waitFor({ timeout: T });
      },
    },
    { name: 'crisis with the approval queue', setup: (p) => go(p, 'c', '.crisis-screen .card') },
    {
      name: 'alert detail',
      setup: async (p) => {
        await go(p, 'c', '.crisis-screen .alert-row');
        await p.locator('.crisis-screen .alert-row').first().click();
        await p.locator('.crisis-screen section.why').waitFor({ timeout: T });
      },
      teardown: (p) => p.locator('article.detail header.head button').first().click(),
    },
    {
      name: 'crisis mode',
      setup: async (p) => {
        await ctx.server.call('CrisisService', 'SetCrisisMode', ctx.account, true);
        // The Crisis screen loads what it shows when it is opened.
        await go(p, 'i', '[role=listbox] .row');
        await go(p, 'c', '.crisis-screen .crisis-banner');
      },
      teardown: () => ctx.server.call('CrisisService', 'SetCrisisMode', ctx.account, false),
    },
    { name: 'analytics', setup: (p) => go(p, 'a', '.analytics-screen section.block') },
    {
      name: 'analytics: calendar',
      setup: async (p) => {
        await go(p, 'a', '.analytics-screen section.block');
        await p.locator('[data-custom-range] [data-date-pick]').first().click();
        await p.locator('[data-calendar]').waitFor({ timeout: T });
      },
      teardown: (p) => p.keyboard.press('Escape'),
    },
    { name: 'listening', setup: (p) => go(p, 'l', '[data-listening-screen]') },
    { name: 'settings', setup: (p) => go(p, 's', '.settings-screen section') },
    {
      name: 'settings: account form',
      setup: async (p) => {
        await go(p, 's', '.settings-screen section');
        await p.locator('[data-action=add-account]').click();
        await p.locator('form.account-form').waitFor({ timeout: T });
      },
    },
    // Each editor's "add" opens its form; the form's own button says it is there.
    ...[
      ['add-canned', 'save-canned'],
      ['add-kb', 'save-kb'],
      ['add-source', 'save-source'],
      ['add-policy', 'remove-policy'],
    ].map(([action, shown]) => ({
      name: `settings: editor (${action})`,
      setup: async (p) => {
        await go(p, 's', '.settings-screen section');
        const b = p.locator(`[data-action=${action}]`).first();
        await b.scrollIntoViewIfNeeded();
        await b.click();
        await p.locator(`[data-action=${shown}]`).first().waitFor({ timeout: T });
      },
    })),
    {
      name: 'settings: import result',
      setup: async (p) => {
        await go(p, 's', '.settings-screen section');
        const section = p.locator('section[data-role=import]');
        await section.locator('input[type=file]').setInputFiles(IMPORT_FIXTURE);
        await section.locator('[data-action=import-run]').click();
        await section.locator('[data-role=import-result] [data-role=import-skipped]').waitFor({ timeout: T });
      },
    },
    {
      name: 'delete-account confirm',
      setup: async (p) => {
        await go(p, 's', '.settings-screen section');
        await p.locator('li.account [data-action=delete]').first().click();
        await p.locator('[role=dialog]#delete-account').waitFor({ timeout: T });
      },
      teardown: async (p) => {
        await p.keyboard.press('Escape');
        await p.locator('[role=dialog]#delete-account').waitFor({ state: 'detached', timeout: T });
      },
    },
    {
      name: 'canned-replies picker',
      setup: async (p) => {
        await openDraft(p);
        await p.locator('section.composer button[data-action=canned]').click({ timeout: T });
        await p.locator('section.composer [data-role=canned] #canned-list').waitFor({ timeout: T });
      },
      teardown: (p) => p.keyboard.press('Escape'),
    },
    {
      name: 'discard confirm',
      setup: async (p) => {
        await openThread(p, ctx.failedId);
        await p.keyboard.press('r');
        await p.locator('section.composer[data-state=failed] button[data-action=discard]').click({ timeout: T });
        await p.locator('section.composer [data-role=discard-confirm]').waitFor({ timeout: T });
      },
      teardown: (p) => p.keyboard.press('Escape'),
    },
    {
      name: 'hide critic guard',
      setup: async (p) => {
        // Crisis mode makes every inbound message of the account critical: Go asks first.
        await ctx.server.call('CrisisService', 'SetCrisisMode', ctx.account, true);
        await openThread(p, ctx.id);
        const card = p.locator(`section.thread #msg-${ctx.inbound}`);
        await card.locator('[data-action=moderate-menu]').click({ timeout: T });
        await card.locator('[data-action=moderate-hide]').click({ timeout: T });
        await p.locator('#moderation-warning [data-reasons] li').first().waitFor({ timeout: T });
      },
      teardown: async (p) => {
        await p.locator('#moderation-warning [data-action=moderate-cancel]').click();
        await ctx.server.call('CrisisService', 'SetCrisisMode', ctx.account, false);
      },
    },
    {
      name: 'mentions view',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('nav.sidebar [data-view=mentions]').click();
        await p.locator('[data-mentions-view]').waitFor({ timeout: T });
      },
      teardown: (p) => p.locator('[data-mentions-view] button.back').click(),
    },
    {
      name: 'undo toast',
      setup: async (p) => {
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('[role=listbox]').focus();
        ctx.closedId = Number((await p.locator('[role=listbox] .row[aria-selected=true]').getAttribute('id')).replace('conv-', ''));
        await p.keyboard.press('e');
        await p.locator('[data-undo-toast]').waitFor({ timeout: T });
      },
      // Opened again through Go (the toast's 8 s may be over on a loaded machine), so every
      // language closes the same conversation and the list stays as it was.
      teardown: () => ctx.server.call('InboxService', 'Triage', [ctx.closedId], { action: 'open', assignee: '', tag: '', until: '' }),
    },
    {
      name: 'error banner',
      setup: async (p) => {
        await p.route('**/bridge/call/InboxService/Triage', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'database is locked' }) }));
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('[role=listbox]').focus();
        await p.keyboard.press('e');
        await p.locator('[role=alert] .banner').first().waitFor({ timeout: T });
      },
      teardown: async (p) => {
        await p.unroute('**/bridge/call/InboxService/Triage');
        await p.locator('[role=alert] .banner button.close').first().click();
      },
    },
    {
      // Last: the page stays refused until it is loaded again.
      name: 'access-lost banner',
      setup: async (p) => {
        const refused = `stormdesk-error:${JSON.stringify({ code: 'token-refused', params: {}, detail: 'the server refused the access token' })}`;
        await p.route('**/bridge/call/InboxService/Triage', (r) => r.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: refused }) }));
        await go(p, 'i', '[role=listbox] .row');
        await p.locator('[role=listbox]').focus();
        await p.keyboard.press('e');
        await p.locator('[data-role=access-lost]').waitFor({ timeout: T });
      },
      teardown: async (p) => {
        await p.unroute('**/bridge/call/InboxService/Triage');
        await p.reload();
        await p.locator('[role=listbox] .row').first().waitFor({ timeout: T });
      },
    },
  ];
}

const combos = ['en', 'ru', 'de'].flatMap((lang) => ['light', 'dark'].map((theme) => ({ lang, theme })));

describe('WCAG 2.1 AA (axe-core) on every screen', () => {
  let session, page;
  const errors = [];
  const ctx = {};

  before(async () => {
    // Triage fails on purpose in the error states (a route answers for Go).
    session = await openSession('e2e-a11y', { errors, expectFailing: ['AccountsService/Test', 'InboxService/Triage'] });
    ({ page } = session);
    ctx.server = session.server;
    // With reduced motion the app ends transitions at once: axe never reads a colour half-way through a fade.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const id = Number((await page.locator('[role=listbox] .row').first().getAttribute('id')).replace('conv-', ''));
    const th = await ctx.server.call('InboxService', 'Thread', id);
    ctx.id = id;
    ctx.inbound = th.messages.find((m) => m.direction === 'in').id;
    ctx.word = th.messages.map((m) => m.text).join(' ').split(/[^\p{L}]+/u).find((w) => w.length >= 5);
    const accounts = await ctx.server.call('InboxService', 'Accounts');
    ctx.account = accounts.find((a) => a.id === th.conversation.accountId).name;
    // One reply waits for approval, so the queue has a row (drafted offline and submitted through Go).
    const draft = await ctx.server.call('ComposeService', 'Draft', id, '');
    await ctx.server.call('ComposeService', 'Step', { replyId: draft.id, action: 'submit', text: '', comment: '', checklist: [], supersede: false });
    assert.equal((await ctx.server.call('ComposeService', 'ApprovalQueue')).length, 1);
    // A reply on another conversation, sent through Go from a demo account, fails: its composer offers Discard.
    ctx.failedId = Number((await page.locator('[role=listbox] .row').nth(1).getAttribute('id')).replace('conv-', ''));
    const failing = await ctx.server.call('ComposeService', 'Draft', ctx.failedId, '');
    for (const action of ['submit', 'approve', 'queue']) {
      await ctx.server.call('ComposeService', 'Step', { replyId: failing.id, action, text: '', comment: '', checklist: [], supersede: false });
    }
    await waitUntil(async () => (await ctx.server.call('ComposeService', 'Replies', ctx.failedId)).at(-1).state === 'failed', { what: 'the reply from a demo account failed' });
  });

  after(() => session?.close());

  for (const { lang, theme } of combos) {
    describe(`${lang}, ${theme}`, () => {
      before(async () => {
        await page.evaluate(([l, th]) => {
          localStorage.setItem('stormdesk.lang', l);
          localStorage.setItem('stormdesk.theme', th);
        }, [lang, theme]);
        await page.reload();
        await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.getAttribute('html', 'data-theme'), theme);
      });

      for (const s of states(ctx)) {
        test(s.name, async () => {
          await s.setup(page);
          const v = await axeViolations(page);
          // A11Y_DUMP=file keeps every violation as JSON lines, to fix them in bulk.
          if (process.env.A11Y_DUMP) appendFileSync(process.env.A11Y_DUMP, v.map((x) => JSON.stringify({ state: s.name, lang, theme, ...x }) + '\n').join(''));
          await s.teardown?.(page);
          assert.equal(v.length, 0, formatViolations(`${s.name} (${lang}, ${theme})`, v));
        });
      }
    });
  }

  test('no script errors', () => assert.deepEqual(errors, []));
});

// An empty workspace: the welcome with its ways in (connect, import, demo) instead of a list.
describe('WCAG 2.1 AA (axe-core) on the welcome of an empty workspace', () => {
  let session, page;
  const errors = [];

  before(async () => {
    session = await openSession('e2e-a11y-welcome', { demo: false, errors });
    ({ page } = session);
    await page.emulateMedia({ reducedMotion: 'reduce' });
  });

  after(() => session?.close());

  for (const { lang, theme } of combos) {
    test(`welcome (${lang}, ${theme})`, async () => {
      await page.evaluate(([l, th]) => {
        localStorage.setItem('stormdesk.lang', l);
        localStorage.setItem('stormdesk.theme', th);
      }, [lang, theme]);
      await page.reload();
      await page.locator('section.welcome').waitFor({ timeout: T });
      assert.equal(await page.getAttribute('html', 'data-theme'), theme);
      const v = await axeViolations(page);
      assert.equal(v.length, 0, formatViolations(`the welcome (${lang}, ${theme})`, v));
    });
  }

  test('no script errors', () => assert.deepEqual(errors, []));
});

// A team server (real PostgreSQL): Settings' Members section with a fresh invitation and
// the invitation list, as its admin sees it; and the page an invitation link opens, with
// the error it shows for a used-up code.
describe('WCAG 2.1 AA (axe-core) on a team server: members, invitations, the join page', () => {
  let pg, server, browser, page, dir;
  const errors = [];

  before(async () => {
    dir = tempDir('e2e-a11y-team');
    pg = await startPGCluster();
    const key = join(dir, 'secrets.key');
    const admin = printedToken(await runStormdesk(['server', 'init', '--db', pg.dsn, '--admin', 'Ada', '--secrets-key', key], { cwd: dir }));
    server = await startTeamServer({ dir, args: ['--db', pg.dsn, '--secrets-key', key] });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.url}/?token=${admin}`);
    await page.locator('nav.sidebar').waitFor({ timeout: T });
  });

  after(async () => {
    await browser?.close();
    const exit = server ? await server.stop() : null;
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server did not shut down cleanly:\n${server.stderr}`);
  });

  let link = '';
  for (const { lang, theme } of combos) {
    test(`members and invitations (${lang}, ${theme})`, async () => {
      await page.goto(`${server.url}/`);
      await page.evaluate(([l, th]) => {
        localStorage.setItem('stormdesk.lang', l);
        localStorage.setItem('stormdesk.theme', th);
      }, [lang, theme]);
      await page.reload();
      await page.locator('nav.sidebar .screen[data-screen=settings]').click({ timeout: T });
      await page.locator('[data-role=members] [data-member=Ada]').waitFor({ timeout: T });
      assert.equal(await page.getAttribute('html', 'data-theme'), theme);
      await page.locator('[data-role=invite-form] select[name=role]').selectOption('agent');
      await page.locator('[data-action=create-invite]').click();
      link = (await page.locator('[data-role=invite-link]').textContent({ timeout: T })).trim();
      await page.locator('[data-invite][data-state=open]').first().waitFor({ timeout: T });
      const v = await axeViolations(page);
      assert.equal(v.length, 0, formatViolations(`members and invitations (${lang}, ${theme})`, v));
    });
  }

  // The join page has one look (its own colours, in the language the browser asks for).
  for (const lang of ['en', 'ru', 'de']) {
    test(`the invitation link's join page and its error (${lang})`, async () => {
      const p = await browser.context.newPage();
      try {
        await p.setExtraHTTPHeaders({ 'Accept-Language': lang });
        p.on('pageerror', (e) => errors.push(String(e)));
        await p.goto(link);
        assert.equal(await p.getAttribute('html', 'lang'), lang);
        let v = await axeViolations(p);
        assert.equal(v.length, 0, formatViolations(`the join page (${lang})`, v));
        await p.locator('#code').fill('aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-aaaaa');
        await p.locator('#name').fill(`Nemo ${lang}`);
        await p.locator('button[type=submit]').click();
        await p.locator('#err:not(:empty)').waitFor({ timeout: T });
        v = await axeViolations(p);
        assert.equal(v.length, 0, formatViolations(`the join page's error (${lang})`, v));
      } finally {
        await p.close();
      }
    });
  }

  test('no script errors', () => assert.deepEqual(errors, []));
});
