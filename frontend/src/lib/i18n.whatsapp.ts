// Strings of the WhatsApp Business channel (Cloud API) and of Meta webhooks: the
// channel's name, setup fields and secrets, its limit notes, and the refusal of the
// single-person app to set it up (backend/apperr needs-team-server). Merged into the
// dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const whatsappEn = {
  'channel.whatsapp': 'WhatsApp',
  'field.phoneNumberId': 'Phone number ID',
  'field.phoneNumberIdHint': 'WhatsApp Manager › Phone numbers: the ID of the number, not the number itself',
  'field.wabaId': 'WhatsApp Business Account ID',
  'secret.whatsapp.access-token': 'System user access token',
  'secret.whatsapp.app-secret': 'App secret (webhook signatures)',
  'secret.whatsapp.verify-token': 'Webhook verify token',
  'secret.facebook.app-secret': 'App secret (webhooks, team server only)',
  'secret.facebook.verify-token': 'Webhook verify token (team server only)',
  'secret.instagram.app-secret': 'App secret (webhooks, team server only)',
  'secret.instagram.verify-token': 'Webhook verify token (team server only)',
  'limits.whatsapp.window': 'Free-form answers are allowed within {hours} hours of the customer’s last message; after that only an approved message template may be sent.',
  'limits.whatsapp.server': 'WhatsApp delivers messages and delivery statuses only to a webhook: they arrive through the team server.',
  'error.code.needs-team-server': 'This channel works only with a team server: it delivers messages to a webhook, which this app on its own cannot receive.',
  'error.next.needs-team-server':
    'Set up a Stormdesk team server (see the team documentation), join it from this app, and add the account there.',
} satisfies Record<string, Entry>;

export const whatsappRu: Record<keyof typeof whatsappEn, Entry> = {
  'channel.whatsapp': 'WhatsApp',
  'field.phoneNumberId': 'ID номера телефона',
  'field.phoneNumberIdHint': 'WhatsApp Manager › Номера телефонов: ID номера, а не сам номер',
  'field.wabaId': 'ID аккаунта WhatsApp Business',
  'secret.whatsapp.access-token': 'Ключ доступа системного пользователя',
  'secret.whatsapp.app-secret': 'Секрет приложения (подписи вебхуков)',
  'secret.whatsapp.verify-token': 'Проверочный токен вебхука',
  'secret.facebook.app-secret': 'Секрет приложения (вебхуки, только командный сервер)',
  'secret.facebook.verify-token': 'Проверочный токен вебхука (только командный сервер)',
  'secret.instagram.app-secret': 'Секрет приложения (вебхуки, только командный сервер)',
  'secret.instagram.verify-token': 'Проверочный токен вебхука (только командный сервер)',
  'limits.whatsapp.window': 'Отвечать свободным текстом можно в течение {hours} часов после последнего сообщения клиента; после этого — только одобренным шаблоном сообщения.',
  'limits.whatsapp.server': 'WhatsApp доставляет сообщения и статусы доставки только на вебхук: они приходят через командный сервер.',
  'error.code.needs-team-server': 'Этот канал работает только с командным сервером: он доставляет сообщения на вебхук, который это приложение само по себе принять не может.',
  'error.next.needs-team-server':
    'Разверните командный сервер Stormdesk (см. документацию о команде), подключитесь к нему из этого приложения и добавьте аккаунт там.',
};

export const whatsappDe: Record<keyof typeof whatsappEn, Entry> = {
  'channel.whatsapp': 'WhatsApp',
  'field.phoneNumberId': 'Telefonnummer-ID',
  'field.phoneNumberIdHint': 'WhatsApp Manager › Telefonnummern: die ID der Nummer, nicht die Nummer selbst',
  'field.wabaId': 'WhatsApp-Business-Konto-ID',
  'secret.whatsapp.access-token': 'Zugriffstoken des Systembenutzers',
  'secret.whatsapp.app-secret': 'App-Geheimnis (Webhook-Signaturen)',
  'secret.whatsapp.verify-token': 'Webhook-Verifizierungstoken',
  'secret.facebook.app-secret': 'App-Geheimnis (Webhooks, nur Team-Server)',
  'secret.facebook.verify-token': 'Webhook-Verifizierungstoken (nur Team-Server)',
  'secret.instagram.app-secret': 'App-Geheimnis (Webhooks, nur Team-Server)',
  'secret.instagram.verify-token': 'Webhook-Verifizierungstoken (nur Team-Server)',
  'limits.whatsapp.window': 'Freie Antworten sind innerhalb von {hours} Stunden nach der letzten Nachricht des Kunden erlaubt; danach nur eine genehmigte Nachrichtenvorlage.',
  'limits.whatsapp.server': 'WhatsApp liefert Nachrichten und Zustellstatus nur an einen Webhook: Sie kommen über den Team-Server.',
  'error.code.needs-team-server': 'Dieser Kanal funktioniert nur mit einem Team-Server: Er liefert Nachrichten an einen Webhook, den diese App allein nicht empfangen kann.',
  'error.next.needs-team-server':
    'Richten Sie einen Stormdesk-Team-Server ein (siehe Team-Dokumentation), treten Sie ihm aus dieser App bei und fügen Sie das Konto dort hinzu.',
};
