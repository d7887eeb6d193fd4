// The one i18n layer: dictionaries for every UI string in English, Russian and German,
// t(key, params) with plural forms chosen by Intl.PluralRules, and Intl-based formatting
// of dates and numbers in the current locale. Reading the language inside a component
// (through t or any formatter) makes that component follow a language switch.
import { createSubscriber } from 'svelte/reactivity';

export type Lang = 'en' | 'ru' | 'de';
export const LANGS: readonly Lang[] = ['en', 'ru', 'de'];

/** Plural forms keyed by Intl.PluralRules categories; `other` is always required. */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Entry = string | PluralForms;

const en = {
  'app.name': 'Stormdesk',
  'app.loading': 'Loading…',

  'sidebar.label': 'Inbox views',
  'sidebar.views': 'Views',
  'sidebar.channels': 'Channels',
  'sidebar.tags': 'Tags',
  'sidebar.noTags': 'No tags yet',
  'view.all': 'All open',
  'view.mine': 'Mine',
  'view.unassigned': 'Unassigned',
  'view.sla': 'SLA at risk',
  'view.negative': 'Negative',
  'view.pending': 'Pending',
  'view.closed': 'Closed',

  'channel.mail': 'Mail',
  'channel.telegram': 'Telegram',
  'channel.vk': 'VK',
  'channel.mastodon': 'Mastodon',
  'channel.youtube': 'YouTube',
  'channel.import': 'Import',

  'settings.language': 'Language',
  'settings.theme': 'Theme',
  'theme.system': 'System',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
  'footer.me': 'Signed in as {name}',
  'footer.demo': 'Demo',
  'footer.version': 'Version {version}',

  'search.label': 'Search messages',
  'search.placeholder': 'Search messages',
  'search.clear': 'Clear search',
  'search.results': { one: '{count} result for “{text}”', other: '{count} results for “{text}”' },
  'search.resultsMore': { one: '{count}+ result for “{text}”', other: '{count}+ results for “{text}”' },
  'search.none': 'No messages match “{text}”',
  'search.noneHint': 'Check the spelling or search in all channels.',
  'search.searching': 'Searching…',
  'search.back': 'Back to list',
  'search.inChannel': 'in {channel}',

  'filter.label': 'Filters',
  'filter.status': 'Status',
  'filter.channel': 'Channel',
  'filter.sentiment': 'Sentiment',
  'filter.order': 'Order',
  'filter.anyStatus': 'Any status',
  'filter.anySentiment': 'Any sentiment',
  'filter.allChannels': 'All channels',
  'filter.reset': 'Reset',
  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.closed': 'Closed',
  'sentiment.negative': 'Negative',
  'sentiment.neutral': 'Neutral',
  'sentiment.positive': 'Positive',
  'sentiment.unknown': 'Not scored',
  'sentiment.title': 'Sentiment: {label}',
  'order.sla': 'SLA deadline',
  'order.newest': 'Newest',

  'list.label': 'Conversations',
  'list.loading': 'Loading…',
  'list.loadingMore': 'Loading more…',
  'list.empty': 'No conversations here',
  'list.emptyHint': 'Nothing matches this view and these filters.',
  'list.end': 'End of list',
  'list.updated': 'New activity',
  'list.refresh': 'Refresh',
  'list.count': { one: '{count} conversation', other: '{count} conversations' },
  'list.countMore': { one: '{count}+ conversation', other: '{count}+ conversations' },

  'row.noSubject': '(no subject)',
  'row.assignedTo': 'Assigned to {name}',
  'row.priority': 'High priority',
  'messages.count': { one: '{count} message', other: '{count} messages' },
  'negative.count': { one: '{count} negative message', other: '{count} negative messages' },

  'sla.overdue': 'Overdue {d}',
  'sla.left': '{d} left',
  'sla.title': 'SLA deadline: {time}',
  'dur.d': '{n}d',
  'dur.h': '{n}h',
  'dur.m': '{n}m',
  'time.now': 'just now',

  'thread.label': 'Conversation',
  'thread.empty': 'No conversation selected',
  'thread.emptyHint': 'Pick a conversation from the list.',
  'thread.loading': 'Loading conversation…',
  'thread.via': 'via {account}',
  'thread.started': 'Started {date}',
  'thread.assignee': 'Assignee',
  'thread.unassigned': 'Unassigned',
  'thread.actions': 'Conversation actions',
  'thread.noMessages': 'This conversation has no messages.',
  'action.close': 'Close',
  'action.reopen': 'Reopen',
  'action.pending': 'Pending',
  'action.assignMe': 'Assign to me',
  'action.unassign': 'Unassign',
  'tag.add': 'Add tag',
  'tag.placeholder': 'Add tag…',
  'tag.remove': 'Remove tag {tag}',

  'message.comment': 'Public comment',
  'message.dm': 'Direct message',
  'message.mail': 'Email',
  'message.brand': 'Brand',
  'message.fromCustomer': 'From customer',
  'message.showText': 'Plain text',
  'message.showHtml': 'Formatted',
  'message.mailFrame': 'Email body',
  'message.empty': '(empty message)',
  'message.matched': 'Search match',
  'author.reach': { one: '{count} follower', other: '{count} followers' },
  'flag.invalid-utf8': 'Invalid UTF-8 was repaired on import',
  'flag.truncated': 'The message was truncated on import',
  'flag.no-text': 'The message had no text content',
  'flag.other': 'Repaired on import: {flag}',

  'error.title': 'Error',
  'error.dismiss': 'Dismiss',
  'error.unavailable': 'The Stormdesk backend is not available.',
  'error.unknown': 'Something went wrong ({op}).',

  'keys.hint': 'j / k move · Enter open · e close · / search · Esc back',
} satisfies Record<string, Entry>;

export type Key = keyof typeof en;
export type Dict = Record<Key, Entry>;

const ru: Dict = {
  'app.name': 'Stormdesk',
  'app.loading': 'Загрузка…',

  'sidebar.label': 'Разделы входящих',
  'sidebar.views': 'Разделы',
  'sidebar.channels': 'Каналы',
  'sidebar.tags': 'Метки',
  'sidebar.noTags': 'Меток пока нет',
  'view.all': 'Все открытые',
  'view.mine': 'Мои',
  'view.unassigned': 'Без ответственного',
  'view.sla': 'Под угрозой SLA',
  'view.negative': 'Негатив',
  'view.pending': 'В ожидании',
  'view.closed': 'Закрытые',

  'channel.mail': 'Почта',
  'channel.telegram': 'Telegram',
  'channel.vk': 'ВКонтакте',
  'channel.mastodon': 'Mastodon',
  'channel.youtube': 'YouTube',
  'channel.import': 'Импорт',

  'settings.language': 'Язык',
  'settings.theme': 'Тема',
  'theme.system': 'Системная',
  'theme.light': 'Светлая',
  'theme.dark': 'Тёмная',
  'footer.me': 'Вы вошли как {name}',
  'footer.demo': 'Демо',
  'footer.version': 'Версия {version}',

  'search.label': 'Поиск по сообщениям',
  'search.placeholder': 'Поиск по сообщениям',
  'search.clear': 'Очистить поиск',
  'search.results': {
    one: '{count} результат по запросу «{text}»',
    few: '{count} результата по запросу «{text}»',
    many: '{count} результатов по запросу «{text}»',
    other: '{count} результата по запросу «{text}»',
  },
  'search.resultsMore': {
    one: 'Более {count} результата по запросу «{text}»',
    few: 'Более {count} результатов по запросу «{text}»',
    many: 'Более {count} результатов по запросу «{text}»',
    other: 'Более {count} результата по запросу «{text}»',
  },
  'search.none': 'По запросу «{text}» ничего не найдено',
  'search.noneHint': 'Проверьте написание или ищите во всех каналах.',
  'search.searching': 'Поиск…',
  'search.back': 'Назад к списку',
  'search.inChannel': 'в канале {channel}',

  'filter.label': 'Фильтры',
  'filter.status': 'Статус',
  'filter.channel': 'Канал',
  'filter.sentiment': 'Тональность',
  'filter.order': 'Порядок',
  'filter.anyStatus': 'Любой статус',
  'filter.anySentiment': 'Любая тональность',
  'filter.allChannels': 'Все каналы',
  'filter.reset': 'Сбросить',
  'status.open': 'Открыт',
  'status.pending': 'В ожидании',
  'status.closed': 'Закрыт',
  'sentiment.negative': 'Негативная',
  'sentiment.neutral': 'Нейтральная',
  'sentiment.positive': 'Позитивная',
  'sentiment.unknown': 'Не оценена',
  'sentiment.title': 'Тональность: {label}',
  'order.sla': 'По сроку SLA',
  'order.newest': 'Новые сверху',

  'list.label': 'Диалоги',
  'list.loading': 'Загрузка…',
  'list.loadingMore': 'Загружаем ещё…',
  'list.empty': 'Здесь нет диалогов',
  'list.emptyHint': 'Под этот раздел и фильтры ничего не подходит.',
  'list.end': 'Конец списка',
  'list.updated': 'Есть новые события',
  'list.refresh': 'Обновить',
  'list.count': { one: '{count} диалог', few: '{count} диалога', many: '{count} диалогов', other: '{count} диалога' },
  'list.countMore': {
    one: 'Более {count} диалога',
    few: 'Более {count} диалогов',
    many: 'Более {count} диалогов',
    other: 'Более {count} диалога',
  },

  'row.noSubject': '(без темы)',
  'row.assignedTo': 'Ответственный: {name}',
  'row.priority': 'Высокий приоритет',
  'messages.count': { one: '{count} сообщение', few: '{count} сообщения', many: '{count} сообщений', other: '{count} сообщения' },
  'negative.count': {
    one: '{count} негативное сообщение',
    few: '{count} негативных сообщения',
    many: '{count} негативных сообщений',
    other: '{count} негативного сообщения',
  },

  'sla.overdue': 'Просрочено на {d}',
  'sla.left': 'Осталось {d}',
  'sla.title': 'Срок SLA: {time}',
  'dur.d': '{n} д',
  'dur.h': '{n} ч',
  'dur.m': '{n} мин',
  'time.now': 'только что',

  'thread.label': 'Диалог',
  'thread.empty': 'Диалог не выбран',
  'thread.emptyHint': 'Выберите диалог в списке.',
  'thread.loading': 'Загружаем диалог…',
  'thread.via': 'через {account}',
  'thread.started': 'Начат {date}',
  'thread.assignee': 'Ответственный',
  'thread.unassigned': 'Не назначен',
  'thread.actions': 'Действия с диалогом',
  'thread.noMessages': 'В этом диалоге нет сообщений.',
  'action.close': 'Закрыть',
  'action.reopen': 'Открыть снова',
  'action.pending': 'В ожидание',
  'action.assignMe': 'Взять себе',
  'action.unassign': 'Снять назначение',
  'tag.add': 'Добавить метку',
  'tag.placeholder': 'Добавить метку…',
  'tag.remove': 'Убрать метку {tag}',

  'message.comment': 'Публичный комментарий',
  'message.dm': 'Личное сообщение',
  'message.mail': 'Письмо',
  'message.brand': 'Бренд',
  'message.fromCustomer': 'От клиента',
  'message.showText': 'Текст',
  'message.showHtml': 'С оформлением',
  'message.mailFrame': 'Текст письма',
  'message.empty': '(пустое сообщение)',
  'message.matched': 'Совпадение поиска',
  'author.reach': { one: '{count} подписчик', few: '{count} подписчика', many: '{count} подписчиков', other: '{count} подписчика' },
  'flag.invalid-utf8': 'При импорте исправлен некорректный UTF-8',
  'flag.truncated': 'Сообщение обрезано при импорте',
  'flag.no-text': 'В сообщении не было текста',
  'flag.other': 'Исправлено при импорте: {flag}',

  'error.title': 'Ошибка',
  'error.dismiss': 'Закрыть',
  'error.unavailable': 'Сервер Stormdesk недоступен.',
  'error.unknown': 'Что-то пошло не так ({op}).',

  'keys.hint': 'j / k — выбор · Enter — открыть · e — закрыть · / — поиск · Esc — назад',
};

const de: Dict = {
  'app.name': 'Stormdesk',
  'app.loading': 'Wird geladen…',

  'sidebar.label': 'Posteingangsansichten',
  'sidebar.views': 'Ansichten',
  'sidebar.channels': 'Kanäle',
  'sidebar.tags': 'Tags',
  'sidebar.noTags': 'Noch keine Tags',
  'view.all': 'Alle offenen',
  'view.mine': 'Meine',
  'view.unassigned': 'Nicht zugewiesen',
  'view.sla': 'SLA gefährdet',
  'view.negative': 'Negativ',
  'view.pending': 'Wartend',
  'view.closed': 'Geschlossen',

  'channel.mail': 'E-Mail',
  'channel.telegram': 'Telegram',
  'channel.vk': 'VK',
  'channel.mastodon': 'Mastodon',
  'channel.youtube': 'YouTube',
  'channel.import': 'Import',

  'settings.language': 'Sprache',
  'settings.theme': 'Design',
  'theme.system': 'System',
  'theme.light': 'Hell',
  'theme.dark': 'Dunkel',
  'footer.me': 'Angemeldet als {name}',
  'footer.demo': 'Demo',
  'footer.version': 'Version {version}',

  'search.label': 'Nachrichten durchsuchen',
  'search.placeholder': 'Nachrichten durchsuchen',
  'search.clear': 'Suche löschen',
  'search.results': { one: '{count} Treffer für „{text}“', other: '{count} Treffer für „{text}“' },
  'search.resultsMore': { one: '{count}+ Treffer für „{text}“', other: '{count}+ Treffer für „{text}“' },
  'search.none': 'Keine Nachrichten zu „{text}“',
  'search.noneHint': 'Prüfen Sie die Schreibweise oder suchen Sie in allen Kanälen.',
  'search.searching': 'Suche läuft…',
  'search.back': 'Zurück zur Liste',
  'search.inChannel': 'in {channel}',

  'filter.label': 'Filter',
  'filter.status': 'Status',
  'filter.channel': 'Kanal',
  'filter.sentiment': 'Stimmung',
  'filter.order': 'Sortierung',
  'filter.anyStatus': 'Jeder Status',
  'filter.anySentiment': 'Jede Stimmung',
  'filter.allChannels': 'Alle Kanäle',
  'filter.reset': 'Zurücksetzen',
  'status.open': 'Offen',
  'status.pending': 'Wartend',
  'status.closed': 'Geschlossen',
  'sentiment.negative': 'Negativ',
  'sentiment.neutral': 'Neutral',
  'sentiment.positive': 'Positiv',
  'sentiment.unknown': 'Nicht bewertet',
  'sentiment.title': 'Stimmung: {label}',
  'order.sla': 'SLA-Frist',
  'order.newest': 'Neueste zuerst',

  'list.label': 'Unterhaltungen',
  'list.loading': 'Wird geladen…',
  'list.loadingMore': 'Weitere werden geladen…',
  'list.empty': 'Keine Unterhaltungen',
  'list.emptyHint': 'Nichts passt zu dieser Ansicht und diesen Filtern.',
  'list.end': 'Ende der Liste',
  'list.updated': 'Neue Aktivität',
  'list.refresh': 'Aktualisieren',
  'list.count': { one: '{count} Unterhaltung', other: '{count} Unterhaltungen' },
  'list.countMore': { one: '{count}+ Unterhaltung', other: '{count}+ Unterhaltungen' },

  'row.noSubject': '(kein Betreff)',
  'row.assignedTo': 'Zugewiesen an {name}',
  'row.priority': 'Hohe Priorität',
  'messages.count': { one: '{count} Nachricht', other: '{count} Nachrichten' },
  'negative.count': { one: '{count} negative Nachricht', other: '{count} negative Nachrichten' },

  'sla.overdue': '{d} überfällig',
  'sla.left': 'noch {d}',
  'sla.title': 'SLA-Frist: {time}',
  'dur.d': '{n} T.',
  'dur.h': '{n} Std.',
  'dur.m': '{n} Min.',
  'time.now': 'gerade eben',

  'thread.label': 'Unterhaltung',
  'thread.empty': 'Keine Unterhaltung ausgewählt',
  'thread.emptyHint': 'Wählen Sie eine Unterhaltung in der Liste.',
  'thread.loading': 'Unterhaltung wird geladen…',
  'thread.via': 'über {account}',
  'thread.started': 'Begonnen {date}',
  'thread.assignee': 'Zuständig',
  'thread.unassigned': 'Nicht zugewiesen',
  'thread.actions': 'Aktionen für die Unterhaltung',
  'thread.noMessages': 'Diese Unterhaltung enthält keine Nachrichten.',
  'action.close': 'Schließen',
  'action.reopen': 'Wieder öffnen',
  'action.pending': 'Wartend',
  'action.assignMe': 'Mir zuweisen',
  'action.unassign': 'Zuweisung aufheben',
  'tag.add': 'Tag hinzufügen',
  'tag.placeholder': 'Tag hinzufügen…',
  'tag.remove': 'Tag {tag} entfernen',

  'message.comment': 'Öffentlicher Kommentar',
  'message.dm': 'Direktnachricht',
  'message.mail': 'E-Mail',
  'message.brand': 'Marke',
  'message.fromCustomer': 'Vom Kunden',
  'message.showText': 'Nur Text',
  'message.showHtml': 'Formatiert',
  'message.mailFrame': 'E-Mail-Inhalt',
  'message.empty': '(leere Nachricht)',
  'message.matched': 'Suchtreffer',
  'author.reach': { one: '{count} Follower', other: '{count} Follower' },
  'flag.invalid-utf8': 'Ungültiges UTF-8 wurde beim Import repariert',
  'flag.truncated': 'Die Nachricht wurde beim Import gekürzt',
  'flag.no-text': 'Die Nachricht hatte keinen Text',
  'flag.other': 'Beim Import repariert: {flag}',

  'error.title': 'Fehler',
  'error.dismiss': 'Schließen',
  'error.unavailable': 'Das Stormdesk-Backend ist nicht erreichbar.',
  'error.unknown': 'Etwas ist schiefgelaufen ({op}).',

  'keys.hint': 'j / k bewegen · Enter öffnen · e schließen · / suchen · Esc zurück',
};

export const dictionaries: Record<Lang, Dict> = { en, ru, de };

/** detectLang maps a BCP 47 tag such as "ru-RU" to a supported language, English by default. */
export function detectLang(tag: string | undefined | null): Lang {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LANGS as readonly string[]).includes(base) ? (base as Lang) : 'en';
}

const STORAGE_KEY = 'stormdesk.lang';

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  } catch {
    // storage can be unavailable (privacy settings); fall back to the browser language
  }
  return detectLang(globalThis.navigator?.language);
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();
const subscribe = createSubscriber((update) => {
  listeners.add(update);
  return () => listeners.delete(update);
});

/** lang returns the current UI language (reactive inside components and effects). */
export function lang(): Lang {
  subscribe();
  return current;
}

/** setLang switches the UI language, remembers it, and updates <html lang>. */
export function setLang(next: Lang): void {
  if (!LANGS.includes(next) || next === current) return;
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; the switch still applies to this session
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const l of listeners) l();
}

const pluralRules = new Map<Lang, Intl.PluralRules>();
function pluralCategory(l: Lang, n: number): Intl.LDMLPluralRule {
  let r = pluralRules.get(l);
  if (!r) {
    r = new Intl.PluralRules(l);
    pluralRules.set(l, r);
  }
  return r.select(n);
}

export type Params = Record<string, string | number>;

/** translate looks key up in language l, picks a plural form by params.count and fills {placeholders}. */
export function translate(l: Lang, key: Key, params?: Params): string {
  const entry: Entry | undefined = dictionaries[l][key] ?? en[key];
  if (entry === undefined) return key;
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    const n = Number(params?.count ?? 0);
    text = entry[pluralCategory(l, n)] ?? entry.other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === 'number' ? formatNumber(v, l) : v;
  });
}

/** t translates key into the current language. */
export function t(key: Key, params?: Params): string {
  return translate(lang(), key, params);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(l: Lang, opts: Intl.NumberFormatOptions, id: string): Intl.NumberFormat {
  const k = l + id;
  let f = numberFormats.get(k);
  if (!f) {
    f = new Intl.NumberFormat(l, opts);
    numberFormats.set(k, f);
  }
  return f;
}

/** formatNumber formats n with grouping in language l (default: current). */
export function formatNumber(n: number, l: Lang = lang()): string {
  return nf(l, {}, 'n').format(n);
}

/** formatCompact formats audience sizes: 12,300 -> "12K" (en), "12 тыс." (ru). */
export function formatCompact(n: number, l: Lang = lang()): string {
  return nf(l, { notation: 'compact', maximumFractionDigits: 1 }, 'c').format(n);
}

function toDate(iso: string | Date): Date {
  return iso instanceof Date ? iso : new Date(iso);
}

/** formatDateTime formats a full date and time in the current language. */
export function formatDateTime(iso: string | Date, l: Lang = lang()): string {
  const d = toDate(iso);
  if (isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/**
 * formatRelative renders a list timestamp: "just now", "5 min ago", "3 h ago",
 * "yesterday", a weekday within a week, then a short date.
 */
export function formatRelative(iso: string | Date, now: number, l: Lang = lang()): string {
  const d = toDate(iso);
  const ts = d.getTime();
  if (isNaN(ts)) return '';
  const diff = Math.round((now - ts) / 1000);
  const rtf = new Intl.RelativeTimeFormat(l, { numeric: 'auto', style: 'short' });
  if (diff < 45 && diff > -45) return translate(l, 'time.now');
  const abs = Math.abs(diff);
  const sign = diff > 0 ? -1 : 1;
  if (abs < 3600) return rtf.format(sign * Math.max(1, Math.round(abs / 60)), 'minute');
  if (abs < 6 * 3600) return rtf.format(sign * Math.round(abs / 3600), 'hour');
  const today = new Date(now);
  const sameDay = d.toDateString() === today.toDateString();
  if (sameDay) return new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' }).format(d);
  const days = Math.round((startOfDay(today) - startOfDay(d)) / 86400000);
  if (days === 1 || days === -1) return rtf.format(-days, 'day');
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(l, { weekday: 'short' }).format(d);
  const sameYear = d.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(l, sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'short' }).format(d);
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** formatDuration renders a span compactly with at most two units: "2d 3h", "45m". */
export function formatDuration(ms: number, l: Lang = lang()): string {
  const mins = Math.max(0, Math.floor(Math.abs(ms) / 60000));
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(translate(l, 'dur.d', { n: d }));
  if (h > 0 && parts.length < 2) parts.push(translate(l, 'dur.h', { n: h }));
  if (d === 0 && (m > 0 || parts.length === 0)) parts.push(translate(l, 'dur.m', { n: m }));
  return parts.join(' ');
}
