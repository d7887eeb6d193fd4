// A component that reads a custom property app.css does not define falls back to its
// hard-coded colour in both themes, out of reach of the contrast check (contrast.test.ts):
// the add-source editor's "connected" text was dark green on the dark theme that way.
import { expect, test } from 'vitest';

type FS = {
  readFileSync(path: string, enc: 'utf8'): string;
  readdirSync(path: string, opts: { recursive: true }): string[];
};
const fs = (await import('node:fs' as string)) as FS;

test('components use only custom properties that app.css or the component itself defines', () => {
  const defined = (text: string) => new Set([...text.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]!));
  const theme = defined(fs.readFileSync('src/app.css', 'utf8'));
  const unknown: string[] = [];
  for (const f of fs.readdirSync('src', { recursive: true }).filter((p) => p.endsWith('.svelte'))) {
    const text = fs.readFileSync(`src/${f}`, 'utf8');
    const own = defined(text);
    for (const m of text.matchAll(/var\((--[\w-]+)/g)) {
      if (!theme.has(m[1]!) && !own.has(m[1]!)) unknown.push(`${f}: ${m[1]}`);
    }
  }
  expect(unknown).toEqual([]);
});
