// Strings of the Meta channels (Facebook Pages, Instagram): their names, setup fields and
// secrets, platform limit notes, the message-request flag, and the refusal of a reply
// after the messaging window closed. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const metaEn = {
  'channel.facebook': 'Facebook',
  'moderate.unhide': 'Show again',
  'channel.instagram': 'Instagram',
  'field.pageId': 'Page ID',
  'field.pageIdHint': 'The number under Page settings › About › Page transparency; the user token must manage this Page',
  'field.linkedPageId': 'Linked Facebook Page ID',
  'field.linkedPageIdHint': 'The Facebook Page the Instagram professional account is linked to; the user token must manage it',
  'secret.facebook.user-token': 'Long-lived user access token',
  'secret.instagram.user-token': 'Long-lived user access token',
  'limits.meta.window': 'Private answers are allowed within {hours} hours of the customer’s last message, and with the human agent tag up to {days} days; after that the customer must write first.',
  'limits.meta.hide': 'A hidden comment stays visible to its author (and on Facebook their friends); they are not told. Hidden comments can be shown again.',
  'limits.meta.rate': 'Meta limits calls per app and per Page over a rolling hour; Stormdesk slows down as the usage approaches the limit.',
  'limits.instagram.requests': 'Messages from people who do not follow the account arrive as message requests; answering one accepts it.',
  'limits.instagram.topLevel': 'Replies go to the top-level comment: Instagram does not nest replies deeper.',
  'flag.message-request': 'Message request: the sender does not follow the account; answering accepts the request',
  'error.rule.messaging-window': 'The customer last wrote too long ago for this channel: the platform allows no private answer since {closedAt}.',
  'error.ruleNext.messaging-window': 'Answer publicly if there is a comment, or wait until the customer writes again.',
} satisfies Record<string, Entry>;

export const metaRu: Record<keyof typeof metaEn, Entry> = {
  'channel.facebook': 'Facebook',
  'moderate.unhide': 'Показать снова',
  'channel.instagram': 'Instagram',
  'field.pageId': 'ID страницы',
  'field.pageIdHint': 'Число в настройках страницы › Информация › Прозрачность страницы; ключ пользователя должен управлять этой страницей',
  'field.linkedPageId': 'ID связанной страницы Facebook',
  'field.linkedPageIdHint': 'Страница Facebook, с которой связан профессиональный аккаунт Instagram; ключ пользователя должен управлять ею',
  'secret.facebook.user-token': 'Долгосрочный ключ доступа пользователя',
  'secret.instagram.user-token': 'Долгосрочный ключ доступа пользователя',
  'limits.meta.window': 'Отвечать в личных сообщениях можно в течение {hours} часов после последнего сообщения клиента, а с меткой «живой оператор» — до {days} дней; после этого клиент должен написать первым.',
  'limits.meta.hide': 'Скрытый комментарий по-прежнему видят автор (а в Facebook — и его друзья); автору об этом не сообщается. Скрытые комментарии можно показать снова.',
  'limits.meta.rate': 'Meta ограничивает число запросов от приложения и к странице за скользящий час; Stormdesk замедляется, когда расход приближается к пределу.',
  'limits.instagram.requests': 'Сообщения от тех, кто не подписан на аккаунт, приходят как запросы на переписку; ответ принимает запрос.',
  'limits.instagram.topLevel': 'Ответ уходит к комментарию верхнего уровня: Instagram не вкладывает ответы глубже.',
  'flag.message-request': 'Запрос на переписку: отправитель не подписан на аккаунт; ответ принимает запрос',
  'error.rule.messaging-window': 'Клиент писал слишком давно для этого канала: с {closedAt} платформа не разрешает отвечать в личных сообщениях.',
  'error.ruleNext.messaging-window': 'Ответьте публично, если есть комментарий, или дождитесь нового сообщения клиента.',
};

export const metaDe: Record<keyof typeof metaEn, Entry> = {
  'channel.facebook': 'Facebook',
  'moderate.unhide': 'Wieder einblenden',
  'channel.instagram': 'Instagram',
  'field.pageId': 'Seiten-ID',
  'field.pageIdHint': 'Die Zahl unter Seiteneinstellungen › Info › Seitentransparenz; das Benutzer-Token muss diese Seite verwalten',
  'field.linkedPageId': 'ID der verknüpften Facebook-Seite',
  'field.linkedPageIdHint': 'Die Facebook-Seite, mit der das professionelle Instagram-Konto verknüpft ist; das Benutzer-Token muss sie verwalten',
  'secret.facebook.user-token': 'Langfristiges Benutzer-Zugriffstoken',
  'secret.instagram.user-token': 'Langfristiges Benutzer-Zugriffstoken',
  'limits.meta.window': 'Private Antworten sind bis {hours} Stunden nach der letzten Nachricht des Kunden erlaubt, mit der Kennzeichnung „menschlicher Mitarbeiter“ bis {days} Tage; danach muss der Kunde zuerst schreiben.',
  'limits.meta.hide': 'Ein verborgener Kommentar bleibt für seinen Verfasser (und auf Facebook dessen Freunde) sichtbar; er wird nicht benachrichtigt. Verborgene Kommentare lassen sich wieder einblenden.',
  'limits.meta.rate': 'Meta begrenzt die Aufrufe pro App und pro Seite über eine gleitende Stunde; Stormdesk wird langsamer, wenn sich die Nutzung der Grenze nähert.',
  'limits.instagram.requests': 'Nachrichten von Personen, die dem Konto nicht folgen, kommen als Nachrichtenanfragen an; eine Antwort nimmt die Anfrage an.',
  'limits.instagram.topLevel': 'Antworten gehen an den Kommentar der obersten Ebene: Instagram verschachtelt Antworten nicht tiefer.',
  'flag.message-request': 'Nachrichtenanfrage: Der Absender folgt dem Konto nicht; eine Antwort nimmt die Anfrage an',
  'error.rule.messaging-window': 'Der Kunde hat für diesen Kanal zu lange nicht geschrieben: Seit {closedAt} erlaubt die Plattform keine private Antwort.',
  'error.ruleNext.messaging-window': 'Antworten Sie öffentlich, wenn es einen Kommentar gibt, oder warten Sie, bis der Kunde wieder schreibt.',
};
