// What the page shows for an error Go returned over the bridge. Bound calls hand
// the page coded errors (backend/apperr: a marker, then JSON {code, params,
// detail}); the UI words them from the dictionaries in src/lib/i18n.errors.ts, and
// an error without a specific code ("internal") as Go's own text. Browser tests
// compare what they see with this, so they check the words a person reads.
import { readFileSync } from 'node:fs';

export const ERROR_MARKER = 'stormdesk-error:';

/** decodeGoError reads an encoded Go error text; null for plain text. */
export function decodeGoError(text) {
  const at = text.indexOf(ERROR_MARKER);
  if (at < 0) return null;
  try {
    const o = JSON.parse(text.slice(at + ERROR_MARKER.length));
    return typeof o.code === 'string' && o.code !== '' ? { code: o.code, params: o.params ?? {}, detail: o.detail ?? '' } : null;
  } catch {
    return null;
  }
}

/** goDetail is Go's technical text of an error (the whole text when it is not coded). */
export function goDetail(text) {
  return decodeGoError(text)?.detail ?? text;
}

const LANG_BLOCK = { en: 'errorsEn', ru: 'errorsRu', de: 'errorsDe' };
const dicts = {};

/** dictionary reads one language's error texts from i18n.errors.ts (one 'key': 'text' per line). */
function dictionary(lang) {
  if (dicts[lang]) return dicts[lang];
  const src = readFileSync(new URL('../src/lib/i18n.errors.ts', import.meta.url), 'utf8');
  const start = src.indexOf(`export const ${LANG_BLOCK[lang]}`);
  const block = src.slice(start, src.indexOf('\n}', start));
  const d = {};
  for (const m of block.matchAll(/^\s*'([^']+)': '((?:[^'\\]|\\.)*)',$/gm)) d[m[1]] = m[2].replace(/\\'/g, "'");
  dicts[lang] = d;
  return d;
}

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? `{${k}}`);
}

/**
 * shownText is the one line the UI shows for Go's error text in lang: the problem
 * and the next step for a code, Go's own text for an internal one or plain text.
 * Rate limits (a formatted time) are not covered.
 */
export function shownText(text, lang = 'en') {
  const e = decodeGoError(text);
  if (!e) return text.trim();
  const d = dictionary(lang);
  const rule = e.params.rule ?? '';
  if (e.code === 'not-allowed' && d[`error.rule.${rule}`] && d[`error.ruleNext.${rule}`]) {
    return `${d[`error.rule.${rule}`]} ${d[`error.ruleNext.${rule}`]}`;
  }
  if (!d[`error.code.${e.code}`] || e.code === 'internal') {
    if (e.detail.trim() !== '') return e.detail;
    return `${d['error.code.internal']} ${d['error.next.internal']}`;
  }
  if (e.code === 'rate-limited') throw new Error('shownText: a rate limit shows a formatted time');
  const head = e.code === 'demo-account' && e.params.account ? fill(d['error.code.demo-account.named'], e.params) : d[`error.code.${e.code}`];
  return `${head} ${d[`error.next.${e.code}`]}`;
}

/**
 * assertShownError checks that el shows Go's error text the one way the app shows
 * errors: the worded problem and next step in lang, and Go's own text under a
 * closed "Details" fold whenever the words differ from it.
 */
export async function assertShownError(el, goText, lang = 'en') {
  const { default: assert } = await import('node:assert/strict');
  const message = (await el.locator('[data-role=error-message]').innerText()).trim();
  assert.equal(message, shownText(goText, lang), 'the error is worded from Go’s code');
  const fold = el.locator('[data-role=error-details]');
  const detail = goDetail(goText).trim();
  if (detail === message) {
    assert.equal(await fold.count(), 0, 'no Details fold repeats the message');
    return;
  }
  assert.equal(await fold.count(), 1, 'Go’s text is kept under Details');
  assert.equal(await fold.evaluate((d) => d.open), false, 'the Details fold starts closed');
  assert.equal((await fold.locator('code').textContent()).trim(), detail);
}
