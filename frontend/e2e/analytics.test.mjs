// Browser test of the Analytics screen against the real binary (`stormdesk serve`)
// with the demo data: the heatmap shows what Go counts, the range and account
// pickers reload it, the keyboard moves across cells, and Export CSV downloads the
// same numbers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openSession, screenshot, waitUntil } from './harness.mjs';

const T = 20_000;

describe('analytics in a browser', () => {
  let session, server, page, tz;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-analytics', { errors: consoleErrors });
    ({ server, page } = session);
    tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  });

  after(() => session?.close());

  /** shownInbound waits for the summary to settle and returns its count. */
  async function shownInbound(want) {
    const summary = page.locator('.analytics-screen .summary[data-inbound]');
    await summary.waitFor({ timeout: T });
    await waitUntil(async () => Number(await summary.getAttribute('data-inbound')) === want, { what: `inbound ${want} shown` });
  }

  test('g a opens Analytics; the heatmap cells are the counts Go returns', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.locator('.analytics-screen').waitFor({ timeout: T });
    assert.equal(await page.locator('nav.sidebar .screen[data-screen=analytics]').getAttribute('aria-current'), 'page');

    const go = await server.call('AnalyticsService', 'Overview', { days: 30, accountId: 0, timeZone: tz });
    assert.ok(go.inbound > 0, 'the demo data has inbound messages in the last 30 days');
    await shownInbound(go.inbound);
    const cells = await page.locator('table.heatmap td.cell').evaluateAll((tds) =>
      tds.map((td) => [Number(td.dataset.day), Number(td.dataset.hour), Number(td.dataset.count)]),
    );
    assert.equal(cells.length, 7 * 24);
    let nonZero = 0;
    for (const [d, h, n] of cells) {
      assert.equal(n, go.heatmap[d][h], `cell ${d}/${h}`);
      if (n > 0) nonZero++;
    }
    assert.ok(nonZero > 0, 'some cells are non-zero');
    assert.ok((await page.locator('table.heatmap td.cell.l0').count()) < 168, 'non-zero cells are shaded');

    // The response-time table has the total row plus one per channel Go reports.
    const rows = page.locator('table.times[data-dimension=channel] tbody tr');
    assert.equal(await rows.count(), 1 + go.byChannel.length);
    // One row per agent, with Go's conversation counts.
    const agentRows = page.locator('table.times[data-dimension=agent] tbody tr');
    assert.ok(go.byAgent.length > 0, 'Go reports agents');
    assert.equal(await agentRows.count(), go.byAgent.length);
    const shownConvs = await agentRows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent.replace(/\D/g, ''))));
    assert.deepEqual(shownConvs, go.byAgent.map((r) => r.conversations));
    assert.equal(await page.locator('.analytics-screen canvas').count() > 0, true, 'the sentiment chart is drawn');
    await screenshot(page, 'analytics.png');
  });

  test('arrow keys move between heatmap cells', async () => {
    const first = page.locator('table.heatmap td[data-day="0"][data-hour="0"]');
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => [document.activeElement?.dataset.day, document.activeElement?.dataset.hour]);
    assert.deepEqual(focused, ['1', '1']);
    assert.equal(await page.locator('table.heatmap td[tabindex="0"]').count(), 1, 'one cell takes the keyboard');
  });

  test('switching the range and the account reloads what Go counts', async () => {
    const week = await server.call('AnalyticsService', 'Overview', { days: 7, accountId: 0, timeZone: tz });
    await page.locator('.range [data-days="7"]').click();
    await shownInbound(week.inbound);
    assert.equal(await page.locator('.range [data-days="7"]').getAttribute('aria-checked'), 'true');

    const accounts = await server.call('InboxService', 'Accounts');
    const acct = accounts[0];
    const one = await server.call('AnalyticsService', 'Overview', { days: 7, accountId: acct.id, timeZone: tz });
    await page.locator('select[data-account-filter]').selectOption(String(acct.id));
    if (one.inbound > 0 || one.total.conversations > 0) await shownInbound(one.inbound);
    else await page.locator('.analytics-screen [data-empty]').waitFor({ timeout: T });

    await page.locator('select[data-account-filter]').selectOption('0');
    await page.locator('.range [data-days="30"]').click();
  });

  test('Export CSV downloads a header and rows', async () => {
    const go = await server.call('AnalyticsService', 'Overview', { days: 30, accountId: 0, timeZone: tz });
    await shownInbound(go.inbound);
    const read = async (kind) => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator(`button[data-export="${kind}"]`).click()]);
      assert.match(download.suggestedFilename(), new RegExp(`^stormdesk-${kind}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      const text = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
      return text.trim().split(/\r?\n/);
    };
    const heat = await read('heatmap');
    assert.equal(heat[0], 'weekday,hour,messages');
    assert.equal(heat.length, 1 + 7 * 24);
    const sum = heat.slice(1).reduce((n, line) => n + Number(line.split(',')[2]), 0);
    assert.equal(sum, go.inbound, 'the exported heatmap sums to the inbound count');

    const sla = await read('sla');
    assert.match(sla[0], /^dimension,key,conversations,.*,within_sla_pct,warnings$/);
    assert.ok(sla.length > 1 && sla[1].startsWith('all,all,'), 'the SLA export has the total row');
    await page.locator('.analytics-screen .note[role=status]').waitFor({ timeout: T });
    assert.deepEqual(consoleErrors, []);
  });
});
