// What the window says when a listening source's feed address gives no
// readable feed (backend/apperr feed-unreadable, from backend/listening/rss).
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const listeningFeedEn = {
  'error.code.feed-unreadable': 'This address does not give a readable RSS or Atom feed.',
  'error.next.feed-unreadable':
    'Open the site, find its RSS or Atom feed (often /feed or /rss.xml, or the feed icon) and use that address; the details say what the address gave.',
} satisfies Record<string, Entry>;

export const listeningFeedRu: Record<keyof typeof listeningFeedEn, Entry> = {
  'error.code.feed-unreadable': 'По этому адресу нет читаемой RSS- или Atom-ленты.',
  'error.next.feed-unreadable':
    'Откройте сайт, найдите его RSS- или Atom-ленту (часто /feed или /rss.xml, или значок ленты) и укажите её адрес; в подробностях сказано, что вернул адрес.',
};

export const listeningFeedDe: Record<keyof typeof listeningFeedEn, Entry> = {
  'error.code.feed-unreadable': 'Unter dieser Adresse gibt es keinen lesbaren RSS- oder Atom-Feed.',
  'error.next.feed-unreadable':
    'Öffnen Sie die Website, suchen Sie ihren RSS- oder Atom-Feed (oft /feed oder /rss.xml oder das Feed-Symbol) und verwenden Sie diese Adresse; die Details sagen, was die Adresse geliefert hat.',
};
