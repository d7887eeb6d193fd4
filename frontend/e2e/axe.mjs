// axe-core in the page: WCAG 2.1 A and AA rules only (the level the product promises),
// results as a readable list so a failing test says what to fix and where.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** The rule tags that make up WCAG 2.1 level A and AA. */
export const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axeViolations runs axe on the whole page as it stands and resolves with its
 * violations: [{ id, impact, help, helpUrl, nodes: [{ target, summary }] }].
 * axe is injected once per document (a reload needs it again).
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    // Two frames: styles of what just appeared (a theme set at start-up, a form just opened)
    // are computed and painted before axe reads colours.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, WCAG21AA);
}

/** formatViolations is the failure message: each rule, where it fails and axe's hint to fix it. */
export function formatViolations(where, violations) {
  const lines = [`${violations.length} WCAG 2.1 A/AA rule(s) violated on ${where}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) lines.push(`    ${n.target}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`);
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}
