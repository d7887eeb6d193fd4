// Platform limits shown beside an account and in its form: one text per note code the
// connectors send (limitCodes.json, kept current by a Go test; limits.test.ts checks
// every code has a text in every language). Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const limitsEn = {
  'limits.mail.sentFrom': 'Replies are sent from {from} and a copy is kept in Sent.',
  'limits.mastodon.noHide': "Mastodon cannot hide other people's replies: block or mute the account, or report it to its server's moderators.",
  'limits.mastodon.deleteOwn': 'Only your own posts can be deleted (30 deletions per 30 minutes).',
  'limits.mastodon.mention': "Replies start with the author's @handle so they are notified; a reply to a direct message stays direct.",
  'limits.mastodon.rate': 'Servers allow about 300 requests per 5 minutes per account.',
  'limits.telegram.backlog': 'Telegram keeps undelivered updates for at most 24 hours: if Stormdesk is off longer, messages are lost and cannot be fetched later.',
  'limits.telegram.privacy': 'A bot sees only chats it was added to; in groups it needs privacy mode off or admin rights to see every message.',
  'limits.telegram.noHide': "Bots cannot hide messages, only delete them: their own anywhere, others' in private chats, and in groups only as an admin with delete rights.",
  'limits.vk.rate': 'VK allows 20 requests per second with a community token and 3 with a user token.',
  'limits.vk.noHide': 'Wall comments can be deleted but not hidden; community messages cannot be deleted from Stormdesk.',
  'limits.vk.adminToken': "Replying to and deleting wall comments needs a community admin's user token.",
  'limits.youtube.quota': 'Each reply and each hide or delete costs 50 of the 10,000 daily quota units (about 200 actions a day); quota resets at midnight Pacific time.',
  'limits.youtube.hideDelete': 'Hiding holds the comment for review; deleting rejects it. Neither tells the author.',
  'limits.youtube.oldThreads': 'Replies to old threads show up only when their thread is among the newest.',
} satisfies Record<string, Entry>;

export const limitsRu: Record<keyof typeof limitsEn, Entry> = {
  'limits.mail.sentFrom': 'Ответы уходят с адреса {from}, копия сохраняется в «Отправленных».',
  'limits.mastodon.noHide': 'Mastodon не умеет скрывать чужие ответы: заблокируйте или заглушите аккаунт либо пожалуйтесь модераторам его сервера.',
  'limits.mastodon.deleteOwn': 'Удалять можно только свои публикации (не больше 30 за 30 минут).',
  'limits.mastodon.mention': 'Ответ начинается с @имени автора, чтобы он получил уведомление; ответ на личное сообщение остаётся личным.',
  'limits.mastodon.rate': 'Серверы принимают около 300 запросов за 5 минут от одного аккаунта.',
  'limits.telegram.backlog': 'Telegram хранит недоставленные обновления не дольше 24 часов: если Stormdesk выключен дольше, сообщения теряются и загрузить их позже нельзя.',
  'limits.telegram.privacy': 'Бот видит только чаты, в которые его добавили; в группах, чтобы видеть все сообщения, ему нужен выключенный режим приватности или права администратора.',
  'limits.telegram.noHide': 'Бот не может скрывать сообщения, только удалять: свои — везде, чужие — в личных чатах, а в группах — только как администратор с правом удаления.',
  'limits.vk.rate': 'ВКонтакте допускает 20 запросов в секунду с ключом сообщества и 3 — с ключом пользователя.',
  'limits.vk.noHide': 'Комментарии на стене можно удалить, но не скрыть; сообщения сообщества из Stormdesk удалить нельзя.',
  'limits.vk.adminToken': 'Чтобы отвечать на комментарии на стене и удалять их, нужен пользовательский ключ администратора сообщества.',
  'limits.youtube.quota': 'Каждый ответ, скрытие или удаление стоит 50 из 10 000 единиц дневной квоты (около 200 действий в день); квота обновляется в полночь по тихоокеанскому времени.',
  'limits.youtube.hideDelete': 'Скрытый комментарий уходит на проверку, удалённый — отклоняется. Автор не узнаёт ни о том, ни о другом.',
  'limits.youtube.oldThreads': 'Ответы в старых ветках видны, только пока ветка среди самых новых.',
};

export const limitsDe: Record<keyof typeof limitsEn, Entry> = {
  'limits.mail.sentFrom': 'Antworten gehen von {from} aus; eine Kopie bleibt unter „Gesendet“.',
  'limits.mastodon.noHide': 'Mastodon kann Antworten anderer nicht ausblenden: Konto blockieren oder stummschalten oder den Moderatoren seines Servers melden.',
  'limits.mastodon.deleteOwn': 'Nur eigene Beiträge lassen sich löschen (30 Löschungen pro 30 Minuten).',
  'limits.mastodon.mention': 'Antworten beginnen mit dem @Namen der Person, damit sie benachrichtigt wird; eine Antwort auf eine Direktnachricht bleibt direkt.',
  'limits.mastodon.rate': 'Server erlauben etwa 300 Anfragen pro 5 Minuten und Konto.',
  'limits.telegram.backlog': 'Telegram hält nicht zugestellte Updates höchstens 24 Stunden: Ist Stormdesk länger aus, gehen Nachrichten verloren und lassen sich nicht nachladen.',
  'limits.telegram.privacy': 'Ein Bot sieht nur Chats, in die er aufgenommen wurde; in Gruppen braucht er einen ausgeschalteten Privatsphäre-Modus oder Adminrechte, um alle Nachrichten zu sehen.',
  'limits.telegram.noHide': 'Bots können Nachrichten nicht ausblenden, nur löschen: eigene überall, fremde in privaten Chats und in Gruppen nur als Admin mit Löschrecht.',
  'limits.vk.rate': 'VK erlaubt 20 Anfragen pro Sekunde mit einem Community-Token und 3 mit einem Nutzer-Token.',
  'limits.vk.noHide': 'Pinnwand-Kommentare lassen sich löschen, aber nicht ausblenden; Community-Nachrichten kann Stormdesk nicht löschen.',
  'limits.vk.adminToken': 'Zum Antworten auf und Löschen von Pinnwand-Kommentaren braucht es das Nutzer-Token eines Community-Admins.',
  'limits.youtube.quota': 'Jede Antwort und jedes Ausblenden oder Löschen kostet 50 der 10.000 täglichen Kontingent-Einheiten (etwa 200 Aktionen am Tag); das Kontingent wird um Mitternacht pazifischer Zeit zurückgesetzt.',
  'limits.youtube.hideDelete': 'Ausblenden hält den Kommentar zur Prüfung zurück, Löschen lehnt ihn ab. Die Person erfährt von beidem nichts.',
  'limits.youtube.oldThreads': 'Antworten in alten Threads erscheinen nur, solange der Thread zu den neuesten gehört.',
};
