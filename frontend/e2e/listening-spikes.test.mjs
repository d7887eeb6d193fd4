// A listening topic's spike on the crisis dashboard, in a browser against the real binary
// (`stormdesk serve`) on the demo data: the demo brand topic's burst of negative mentions is
// an explained alert with a card of its own, named after the topic; opening crisis mode from
// that card puts the brand's accounts in crisis mode, and the alert's samples link to the
// mentions' originals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot, waitUntil } from './harness.mjs';

const T = 30_000; // bounds a hang, not a timing assertion
const TOPIC = 'Aurora Air';

describe('listening spikes in a browser', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-listening-spikes', { errors: consoleErrors });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test("the demo topic's spike has a card, an explained alert and the brand's crisis mode", async () => {
    const hit = await waitUntil(
      async () => {
        const a = await server.call('CrisisService', 'Alerts').catch(() => []);
        return a.find((x) => x.key.channel === 'listening' && x.key.account === TOPIC) ?? null;
      },
      { timeoutMs: 60_000, what: 'the demo topic’s alert' },
    );
    assert.ok(hit.samples.length > 0 && hit.samples.every((s) => /^https:\/\//.test(s.url)), 'samples carry the mentions’ links');
    assert.deepEqual(await server.call('CrisisService', 'InCrisis'), [], 'no crisis mode at start');

    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await page.locator('.crisis-screen').waitFor({ timeout: T });
    await page.locator('.crisis-screen button', { hasText: 'Refresh' }).click();
    const card = page.locator(`article.card[data-account="${TOPIC}"]`);
    await card.waitFor({ timeout: T });
    assert.match(await card.locator('.who').innerText(), /Aurora Air\s+Listening topic/);

    await card.locator('[data-action=open-crisis]').waitFor({ timeout: T });

    // The alert's detail explains the spike by the mentions' words and links its samples.
    await page.locator(`.alert-row[data-account="${TOPIC}"]`).first().click();
    const detail = page.locator('article.detail');
    await detail.waitFor({ timeout: T });
    assert.match(await detail.locator('.head .who').innerText(), /Listening topic/);
    const links = detail.locator('.samples a.sample-link');
    assert.equal(await links.count(), hit.samples.length, 'each sample links to its mention');
    assert.equal(await links.first().getAttribute('href'), hit.samples[0].url);
    await screenshot(page, 'listening-spike.png');

    // Crisis mode of the topic is its brand's accounts' crisis mode.
    await detail.locator(`[data-action=open-crisis][data-account="${TOPIC}"]`).click();
    await detail.locator(`[data-action=end-crisis][data-account="${TOPIC}"]`).waitFor({ timeout: T });
    const inCrisis = await server.call('CrisisService', 'InCrisis');
    assert.ok(inCrisis.length >= 2, `the brand's accounts are in crisis mode: ${inCrisis}`);
    for (const acc of inCrisis) {
      await page.locator(`.crisis-banner[data-crisis-account="${acc}"]`).waitFor({ timeout: T });
    }
    await detail.locator(`[data-action=end-crisis][data-account="${TOPIC}"]`).click();
    await waitUntil(async () => ((await server.call('CrisisService', 'InCrisis')).length === 0 ? true : null), {
      timeoutMs: T,
      what: 'crisis mode ended on the brand’s accounts',
    });
    await page.locator('.crisis-banner').first().waitFor({ state: 'detached', timeout: T });
    assert.deepEqual(consoleErrors, []);
  });
});
