// Every main screen in the Russian and German UI: a screenshot of each (docs/screenshots,
// *-ru.png and *-de.png) and no label cut off or spilling out of its box. Longer
// Russian and German words are what breaks a layout sized for English, so the check
// runs on the same screens in both languages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, screenshot } from './harness.mjs';

const T = 30_000;

/**
 * clipped lists the visible labels whose text does not fit their own box: buttons,
 * labels, headings, tabs, badges, selects and table headers. A box whose text is
 * wider than the box (scrollWidth > clientWidth) either cuts the text off or lets it
 * spill over its neighbours; both read as broken.
 */
function clipped() {
  const sel = 'button, label, h1, h2, h3, h4, th, select, [role=tab], .badge, .pill, legend, summary';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    // Screen-reader-only labels are 1px boxes on purpose.
    if (r.width <= 2 || r.height <= 2 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.tagName === 'SELECT') {
      // A select shows its chosen option's text; the box must hold it beside the arrow.
      const opt = el.selectedOptions[0];
      if (!opt) continue;
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = cs.font;
      const need = ctx.measureText(opt.textContent.trim()).width + parseFloat(cs.paddingLeft) + 16;
      if (need > el.clientWidth + 1) out.push(`select "${opt.textContent.trim()}" (${Math.ceil(need)} > ${el.clientWidth})`);
      continue;
    }
    // Only the label's own line: a container holding a wide child is that child's problem.
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && el.children.length <= 2) {
      out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''} "${el.textContent.trim().slice(0, 60)}" (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return out;
}

/**
 * unevenFigures lists the Crisis cards whose figures (negatives, baseline, threshold)
 * do not sit on one line: a label that wraps in one column must not push its figure
 * below the others'.
 */
function unevenFigures() {
  const out = [];
  for (const card of document.querySelectorAll('.crisis-screen .card')) {
    const bottoms = [...card.querySelectorAll('.nums dd.big')].map((dd) => Math.round(dd.getBoundingClientRect().bottom));
    if (bottoms.length > 1 && Math.max(...bottoms) - Math.min(...bottoms) > 1) out.push(`${card.dataset.account}: figures end at ${bottoms.join(', ')} px`);
  }
  return out;
}

const screens = [
  { name: 'inbox', keys: 'i', ready: '[role=listbox] .row' },
  // The chart of the default stream too: its series comes after the cards.
  { name: 'crisis', keys: 'c', ready: '.crisis-screen .card', also: '.crisis-screen .plot:not([data-bins="0"]) canvas', check: unevenFigures },
  { name: 'analytics', keys: 'a', ready: '.analytics-screen section.block' },
  { name: 'settings', keys: 's', ready: '.settings-screen section' },
];

for (const lang of ['ru', 'de']) {
  describe(`every screen in ${lang}`, () => {
    let session, page;
    const errors = [];

    before(async () => {
      session = await openSession(`e2e-screens-${lang}`, {
        errors,
        initScript: `localStorage.setItem('stormdesk.lang', '${lang}')`,
      });
      page = session.page;
      assert.equal(await page.getAttribute('html', 'lang'), lang);
    });

    after(async () => {
      await session?.close();
    });

    for (const s of screens) {
      test(`${s.name}: screenshot, and no label cut off`, async () => {
        await page.locator('body').click({ position: { x: 5, y: 790 } });
        await page.keyboard.press('g');
        await page.keyboard.press(s.keys);
        await page.locator(s.ready).first().waitFor({ timeout: T });
        if (s.also) await page.locator(s.also).first().waitFor({ timeout: T });
        if (s.name === 'inbox') {
          await page.keyboard.press('Enter');
          await page.locator('.thread .messages > *').first().waitFor({ timeout: T });
        }
        await page.evaluate(() => document.fonts.ready);
        await screenshot(page, `${s.name}-${lang}.png`);
        assert.deepEqual(await page.evaluate(clipped), [], `labels cut off on ${s.name} in ${lang}`);
        if (s.check) assert.deepEqual(await page.evaluate(s.check), [], `${s.check.name} on ${s.name} in ${lang}`);
      });
    }

    test('composer: screenshot, and no label cut off', async () => {
      await page.locator('body').click({ position: { x: 5, y: 790 } });
      await page.keyboard.press('g');
      await page.keyboard.press('i');
      await page.locator('[role=listbox] .row').first().waitFor({ timeout: T });
      await page.keyboard.press('Enter');
      await page.locator('.thread .messages > *').first().waitFor({ timeout: T });
      await page.keyboard.press('r');
      // An offline draft (no model is configured): the composer with its text, hints and actions.
      await page.locator('section.composer button[data-action=draft]').click({ timeout: T });
      await page.locator('section.composer textarea').first().waitFor({ timeout: T });
      await screenshot(page, `compose-${lang}.png`);
      assert.deepEqual(await page.evaluate(clipped), [], `labels cut off in the composer in ${lang}`);
      await page.keyboard.press('Escape');
    });

    test('no script errors', () => {
      assert.deepEqual(errors, []);
    });
  });
}
