// Browser test of the WhatsApp template picker against the real binary
// (`stormdesk serve`, demo data). The demo's WhatsApp number is a demo account
// with demo templates (backend/workspace/templates.go); its conversations older
// than 24 hours have a closed window, where the picker replaces free text. The
// test chooses a template, fills its values, submits it, and finds it in the
// approval queue with its template and values; then a template with a URL
// button (booking_link) in another such conversation, its button value filled
// and the filled link previewed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot } from './harness.mjs';
import { axeViolations, formatViolations } from './axe.mjs';

const T = 20_000; // per wait; bounds a hang, not a timing assertion

describe('WhatsApp template picker in a browser', () => {
  let session, server, page;
  const consoleErrors = [];
  const used = new Set();

  /** closedConversation opens the WhatsApp channel and finds a conversation whose window closed, not used before,
   * among the whole first page: which conversations sort first depends on their SLA states at the moment. */
  async function closedConversation() {
    await page.locator('nav.sidebar button.item', { hasText: 'WhatsApp' }).click({ timeout: T });
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    const ids = await page.locator('[role=listbox] .row').evaluateAll((rows) => rows.slice(0, 100).map((r) => Number(r.id.replace('conv-', ''))));
    for (const c of ids) {
      if (used.has(c)) continue;
      const why = await server.call('ComposeService', 'SendCheck', c);
      if (why.includes('"rule":"messaging-window"')) {
        used.add(c);
        return c;
      }
    }
    assert.fail(`none of the first WhatsApp conversations has a closed window left (${ids})`);
  }

  before(async () => {
    session = await openSession('e2e-wa-template', { errors: consoleErrors });
    ({ server, page } = session);
  });

  after(() => session?.close());

  test('after 24 hours a template is chosen, filled, submitted and waits for approval', async () => {
    await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
    // The sidebar's WhatsApp channel lists the demo number's conversations.
    const id = await closedConversation();
    const templates = await server.call('ComposeService', 'Templates', id);
    const tpl = templates.find((x) => x.name === 'flight_update');
    assert.ok(tpl, 'the demo number lists its templates');

    await page.locator(`#conv-${id}`).click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    const composer = page.locator('section.composer');
    await composer.locator('button[data-action=open-composer]').click({ timeout: T });
    const picker = composer.locator('[data-role=template-picker]');
    await picker.waitFor({ timeout: T });
    // No free text after the window: no editor, no Draft button; the window's close is said.
    assert.equal(await composer.locator('#reply-text').count(), 0, 'the free-text editor is replaced');
    assert.equal(await composer.locator('button[data-action=draft]').count(), 0);
    await composer.locator('[data-role=send-block]').waitFor({ timeout: T });

    // Keyboard: the template select is labelled and reachable.
    const select = picker.getByLabel('Template', { exact: true });
    await select.focus();
    await select.selectOption({ label: `${tpl.name} (${tpl.language})` });
    const submit = picker.locator('button[data-action=template-submit]');
    assert.ok(await submit.isDisabled(), 'submit waits for every value');
    await picker.getByLabel('Header value 1').fill('AU 214');
    await picker.getByLabel('Value 1', { exact: true }).fill('Olga');
    await picker.getByLabel('Value 2', { exact: true }).fill('AU 214');
    assert.ok(await submit.isDisabled(), 'one value is still empty');
    await picker.locator('[data-role=template-missing]').waitFor({ timeout: T });
    await picker.getByLabel('Value 3', { exact: true }).press('Tab'); // reachable by keyboard
    await picker.getByLabel('Value 3', { exact: true }).fill('it leaves at 14:05 from gate B12');
    const preview = await picker.locator('[data-role=template-preview]').innerText();
    assert.ok(preview.startsWith('Flight AU 214\nHello Olga, about your flight AU 214: it leaves at 14:05 from gate B12.'), preview);
    await screenshot(page, 'whatsapp-template.png');
    const v = await axeViolations(page);
    assert.equal(v.length, 0, formatViolations('the template picker', v));
    await submit.focus();
    await page.keyboard.press('Enter');
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });
    await composer.locator('[data-role=source]', { hasText: 'Message template' }).waitFor({ timeout: T });

    const queue = await server.call('ComposeService', 'ApprovalQueue');
    const mine = queue.filter((q) => q.reply.conversationId === id);
    assert.equal(mine.length, 1, 'Go lists the submitted template reply');
    assert.deepEqual(mine[0].reply.template, {
      name: 'flight_update', language: 'en', header: ['AU 214'], body: ['Olga', 'AU 214', 'it leaves at 14:05 from gate B12'],
      buttons: [], media: { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' },
    });
    assert.ok(mine[0].reply.text.includes('about your flight AU 214'), mine[0].reply.text);
    // The approval queue on the crisis screen shows it.
    await page.locator('[data-screen=crisis]').click();
    await page.locator(`[data-approval-queue] [data-reply-id="${mine[0].reply.id}"]`).waitFor({ timeout: T });
    assert.deepEqual(consoleErrors, []);
  });

  test('a template with a URL button asks its value, previews the filled link and submits it', async () => {
    await page.locator('nav.sidebar .screen[data-screen=inbox]').click({ timeout: T });
    const id = await closedConversation();
    const templates = await server.call('ComposeService', 'Templates', id);
    const tpl = templates.find((x) => x.name === 'booking_link');
    assert.ok(tpl, 'the demo number lists its URL-button template');
    assert.deepEqual(tpl.buttons, [{ index: 1, type: 'url', text: 'Open booking', url: 'https://aurora-air.example/booking/{{1}}' }]);

    await page.locator(`#conv-${id}`).click();
    await page.locator('section.thread .head h2').waitFor({ timeout: T });
    const composer = page.locator('section.composer');
    // The composer stays open from the first test; open it if it is not.
    const opener = composer.locator('button[data-action=open-composer]');
    if (await opener.count()) await opener.click({ timeout: T });
    const picker = composer.locator('[data-role=template-picker]');
    await picker.waitFor({ timeout: T });
    await picker.getByLabel('Template', { exact: true }).selectOption({ label: `${tpl.name} (${tpl.language})` });
    const submit = picker.locator('button[data-action=template-submit]');
    await picker.getByLabel('Value 1', { exact: true }).fill('Olga');
    assert.ok(await submit.isDisabled(), 'the button value is required');
    // Keyboard: Tab from the body value reaches the button's field.
    await picker.getByLabel('Value 1', { exact: true }).press('Tab');
    const button = picker.getByLabel('Button “Open booking” value');
    assert.ok(await button.evaluate((el) => el === document.activeElement), 'Tab reaches the button value');
    await page.keyboard.type('AB12CD');
    const preview = await picker.locator('[data-role=template-preview]').innerText();
    assert.ok(preview.endsWith('[Open booking] https://aurora-air.example/booking/AB12CD'), preview);
    const v = await axeViolations(page);
    assert.equal(v.length, 0, formatViolations('the template picker with a button value', v));
    await submit.focus();
    await page.keyboard.press('Enter');
    await composer.locator('[data-role=state]', { hasText: 'Submitted' }).waitFor({ timeout: T });

    const queue = await server.call('ComposeService', 'ApprovalQueue');
    const mine = queue.filter((q) => q.reply.conversationId === id);
    assert.equal(mine.length, 1, 'Go lists the submitted button template reply');
    assert.deepEqual(mine[0].reply.template, {
      name: 'booking_link', language: 'en', header: [], body: ['Olga'],
      buttons: [{ index: 1, type: 'url', text: 'AB12CD' }], media: { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' },
    });
    assert.ok(mine[0].reply.text.endsWith('[Open booking] https://aurora-air.example/booking/AB12CD'), mine[0].reply.text);
    assert.deepEqual(consoleErrors, []);
  });
});
