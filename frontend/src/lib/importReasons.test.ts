import { describe, expect, it } from 'vitest';
import codes from './importReasonCodes.json';
import { dictionaries, LANGS, setLang } from './i18n';
import { rowReason } from './importReasons';

describe('import row reasons', () => {
  for (const lang of LANGS) {
    it(`${lang} words every reason code the importer sends`, () => {
      const dict = dictionaries[lang] as Record<string, unknown>;
      for (const code of codes) expect(dict[`import.reason.${code}`], `${lang}:${code}`).toBeTruthy();
    });
  }

  it('fills params in the UI language and falls back to the Go text', () => {
    setLang('de');
    expect(rowReason({ code: 'fieldCount', params: { got: '3', want: '5' }, reason: 'wrong number of fields: got 3, want 5' })).toBe(
      'falsche Anzahl Felder: 3 statt 5',
    );
    setLang('ru');
    expect(rowReason({ code: 'unknownKind', params: { value: '"tweet"' }, reason: 'x' })).toBe(
      'неизвестный тип "tweet" (нужно comment, dm или mail)',
    );
    expect(rowReason({ code: 'newerCode', params: {}, reason: 'a reason this UI does not know' })).toBe('a reason this UI does not know');
    expect(rowReason({ code: '', params: {}, reason: 'rejected: no external id' })).toBe('rejected: no external id');
    setLang('en');
  });
});
