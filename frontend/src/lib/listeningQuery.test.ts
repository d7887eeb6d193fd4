import { describe, expect, it } from 'vitest';
import codes from './listeningQueryCodes.json';
import { describe as describeError, ERROR_MARKER, parseCoded } from './errors';
import { dictionaries, LANGS } from './i18n';
import { querySpan } from './listeningQuery';

// What Go's apperr.Encode returns when a topic is saved with `Stormair source:twitter`.
const refused = `${ERROR_MARKER}{"code":"query-invalid","params":{"end":"23","param":"twitter","pos":"16","reason":"unknown-source"},"detail":"save topic: query: unknown-source \\"twitter\\" at 16-23"}`;

describe('listening query errors', () => {
  it('the list generated from backend/listening/query is not empty', () => {
    expect(codes).toContain('unbalanced-paren');
    expect(codes).toContain('only-negative');
  });

  for (const lang of LANGS) {
    it(`every query error code has a text in ${lang}`, () => {
      const dict = dictionaries[lang] as Record<string, unknown>;
      for (const code of codes) {
        const text = dict[`listening.query.${code}`];
        expect(typeof text === 'string' && text.trim() !== '', `${lang}: ${code}`).toBe(true);
      }
    });
  }

  it('names the value and the character, counted from 1, in each language', () => {
    const e = parseCoded(refused);
    expect(e).not.toBeNull();
    const en = describeError(e!, 'en');
    expect(en.text).toBe('“twitter” at character 17 is not a source: use mastodon, bluesky, reddit, hn, youtube, vk or rss.');
    expect(en.next).toBe('Correct it at the marked place and save again.');
    expect(en.detail).toContain('unknown-source');
    expect(describeError(e!, 'ru').text).toContain('«twitter» в позиции 17');
    expect(describeError(e!, 'de').text).toContain('„twitter“ an Zeichen 17');
  });

  it('reads a reason this build does not know as the general query error', () => {
    const e = parseCoded(refused.replace('unknown-source', 'newer-reason'))!;
    expect(describeError(e, 'en').text).toBe('The topic’s query cannot be read.');
  });
});

describe('the place of a refused query', () => {
  it('is the characters Go marks, as UTF-16 offsets after an emoji', () => {
    // Go's error for `🔥 stormair source:twitter`: the value at runes 18–25.
    const text = '🔥 stormair source:twitter';
    const e = parseCoded(`${ERROR_MARKER}{"code":"query-invalid","params":{"end":"25","param":"twitter","pos":"18","reason":"unknown-source"},"detail":""}`)!;
    const span = querySpan(e, text)!;
    expect(text.slice(span.start, span.end)).toBe('twitter');
  });

  it('is nothing for other errors or broken params', () => {
    expect(querySpan({ code: 'not-found', params: {}, detail: '' }, 'a')).toBeNull();
    expect(querySpan({ code: 'query-invalid', params: { pos: 'x', end: '1' }, detail: '' }, 'a')).toBeNull();
  });

  it('stops at the end of a shorter text', () => {
    const e = { code: 'query-invalid', params: { pos: '2', end: '9' }, detail: '' };
    expect(querySpan(e, 'abc')).toEqual({ start: 2, end: 3 });
  });
});
