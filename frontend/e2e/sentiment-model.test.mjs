// Settings → Sentiment model against the real binary (`stormdesk serve`): the
// shipped model's licence and sources are shown, a model file is imported
// through the file input (the shipped file itself, so the test needs no
// training data), a file that is not a model is refused, and Reset goes back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, openSession } from './harness.mjs';

const T = 20_000;
const IMPORT_CALL = 'ModelSettingsService/ImportSentimentModel';

describe('sentiment model in Settings', () => {
  let session, server, page;
  const consoleErrors = [];

  before(async () => {
    session = await openSession('e2e-smodel', { errors: consoleErrors, expectFailing: [IMPORT_CALL] });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('shows the shipped model, imports a file, refuses garbage, resets', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    const box = page.locator('[data-testid=sentiment-model]');
    await box.waitFor({ timeout: T });
    await box.scrollIntoViewIfNeeded();
    const shown = await box.innerText();
    assert.match(shown, /Stormdesk default sentiment model/);
    assert.match(shown, /Commercial use allowed/);
    assert.match(shown, /GoEmotions/);
    assert.doesNotMatch(shown, /Twitter US Airline|RuSentiTweet \(Smetanin|Not for commercial use/);

    const input = page.locator('input[type=file][aria-label="Import model file…"]');
    await input.setInputFiles({ name: 'not-a-model.bin.gz', mimeType: 'application/gzip', buffer: Buffer.from('hello') });
    await page.locator('[role=alert]', { hasText: /./ }).waitFor({ timeout: T });
    assert.equal((await server.call('ModelSettingsService', 'SentimentModel')).origin, 'shipped');

    const file = readFileSync(join(REPO_ROOT, 'backend/sentiment/model/sentiment.bin.gz'));
    await input.setInputFiles({ name: 'copy.bin.gz', mimeType: 'application/gzip', buffer: file });
    await page.locator('[role=status]', { hasText: 'Imported “Stormdesk default sentiment model”.' }).waitFor({ timeout: T });
    const info = await server.call('ModelSettingsService', 'SentimentModel');
    assert.equal(info.origin, 'imported');
    assert.equal(info.imported, true);
    assert.match(await box.innerText(), /\(imported\)/);

    await page.locator('[data-action=reset-model]').click();
    await page.locator('[role=status]', { hasText: 'Back to the shipped model.' }).waitFor({ timeout: T });
    assert.equal((await server.call('ModelSettingsService', 'SentimentModel')).origin, 'shipped');
    assert.equal(await page.locator('[data-action=reset-model]').count(), 0);
    assert.deepEqual(consoleErrors, []);
  });
});
