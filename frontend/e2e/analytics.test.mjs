// Browser test of the Analytics screen against the real binary (`stormdesk serve`)
// with the demo data: the heatmap shows what Go counts, the range and account
// pickers reload it, the keyboard moves across cells, and Export CSV downloads the
// same numbers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  test('the Listening section shows Go’s share of voice and mentions per topic, and exports them; own channels show discussion depth', async () => {
    const section = page.locator('[data-listening-analytics]');
    await section.scrollIntoViewIfNeeded();
    const all = await server.call('ListeningService', 'Analytics', { days: 30, from: '', to: '', timeZone: tz, topicIds: [] });
    assert.ok(all.mentions > 0 && all.topics.length === 2, 'the demo has two topics with mentions');
    const shown = section.locator('[data-mentions]');
    await waitUntil(async () => Number(await shown.getAttribute('data-mentions')) === all.mentions, { what: `${all.mentions} mentions shown` });
    const pct = String(Math.round(all.brandShare * 100));
    assert.equal(await section.locator('[data-brand-share]').getAttribute('data-brand-share'), pct);
    assert.equal(await section.locator('[data-list=listening-share] tbody tr').count(), 2);
    assert.equal(await section.locator('[data-list=listening-sources] li').count(), all.sources.length);

    // One topic: the count is that topic's.
    const brand = all.topics.find((t) => t.topic.kind === 'brand').topic;
    await section.locator('select[data-topic-filter]').selectOption(String(brand.id));
    await waitUntil(async () => Number(await shown.getAttribute('data-mentions')) === brand.mentions, { what: `${brand.mentions} brand mentions shown` });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), section.locator('button[data-listening-export=share]').click()]);
    const rows = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    assert.equal(rows[0], 'topic,kind,mentions,negative,neutral,positive,share_pct');
    assert.ok(rows.some((r) => r.startsWith(`${brand.name},brand,${brand.mentions},`)), `brand row in ${rows}`);

    const depth = await server.call('AnalyticsService', 'Engagement', { days: 30, from: '', to: '', accountId: 0, timeZone: tz });
    const total = page.locator('[data-engagement] tr[data-channel=all] td').first();
    await waitUntil(async () => Number((await total.textContent()).replace(/\D/g, '')) === depth.channels[0].conversations, { what: 'depth total shown' });
    assert.deepEqual(consoleErrors, []);
  });
});

// Imported history: four days of February 2015 with a burst of complaints on
// the fourth are imported by `stormdesk import` into the database before
// `serve` starts, as a user who imports an archive and then opens the app.
// Crisis lists the alert the history pass found, at its 2015 time, and shows
// the stream as past data; Analytics opens on the data's own span (it is older
// than the default 30 days) and counts every message, and the custom range
// can be set from the keyboard.
describe('imported history in a browser', () => {
  let session, server, page, tz;
  const consoleErrors = [];
  const account = 'acme-air';
  const burstAt = Date.UTC(2015, 1, 20, 14, 0);
  let rows = 0;

  /** importHistory writes the CSV and imports it before serve starts. */
  function importHistory({ dir, db }) {
    const lines = ['id,account,time,author,sentiment,text'];
    const t0 = Date.UTC(2015, 1, 17);
    for (let i = 0; i < 4 * 96; i++) {
      const at = t0 + i * 15 * 60_000;
      lines.push(`q${i},${account},${new Date(at).toISOString()},@flyer${i % 40},neutral,@AcmeAir when does boarding start?`);
      lines.push(`s${i},${account},${new Date(at + 5 * 60_000).toISOString()},@flyer${(i + 7) % 40},${i % 3 === 0 ? 'negative' : 'neutral'},@AcmeAir the seat was not great`);
    }
    for (let i = 0; i < 40; i++) {
      const at = new Date(burstAt + i * 20_000).toISOString();
      lines.push(`b${i},${account},${at},@angry${i},negative,"@AcmeAir lost luggage again on flight 42${i % 3}, the luggage belt is empty"`);
    }
    rows = lines.length - 1;
    const csv = join(dir, 'history.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    const imp = spawnSync(
      process.env.STORMDESK_BIN,
      ['import', '--db', db, '--account-column', 'account', '--time-column', 'time', '--author-column', 'author', '--sentiment-column', 'sentiment', csv],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(imp.status, 0, `import failed: ${imp.stdout}${imp.stderr}`);
  }

  before(async () => {
    session = await openSession('e2e-history', { demo: false, db: 'history.db', errors: consoleErrors, prepare: importHistory });
    ({ server, page } = session);
    tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  });

  after(() => session?.close());

  test('Crisis lists the alert of the 2015 burst at its own time and the stream as past data', async () => {
    const alerts = await waitUntil(
      async () => {
        const a = await server.call('CrisisService', 'Alerts');
        return a.some((x) => x.key.account === account) ? a : null;
      },
      { timeoutMs: 60_000, what: 'the history pass’s alert' },
    );
    const hit = alerts.find((a) => a.key.account === account);
    const detected = Date.parse(hit.detectedAt);
    assert.ok(detected >= burstAt && detected < burstAt + 15 * 60_000, `alert detected at ${hit.detectedAt}, want the burst of ${new Date(burstAt).toISOString()}`);
    assert.ok(!hit.topTerms.some((t) => /acme|air/.test(t.term)), `top terms name the brand: ${hit.topTerms.map((t) => t.term)}`);

    await page.locator(`nav.sidebar .screen[data-screen=crisis]`).click();
    await page.locator('.crisis-screen').waitFor({ timeout: T });
    const row = page.locator(`.alert-row[data-account="${account}"]`).first();
    await row.waitFor({ timeout: T });
    const day = await row.evaluate((el) => el.closest('ul[data-day]')?.getAttribute('data-day'));
    assert.match(day ?? '', /^2015-02-2[01]$/, 'the alert is listed under its 2015 day');
    const card = page.locator(`article.card[data-account="${account}"]`);
    await card.waitFor({ timeout: T });
    assert.equal(await card.locator('[data-badge]').getAttribute('data-badge'), 'history', 'the stream shows as past data, not as normal');
    await screenshot(page, 'crisis-history.png');

    // The alert explains itself in plain words; the p-value waits in the details fold.
    await row.click();
    const detail = page.locator('article.detail');
    await detail.waitFor({ timeout: T });
    assert.match(await detail.locator('[data-field=plain]').innerText(), /negative messages/);
    assert.equal(await detail.locator('[data-field=p]').isVisible(), false, 'the p-value is folded away');
    await detail.locator('details[data-field=details] summary').click();
    assert.equal(await detail.locator('[data-field=p]').isVisible(), true);
    assert.equal(Number((await detail.locator('[data-field=threshold]').innerText()).replace(/\D/g, '')), hit.threshold);
  });

  test('Analytics opens on the data’s span, counts every message, and takes a custom range from the keyboard', async () => {
    const span = await server.call('AnalyticsService', 'Span', 0, tz);
    assert.match(span.first, /^2015-02-1[67]$/);
    await page.locator(`nav.sidebar .screen[data-screen=analytics]`).click();
    await page.locator('.analytics-screen').waitFor({ timeout: T });
    await page.locator('.analytics-screen [data-span-note]').waitFor({ timeout: T });
    assert.equal(await page.locator('input[data-range-from]').inputValue(), span.first);
    assert.equal(await page.locator('input[data-range-to]').inputValue(), span.last);
    const summary = page.locator('.analytics-screen .summary[data-inbound]');
    await summary.waitFor({ timeout: T });
    await waitUntil(async () => Number(await summary.getAttribute('data-inbound')) === rows, { what: `all ${rows} imported messages counted` });
    const terms = await page.locator('ol[data-list=terms] li').evaluateAll((lis) => lis.map((li) => [li.children[0].textContent, Number(li.children[1].textContent.replace(/\D/g, ''))]));
    assert.ok(terms.length > 0, 'words in negative messages are listed');
    assert.ok(!terms.some(([w]) => /^(acme|air|acmeair|the|was|not)$/.test(w)), `brand or stop words among ${terms}`);
    for (let i = 1; i < terms.length; i++) assert.ok(terms[i][1] <= terms[i - 1][1], `terms by count: ${terms}`);
    await screenshot(page, 'analytics-history.png');

    // One day, typed into the date fields and applied with Enter.
    const one = await server.call('AnalyticsService', 'Overview', { days: 0, from: '2015-02-18', to: '2015-02-18', accountId: 0, timeZone: tz });
    assert.ok(one.inbound > 0 && one.inbound < rows);
    await page.locator('input[data-range-from]').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2015-02-18');
    await page.locator('input[data-range-to]').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('20150218');
    await page.keyboard.press('Enter');
    await waitUntil(async () => Number(await summary.getAttribute('data-inbound')) === one.inbound, { what: `the one day's ${one.inbound} messages` });
    // The next day, from the keyboard: the arrow keys step the day.
    const two = await server.call('AnalyticsService', 'Overview', { days: 0, from: '2015-02-18', to: '2015-02-19', accountId: 0, timeZone: tz });
    assert.ok(two.inbound > one.inbound);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('input[data-range-to]').inputValue(), '2015-02-19');
    await page.keyboard.press('Enter');
    await waitUntil(async () => Number(await summary.getAttribute('data-inbound')) === two.inbound, { what: `the two days' ${two.inbound} messages` });
    assert.deepEqual(consoleErrors, []);
  });

  test('in Russian both screens say past data and the span in Russian', async () => {
    const lang = page.locator('nav.sidebar select').first();
    await lang.selectOption('ru');
    await page.locator('.analytics-screen [data-whole-data]').click();
    await page.locator('.analytics-screen [data-span]', { hasText: 'Данные с' }).waitFor({ timeout: T });
    await waitUntil(async () => Number(await page.locator('.analytics-screen .summary[data-inbound]').getAttribute('data-inbound')) === rows, {
      what: 'the whole data again',
    });
    await screenshot(page, 'analytics-history-ru.png');
    // The range's fields read and take days as Russians write them, whatever the browser's locale.
    const from = page.locator('input[data-range-from]');
    const to = page.locator('input[data-range-to]');
    const span = await server.call('AnalyticsService', 'Span', 0, tz);
    const ru = (iso) => iso.split('-').reverse().join('.');
    assert.equal(await from.inputValue(), ru(span.first));
    assert.equal(await page.locator('.analytics-screen [data-span]').innerText(), `Данные с ${ru(span.first)} по ${ru(span.last)}`);
    assert.equal(await from.getAttribute('placeholder'), 'ДД.ММ.ГГГГ');
    await from.fill('30.02.2015');
    await to.fill('18.02.2015');
    await to.press('Enter');
    await page.locator('.analytics-screen p.error[role=alert]', { hasText: 'Введите дату в виде ДД.ММ.ГГГГ' }).waitFor({ timeout: T });
    assert.equal(await from.getAttribute('aria-invalid'), 'true');
    const one = await server.call('AnalyticsService', 'Overview', { days: 0, from: '2015-02-18', to: '2015-02-18', accountId: 0, timeZone: tz });
    await from.fill('18.2.2015');
    await to.press('Enter');
    await waitUntil(async () => Number(await page.locator('.analytics-screen .summary[data-inbound]').getAttribute('data-inbound')) === one.inbound, {
      what: `the one day's ${one.inbound} messages`,
    });
    assert.equal(await page.locator('.analytics-screen p.error[role=alert]').count(), 0, 'the error is gone');
    await from.blur();
    assert.equal(await from.inputValue(), '18.02.2015', 'the day is rewritten in full once the field is left');
    // Or picked on the calendar beside the field, which opens on the field's month.
    await page.locator('[data-custom-range] [data-date-pick]').nth(1).click();
    const cal = page.locator('[data-calendar]');
    await cal.waitFor({ timeout: T });
    assert.equal(await cal.locator('[data-month-label]').innerText(), 'Февраль 2015 г.');
    assert.equal(await cal.locator('button[aria-pressed=true]').getAttribute('data-day'), '2015-02-18');
    await cal.locator('button[data-day="2015-02-19"]').click();
    await cal.waitFor({ state: 'detached', timeout: T });
    assert.equal(await to.inputValue(), '19.02.2015');
    await page.locator('.analytics-screen [data-whole-data]').click();
    await page.locator(`nav.sidebar .screen[data-screen=crisis]`).click();
    // The alert opened in the first test is still open: back to all alerts.
    await page.locator('article.detail .head button', { hasText: 'Все тревоги' }).click();
    await page.locator(`article.card[data-account="${account}"] [data-badge=history]`, { hasText: 'Архив' }).waitFor({ timeout: T });
    await page.locator('.crisis-screen h3.day', { hasText: 'Тревоги за' }).first().waitFor({ timeout: T });
    await screenshot(page, 'crisis-history-ru.png');
    await lang.selectOption('en');
    assert.deepEqual(consoleErrors, []);
  });
});
