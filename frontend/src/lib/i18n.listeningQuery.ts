// Why a listening topic's query was refused (backend/listening/query's codes, listed in
// listeningQueryCodes.json; listeningQuery.test.ts checks every code has a text in every
// language). {pos} is the 1-based character where the problem is; {param} the name or
// value at fault. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const listeningQueryEn = {
  'error.code.query-invalid': 'The topic’s query cannot be read.',
  'error.next.query-invalid': 'Correct it at the marked place and save again.',
  'listening.query.empty-query': 'The query is empty: write the words to look for.',
  'listening.query.unbalanced-paren': 'The parenthesis at character {pos} has no partner.',
  'listening.query.empty-group': 'The parentheses at character {pos} hold nothing.',
  'listening.query.unclosed-quote': 'The quote at character {pos} is not closed.',
  'listening.query.dangling-operator': '“{param}” at character {pos} is missing a word on one side.',
  'listening.query.unknown-field': '“{param}:” at character {pos} is not a filter: use lang: or source:, or put the text in quotes.',
  'listening.query.missing-value': '“{param}:” at character {pos} needs a value, such as lang:en or source:reddit.',
  'listening.query.unknown-lang': '“{param}” at character {pos} is not a language code: use two letters, such as en, ru or de.',
  'listening.query.unknown-source': '“{param}” at character {pos} is not a source: use mastodon, bluesky, reddit, hn, youtube, vk or rss.',
  'listening.query.only-negative': 'The part at character {pos} only excludes or filters: add a word or phrase to look for.',
  'listening.query.too-long': 'The query is longer than {param} characters: shorten it.',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof listeningQueryEn, Entry>;

export const listeningQueryRu: Dict = {
  'error.code.query-invalid': 'Запрос темы не удаётся разобрать.',
  'error.next.query-invalid': 'Исправьте его в отмеченном месте и сохраните снова.',
  'listening.query.empty-query': 'Запрос пуст: напишите слова, которые нужно искать.',
  'listening.query.unbalanced-paren': 'У скобки в позиции {pos} нет пары.',
  'listening.query.empty-group': 'Скобки в позиции {pos} пусты.',
  'listening.query.unclosed-quote': 'Кавычка в позиции {pos} не закрыта.',
  'listening.query.dangling-operator': 'У «{param}» в позиции {pos} не хватает слова с одной из сторон.',
  'listening.query.unknown-field': '«{param}:» в позиции {pos} — не фильтр: используйте lang: или source: либо возьмите текст в кавычки.',
  'listening.query.missing-value': 'У «{param}:» в позиции {pos} нет значения, например lang:ru или source:reddit.',
  'listening.query.unknown-lang': '«{param}» в позиции {pos} — не код языка: нужны две буквы, например ru, en или de.',
  'listening.query.unknown-source': '«{param}» в позиции {pos} — не источник: используйте mastodon, bluesky, reddit, hn, youtube, vk или rss.',
  'listening.query.only-negative': 'Часть запроса в позиции {pos} только исключает или фильтрует: добавьте слово или фразу для поиска.',
  'listening.query.too-long': 'Запрос длиннее {param} символов: сократите его.',
};

export const listeningQueryDe: Dict = {
  'error.code.query-invalid': 'Die Suchanfrage des Themas ist nicht lesbar.',
  'error.next.query-invalid': 'Korrigieren Sie sie an der markierten Stelle und speichern Sie erneut.',
  'listening.query.empty-query': 'Die Suchanfrage ist leer: Geben Sie die Wörter ein, nach denen gesucht werden soll.',
  'listening.query.unbalanced-paren': 'Zur Klammer an Zeichen {pos} fehlt das Gegenstück.',
  'listening.query.empty-group': 'Die Klammern an Zeichen {pos} sind leer.',
  'listening.query.unclosed-quote': 'Das Anführungszeichen an Zeichen {pos} wird nicht geschlossen.',
  'listening.query.dangling-operator': 'Bei „{param}“ an Zeichen {pos} fehlt auf einer Seite ein Wort.',
  'listening.query.unknown-field': '„{param}:“ an Zeichen {pos} ist kein Filter: Verwenden Sie lang: oder source: oder setzen Sie den Text in Anführungszeichen.',
  'listening.query.missing-value': '„{param}:“ an Zeichen {pos} braucht einen Wert, etwa lang:de oder source:reddit.',
  'listening.query.unknown-lang': '„{param}“ an Zeichen {pos} ist kein Sprachcode: Verwenden Sie zwei Buchstaben, etwa de, en oder ru.',
  'listening.query.unknown-source': '„{param}“ an Zeichen {pos} ist keine Quelle: Verwenden Sie mastodon, bluesky, reddit, hn, youtube, vk oder rss.',
  'listening.query.only-negative': 'Der Teil an Zeichen {pos} schließt nur aus oder filtert: Fügen Sie ein Wort oder eine Wortgruppe hinzu, nach der gesucht wird.',
  'listening.query.too-long': 'Die Suchanfrage ist länger als {param} Zeichen: Kürzen Sie sie.',
};
