// The theme tokens in app.css, checked for WCAG 2.1 AA contrast in both themes. axe-core
// (e2e/a11y.test.mjs) checks the text it finds in the page; this also covers what axe
// cannot read: chart axes and labels drawn on a canvas in --fg-muted, focus rings, and
// surfaces a state the browser tests do not reach would put text on.
import { describe, expect, test } from 'vitest';

// Read as a file: a CSS import would be processed, not read. Vitest runs from frontend/, and
// the frontend's tsconfig has no Node types, hence the typed dynamic import.
const fs = (await import('node:fs' as string)) as { readFileSync(path: string, enc: 'utf8'): string };
const css = fs.readFileSync('src/app.css', 'utf8');

/** tokens reads the custom properties of the first block after marker. */
function tokens(marker: string): Record<string, string> {
  const start = css.indexOf(marker);
  expect(start, marker).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1], m[2].toLowerCase()]));
}

const light = tokens(':root {');
// The dark theme: data-theme="dark" (the media query block repeats it; compared below).
const dark = { ...light, ...tokens(":root[data-theme='dark'] {") };

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

const SURFACES = ['--bg', '--bg-soft', '--bg-sunken', '--bg-sidebar', '--selected', '--active', '--bubble-in', '--bubble-out', '--accent-soft'];

/** Each rule: text tokens, the surfaces they are drawn on, the ratio they need. */
const RULES: { what: string; fg: string[]; bg: string[]; min: number }[] = [
  { what: 'body, muted and subtle text (also chart axes) on every surface', fg: ['--fg', '--fg-muted', '--fg-subtle'], bg: SURFACES, min: 4.5 },
  { what: 'links and accent text', fg: ['--accent'], bg: ['--bg', '--bg-soft', '--bg-sidebar', '--selected', '--accent-soft'], min: 4.5 },
  { what: 'primary button label', fg: ['--accent-fg'], bg: ['--accent', '--accent-hover'], min: 4.5 },
  { what: 'danger text and badges', fg: ['--danger', '--danger-fg'], bg: ['--bg', '--bg-soft', '--danger-soft'], min: 4.5 },
  { what: 'text on a danger fill (alert badges, Delete): --bg', fg: ['--bg'], bg: ['--danger'], min: 4.5 },
  { what: 'warning text and SLA badges', fg: ['--warn-fg'], bg: ['--bg', '--bg-soft', '--warn-soft'], min: 4.5 },
  { what: 'ok text and SLA badges', fg: ['--ok', '--ok-fg'], bg: ['--bg', '--bg-soft', '--bg-sunken', '--ok-soft'], min: 4.5 },
  { what: 'focus ring (a UI component: 3:1)', fg: ['--focus'], bg: ['--bg', '--bg-soft', '--bg-sidebar', '--selected', '--active'], min: 3 },
];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme', (_name, theme) => {
  for (const r of RULES) {
    test(r.what, () => {
      const low = r.fg.flatMap((f) => r.bg.map((b) => ({ pair: `${f} on ${b}`, ratio: contrast(theme[f]!, theme[b]!) }))).filter((p) => p.ratio < r.min);
      expect(low.map((p) => `${p.pair}: ${p.ratio.toFixed(2)}`)).toEqual([]);
    });
  }
});

test('channel badges carry white text at 4.5:1', () => {
  const low = Object.entries(light)
    .filter(([k]) => k.startsWith('--ch-'))
    .filter(([, v]) => contrast('#ffffff', v) < 4.5);
  expect(low).toEqual([]);
});

test('the dark theme by media query and by data-theme are the same', () => {
  const byMedia = tokens(":root:not([data-theme='light']) {");
  expect(byMedia).toEqual(tokens(":root[data-theme='dark'] {"));
});

test('the check can fail: grey on white is caught', () => {
  expect(contrast('#8a919c', '#ffffff')).toBeLessThan(4.5);
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
});
