// Strings of the search box's query-syntax help. Merged into the dictionaries
// in i18n.ts. The examples are searches in the language of the UI; the
// operator OR stays in Latin capitals in every language (the search reads it
// so), and the quotes stay straight ASCII quotes.
import type { Entry } from './i18n';

export const searchEn = {
  'searchHelp.open': 'Search syntax',
  'searchHelp.title': 'How to search',
  'searchHelp.example': 'Example',
  'searchHelp.meaning': 'Finds',
  'searchHelp.words.ex': 'refund delay',
  'searchHelp.words': 'Messages with all the words, in any form: refunds, delayed',
  'searchHelp.phrase.ex': '"still waiting"',
  'searchHelp.phrase': 'These exact words in this order, not other forms',
  'searchHelp.prefix.ex': 'deliv*',
  'searchHelp.prefix': 'Words that start with the letters: delivery, delivered',
  'searchHelp.or.ex': 'refund OR voucher',
  'searchHelp.or': 'Either word (OR in capitals)',
  'searchHelp.exclude.ex': 'refund -paypal',
  'searchHelp.exclude': 'Leaves out messages with the word (or with -"a phrase")',
  'searchHelp.folding': 'Upper and lower case, ё and е, ä and a are the same to search.',
  'searchHelp.keys': 'Enter searches now, Esc clears the search.',
  'searchHelp.close': 'Close',
  'searchHelp.tip': 'Words are found in any form. For the search syntax, press F1 in the search field or click ?.',
};

type SearchKey = keyof typeof searchEn;

export const searchRu: Record<SearchKey, Entry> = {
  'searchHelp.open': 'Синтаксис поиска',
  'searchHelp.title': 'Как искать',
  'searchHelp.example': 'Запрос',
  'searchHelp.meaning': 'Что найдётся',
  'searchHelp.words.ex': 'счёт интернет',
  'searchHelp.words': 'Сообщения со всеми словами в любой форме: «счета», «интернета»',
  'searchHelp.phrase.ex': '"не работает интернет"',
  'searchHelp.phrase': 'Именно эти слова в этом порядке, без других форм',
  'searchHelp.prefix.ex': 'интерн*',
  'searchHelp.prefix': 'Слова, которые начинаются с этих букв: «интернет», «интернетом»',
  'searchHelp.or.ex': 'счёт OR оплата',
  'searchHelp.or': 'Любое из двух слов (OR латиницей, заглавными буквами)',
  'searchHelp.exclude.ex': 'счёт -возврат',
  'searchHelp.exclude': 'Без сообщений с этим словом (или с -"целой фразой")',
  'searchHelp.folding': 'Регистр не важен, «ё» и «е» для поиска одна буква, как и «ä» и «a».',
  'searchHelp.keys': 'Enter — искать сразу, Esc — очистить поиск.',
  'searchHelp.close': 'Закрыть',
  'searchHelp.tip': 'Слова ищутся в любой форме. Синтаксис поиска — по F1 в поле поиска или по кнопке «?».',
};

export const searchDe: Record<SearchKey, Entry> = {
  'searchHelp.open': 'Suchsyntax',
  'searchHelp.title': 'So suchen Sie',
  'searchHelp.example': 'Suche',
  'searchHelp.meaning': 'Findet',
  'searchHelp.words.ex': 'Lieferung Verspätung',
  'searchHelp.words': 'Nachrichten mit allen Wörtern, in jeder Form: Lieferungen, Verspätungen',
  'searchHelp.phrase.ex': '"warte immer noch"',
  'searchHelp.phrase': 'Genau diese Wörter in dieser Reihenfolge, keine anderen Formen',
  'searchHelp.prefix.ex': 'liefer*',
  'searchHelp.prefix': 'Wörter, die mit diesen Buchstaben beginnen: Lieferung, liefern',
  'searchHelp.or.ex': 'Erstattung OR Gutschein',
  'searchHelp.or': 'Eines der beiden Wörter (OR in Großbuchstaben)',
  'searchHelp.exclude.ex': 'Erstattung -PayPal',
  'searchHelp.exclude': 'Ohne Nachrichten mit diesem Wort (oder mit -"einer Wortgruppe")',
  'searchHelp.folding': 'Groß- und Kleinschreibung spielen keine Rolle, ä und a gelten als gleich.',
  'searchHelp.keys': 'Eingabe sucht sofort, Esc leert die Suche.',
  'searchHelp.close': 'Schließen',
  'searchHelp.tip': 'Wörter werden in jeder Form gefunden. Die Suchsyntax zeigt F1 im Suchfeld oder die Schaltfläche ?.',
};
