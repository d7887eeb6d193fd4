import { describe, expect, it } from 'vitest';
import codes from './limitCodes.json';
import { dictionaries, LANGS, setLang } from './i18n';
import { limitNote } from './limits';

describe('limit notes', () => {
  for (const lang of LANGS) {
    it(`${lang} words every note code the connectors send`, () => {
      const dict = dictionaries[lang] as Record<string, unknown>;
      for (const code of codes) expect(dict[`limits.${code}`], `${lang}:${code}`).toBeTruthy();
    });
  }

  it('fills params in the UI language and falls back to Go text for an unknown code', () => {
    setLang('ru');
    expect(limitNote({ code: 'mail.sentFrom', params: { from: 'help@example.com' }, text: 'Replies are sent from help@example.com' })).toBe(
      'Ответы уходят с адреса help@example.com, копия сохраняется в «Отправленных».',
    );
    expect(limitNote({ code: 'newplatform.rule', text: 'A rule this UI does not know' })).toBe('A rule this UI does not know');
    setLang('en');
  });
});
