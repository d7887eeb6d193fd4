import { describe, expect, it } from 'vitest';
import { detectLang, dictionaries, formatDuration, LANGS, translate, type Key } from './i18n';

const en = dictionaries.en;
const keys = Object.keys(en) as Key[];

function placeholders(entry: unknown): string[] {
  const texts = typeof entry === 'string' ? [entry] : Object.values(entry as object);
  const names = new Set<string>();
  for (const t of texts) for (const m of String(t).matchAll(/\{(\w+)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

describe('dictionaries', () => {
  it('have many keys', () => {
    expect(keys.length).toBeGreaterThan(100);
  });

  for (const lang of LANGS) {
    it(`${lang} has every key, non-empty, with the same placeholders as English`, () => {
      const dict = dictionaries[lang] as Record<string, unknown>;
      expect(Object.keys(dict).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const entry = dict[key];
        expect(entry, `${lang}:${key}`).toBeDefined();
        if (typeof entry === 'string') expect(entry.trim(), `${lang}:${key}`).not.toBe('');
        expect(placeholders(entry), `${lang}:${key}`).toEqual(placeholders(en[key]));
      }
    });

    it(`${lang} plural entries cover every plural category of the language`, () => {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const key of keys) {
        const entry = dictionaries[lang][key];
        if (typeof entry === 'string') continue;
        for (const c of categories) {
          expect((entry as unknown as Record<string, string>)[c], `${lang}:${key}:${c}`).toBeTruthy();
        }
      }
    });
  }
});

describe('plurals', () => {
  it('uses Russian plural forms', () => {
    const m = (n: number) => translate('ru', 'messages.count', { count: n });
    expect(m(1)).toBe('1 сообщение');
    expect(m(2)).toBe('2 сообщения');
    expect(m(5)).toBe('5 сообщений');
    expect(m(11)).toBe('11 сообщений');
    expect(m(21)).toBe('21 сообщение');
    expect(m(24)).toBe('24 сообщения');
  });

  it('uses English and German forms and formats numbers for the language', () => {
    expect(translate('en', 'messages.count', { count: 1 })).toBe('1 message');
    expect(translate('en', 'messages.count', { count: 1200 })).toBe('1,200 messages');
    expect(translate('de', 'messages.count', { count: 1200 })).toBe('1.200 Nachrichten');
  });
});

describe('language and durations', () => {
  it('detects the language from navigator tags', () => {
    expect(detectLang('ru-RU')).toBe('ru');
    expect(detectLang('de_AT')).toBe('de');
    expect(detectLang('fr-FR')).toBe('en');
    expect(detectLang(undefined)).toBe('en');
  });

  it('formats durations with at most two units', () => {
    expect(formatDuration(45 * 60000, 'en')).toBe('45m');
    expect(formatDuration((2 * 60 + 5) * 60000, 'en')).toBe('2h 5m');
    expect(formatDuration((26 * 60 + 30) * 60000, 'en')).toBe('1d 2h');
    expect(formatDuration(-90 * 60000, 'ru')).toBe('1 ч 30 мин');
  });
});
