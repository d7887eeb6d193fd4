import { describe, expect, it } from 'vitest';
import { webHref } from './links';

describe('webHref', () => {
  it('keeps web addresses and refuses everything else', () => {
    const cases: [string | null | undefined, string | undefined][] = [
      ['https://m.example/@a/1', 'https://m.example/@a/1'],
      [' http://m.example/@a ', 'http://m.example/@a'],
      ['javascript:alert(1)', undefined],
      ['JavaScript:alert(1)', undefined],
      ['  javascript:alert(1)', undefined],
      ['data:text/html,<script>alert(1)</script>', undefined],
      ['vbscript:x', undefined],
      ['/@a/3', undefined],
      ['//evil.example/x', undefined],
      ['file:///etc/passwd', undefined],
      ['', undefined],
      [null, undefined],
      [undefined, undefined],
    ];
    for (const [url, want] of cases) expect(webHref(url), String(url)).toBe(want);
  });
});
