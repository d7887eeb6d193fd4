import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { normAlert, type CrisisAlert } from '../lib/api';
import type { crisis } from '../../wailsjs/go/models';
import type { Plain } from '../lib/api/types';
import { setLang, type Lang } from '../lib/i18n';
import AlertKindDetail from './AlertKindDetail.svelte';

// An alert as Go sends it (JSON), through the same normalisation as the app.
function alertOf(extra: Partial<Plain<crisis.Alert>>): CrisisAlert {
  return normAlert({
    key: { account: 'acme', channel: 'telegram' },
    start: '2025-03-06T13:00:00Z',
    detectedAt: '2025-03-06T13:44:00Z',
    windowMs: 3_600_000,
    observed: 12,
    baseline: 0.4,
    threshold: 10,
    pValue: 1e-9,
    volume: 60,
    escalation: false,
    topTerms: [],
    topPhrases: [],
    samples: [],
    authors: [],
    series: [],
    kind: 'volume',
    weighted: 12,
    influencers: [],
    ...extra,
  } as Plain<crisis.Alert>);
}

// rows reads the influencers table as "cell | cell" lines, empty cells left out.
function rows(container: HTMLElement): string[] {
  return [...container.querySelectorAll('[data-field=influencers] tr')].map((r) =>
    [...r.querySelectorAll('td')]
      .map((td) => td.textContent?.trim() ?? '')
      .filter((x) => x !== '')
      .join(' | '),
  );
}

const star = { author: '@bigvoice', messages: 1, reach: 1_000_000, replies: 0, weight: 8 };
const thread = { author: '@threadstarter', messages: 2, reach: 300, replies: 160, weight: 8.2 };

describe('AlertKindDetail', () => {
  it('names the topic of a topic burst with its text and words, in every language', () => {
    const topic = { terms: ['hotline', '2231', 'denver'], text: 'flight 2231 to denver cancelled again and the hotline hangs up', count: 12, authors: 11 };
    const want: Record<Lang, RegExp> = {
      en: /12 near-identical complaints.*from 11 authors/,
      ru: /почти одинаковых жалоб: 12.*от 11 авторов/,
      de: /12 fast gleichlautende Beschwerden.*von 11 Autoren/,
    };
    for (const l of ['en', 'ru', 'de'] as Lang[]) {
      setLang(l);
      const { container, unmount } = render(AlertKindDetail, { alert: alertOf({ kind: 'topic', topic }) });
      expect(container.querySelector('[data-kind]')?.getAttribute('data-kind')).toBe('topic');
      expect(container.querySelector('[data-field=topic-plain]')?.textContent?.replace(/\s+/g, ' ')).toMatch(want[l]);
      expect(container.querySelector('[data-field=topic-text]')?.textContent).toBe(topic.text);
      const terms = [...container.querySelectorAll('[data-field=topic-terms] .term')].map((e) => e.textContent);
      expect(terms).toEqual(topic.terms);
      expect(container.querySelector('[data-field=kind]')?.textContent).toBe({ en: 'Topic burst', ru: 'Всплеск темы', de: 'Themen-Welle' }[l]);
      unmount();
    }
  });

  it('explains an influence alert by its weight and lists the influential authors', () => {
    setLang('en');
    const { container } = render(AlertKindDetail, {
      alert: alertOf({ kind: 'influence', observed: 4, weighted: 11, baseline: 1.1, threshold: 8, influencers: [star] }),
    });
    const plain = container.querySelector('[data-field=influence-plain]')?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(plain).toMatch(/^4 negative messages in the 1h from .* weigh 11 once their authors’ audiences and replies count: 10 times the usual 1.1\. An alert starts at a weight of 8/);
    expect(rows(container)).toEqual(['@bigvoice | 1,000,000 followers | weighs 8']);
  });

  it('lists a volume alert’s influencers with their replies, and says when there are none', () => {
    setLang('de');
    const withOnes = render(AlertKindDetail, { alert: alertOf({ influencers: [thread, star] }) });
    expect(rows(withOnes.container)).toEqual(['@threadstarter | 300 Follower | 160 Antworten | Gewicht 8,2', '@bigvoice | 1.000.000 Follower | Gewicht 8']);
    expect(withOnes.container.querySelector('[data-field=kind]')).toBeNull();
    withOnes.unmount();

    setLang('ru');
    // An alert stored before kinds existed: no kind, no influencers.
    const old = render(AlertKindDetail, { alert: alertOf({ kind: undefined, influencers: undefined } as unknown as Partial<Plain<crisis.Alert>>) });
    expect(old.container.querySelector('[data-kind]')?.getAttribute('data-kind')).toBe('volume');
    expect(old.container.querySelector('[data-field=influencers-none]')?.textContent).toBe('Нет авторов с аудиторией от 10 000 и сообщений с 20 ответами и больше.');
  });
});
