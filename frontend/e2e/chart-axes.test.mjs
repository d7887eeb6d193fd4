// The uPlot charts' axis labels stay inside the chart in every language. uPlot
// draws the labels on its canvas, so there is no element to measure: the test reads
// the canvas pixels and finds the ink left and right of the plot area (the axes),
// which must not reach the canvas edge. A right axis sized for "50 %" cut "100 %"
// off at the right edge.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession } from './harness.mjs';

const T = 30_000;

/**
 * measureCharts reads, for every uPlot chart on the page, its canvas pixels once and
 * answers (device pixels unless said):
 * - where the axes' ink lies left and right of the plot area (leftInk, rightInk);
 * - xLabels: the labels under the plot as runs of columns with ink, gaps narrower than a
 *   space within a label joined; their count and the widest run in CSS pixels (labels
 *   that overlap run together into one wide run);
 * - seriesInk: where the coloured ink of the series (not the grey grid) lies across the
 *   plot area, as fractions of its width (null when there is none).
 */
function measureCharts() {
  return [...document.querySelectorAll('.uplot')].map((root) => {
    const canvas = root.querySelector('canvas');
    const over = root.querySelector('.u-over');
    const { width, height } = canvas;
    const cr = canvas.getBoundingClientRect();
    const or = over.getBoundingClientRect();
    const dpr = width / cr.width;
    const plotLeft = Math.floor((or.left - cr.left) * dpr);
    const plotRight = Math.ceil((or.right - cr.left) * dpr);
    const plotTop = Math.floor((or.top - cr.top) * dpr);
    const plotBottom = Math.ceil((or.bottom - cr.top) * dpr);
    const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const alpha = (x, y) => px[(y * width + x) * 4 + 3];

    let leftInk = width;
    let rightInk = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (x >= plotLeft && x < plotRight) continue;
        if (alpha(x, y) === 0) continue;
        if (x < plotLeft) leftInk = Math.min(leftInk, x);
        else rightInk = Math.max(rightInk, x);
      }
    }

    const labelsTop = plotBottom + Math.ceil(6 * dpr); // below the tick marks
    const runs = [];
    const joinGap = 8 * dpr;
    let start = -1;
    let last = -1;
    for (let x = plotLeft; x < plotRight; x++) {
      let ink = false;
      for (let y = labelsTop; y < height && !ink; y++) ink = alpha(x, y) !== 0;
      if (!ink) continue;
      if (start >= 0 && x - last > joinGap) {
        runs.push((last - start + 1) / dpr);
        start = x;
      } else if (start < 0) start = x;
      last = x;
    }
    if (start >= 0) runs.push((last - start + 1) / dpr);

    let first = -1;
    let lastSeries = -1;
    for (let x = plotLeft; x < plotRight; x++) {
      for (let y = plotTop; y < plotBottom; y++) {
        const i = (y * width + x) * 4;
        if (px[i + 3] < 128 || Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) < 60) continue;
        if (first < 0) first = x;
        lastSeries = x;
        break;
      }
    }
    const span = plotRight - plotLeft;

    return {
      label: root.parentElement?.getAttribute('aria-label') ?? '',
      width,
      plotLeft,
      plotRight,
      leftInk,
      rightInk,
      xLabels: { count: runs.length, widest: Math.round(Math.max(0, ...runs)) },
      seriesInk: first < 0 ? null : { from: (first - plotLeft) / span, to: (lastSeries - plotLeft) / span },
    };
  });
}

describe('chart axis labels fit the chart in EN, RU and DE', () => {
  let session, server, page;

  before(async () => {
    session = await openSession('e2e-chart-axes');
    ({ server, page } = session);
  });

  after(() => session?.close());

  async function assertAxesInside(lang, want) {
    const charts = await page.evaluate(measureCharts);
    assert.ok(charts.length >= want, `${lang}: ${want} chart(s) drawn, found ${charts.length}`);
    for (const c of charts) {
      const where = `${lang} "${c.label}" ${JSON.stringify(c)}`;
      assert.ok(c.leftInk < c.plotLeft, `${where}: the left axis has labels`);
      assert.ok(c.leftInk > 0, `${where}: the left axis labels are cut at the left edge`);
      if (c.rightInk >= 0) assert.ok(c.rightInk < c.width - 1, `${where}: the right axis labels are cut at the right edge`);
    }
    return charts;
  }

  test('the Crisis stream chart has both axes inside, with its percent axis on the right', async () => {
    const states = await server.call('CrisisService', 'States');
    const withSeries = [];
    for (const s of states) {
      const bins = await server.call('CrisisService', 'Series', s.key.account, s.key.channel);
      if (bins.some((b) => b.total > 0)) withSeries.push(s);
    }
    assert.ok(withSeries.length > 0, 'the demo data has a stream with messages');
    const key = withSeries[0].key;
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    const card = page.locator(`.crisis-screen .card[data-account="${key.account}"]`).first();
    await card.locator('[data-action=stream-chart]').click();
    const plot = page.locator(`section.stream[data-stream="${key.account}/${key.channel}"] .plot canvas`).first();
    await plot.waitFor({ timeout: T });
    const lang = page.locator('nav.sidebar select').first();
    for (const l of ['en', 'ru', 'de']) {
      await lang.selectOption(l);
      await page.waitForFunction((want) => document.documentElement.lang === want, l, { timeout: T });
      // The chart is drawn again for the language; measure that drawing.
      await page.waitForFunction((want) => document.querySelector('section.stream .plot')?.getAttribute('data-lang') === want, l, { timeout: T });
      const charts = await assertAxesInside(l, 1);
      assert.ok(charts.some((c) => c.rightInk > c.plotRight), `${l}: the percent axis is drawn on the right`);
    }
    await lang.selectOption('en');
  });

  test('the Analytics sentiment chart has its axis inside', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.locator('.analytics-screen .uplot canvas').first().waitFor({ timeout: T });
    await assertAxesInside('en', 1);
  });

  // The sentiment chart's x axis labels days. uPlot's own steps for a few days are
  // hours, each labelled with its day: "17 Feb" repeated until the labels ran together.
  test('the Analytics sentiment chart labels each day once, without overlap, over 1, 3, 7 and 30 days', async () => {
    const lang = page.locator('nav.sidebar select').first();
    const chart = page.locator('.analytics-screen .uplot canvas').first();
    const today = new Date();
    const iso = (d) => d.toISOString().slice(0, 10);
    for (const l of ['en', 'ru', 'de']) {
      await lang.selectOption(l);
      await page.waitForFunction((want) => document.documentElement.lang === want, l, { timeout: T });
      for (const days of [1, 3, 7, 30]) {
        if (days < 7) {
          await page.locator('[data-range-from]').fill(iso(new Date(today.getTime() - (days - 1) * 86400_000)));
          await page.locator('[data-range-to]').fill(iso(today));
          await page.locator('[data-range-apply]').click();
        } else {
          await page.locator(`.analytics-screen [data-days="${days}"]`).click();
        }
        await chart.waitFor({ timeout: T });
        // The chart is drawn again for the range; give the new drawing a frame.
        await page.waitForTimeout(500);
        const [{ xLabels: c, seriesInk: ink }] = await page.evaluate(measureCharts);
        const where = `${l}, ${days} days: ${JSON.stringify(c)}`;
        assert.ok(c.count >= 2, `${where}: the x axis has labels`);
        // One day is drawn over two, centred: three labels at most.
        assert.ok(c.count <= Math.max(days + 1, 3), `${where}: more labels than days, so a day is labelled twice`);
        assert.ok(c.widest <= 100, `${where}: labels run together`);
        if (days === 1) {
          // uPlot stretched a single day over 1,000 days, with the day at the left edge.
          assert.ok(ink && ink.from > 0.3 && ink.to < 0.7, `${where}: the one day is drawn at ${JSON.stringify(ink)} of the plot, not in its middle`);
        }
      }
    }
    await lang.selectOption('en');
  });
});
