// Strings of the permissions a Meta token has and lacks, shown in Settings after a
// passing test connection (lib/tokenPermissions.ts, settings/TokenPermissions.svelte in the account form and list): what
// each permission lets Stormdesk do. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const permissionsEn = {
  'metaPerms.connected': 'Connected: the account’s settings and secrets work.',
  'metaPerms.has': 'The token allows Stormdesk to:',
  'metaPerms.lacks': 'It lacks, so Stormdesk cannot:',
  'metaPerms.lacksNone': 'Nothing this channel needs is missing.',
  'metaPerms.other': 'Not used by Stormdesk',
  'metaPerm.pages_show_list': 'See the Pages the person manages',
  'metaPerm.pages_read_engagement': 'Read the Page’s posts and their activity',
  'metaPerm.pages_read_user_content': 'Read what people post and comment on the Page',
  'metaPerm.pages_manage_engagement': 'Reply to, hide and delete comments on the Page',
  'metaPerm.pages_messaging': 'Read and answer Messenger conversations',
  'metaPerm.instagram_basic': 'See the Instagram account and its posts',
  'metaPerm.instagram_manage_comments': 'Read, reply to, hide and delete Instagram comments',
  'metaPerm.instagram_manage_messages': 'Read and answer Instagram direct messages',
  'metaPerm.whatsapp_business_messaging': 'Send WhatsApp messages and read the phone number',
  'metaPerm.whatsapp_business_management': 'See the WhatsApp Business account and its message templates',
} satisfies Record<string, Entry>;

export const permissionsRu: Record<keyof typeof permissionsEn, Entry> = {
  'metaPerms.connected': 'Подключение работает: параметры и секреты аккаунта верны.',
  'metaPerms.has': 'Токен позволяет Stormdesk:',
  'metaPerms.lacks': 'Не хватает, поэтому Stormdesk не может:',
  'metaPerms.lacksNone': 'Всё, что нужно этому каналу, есть.',
  'metaPerms.other': 'Stormdesk не использует',
  'metaPerm.pages_show_list': 'Видеть страницы, которыми управляет человек',
  'metaPerm.pages_read_engagement': 'Читать публикации страницы и активность под ними',
  'metaPerm.pages_read_user_content': 'Читать, что люди публикуют и комментируют на странице',
  'metaPerm.pages_manage_engagement': 'Отвечать на комментарии на странице, скрывать и удалять их',
  'metaPerm.pages_messaging': 'Читать переписки в Messenger и отвечать в них',
  'metaPerm.instagram_basic': 'Видеть аккаунт Instagram и его публикации',
  'metaPerm.instagram_manage_comments': 'Читать комментарии в Instagram, отвечать на них, скрывать и удалять',
  'metaPerm.instagram_manage_messages': 'Читать личные сообщения Instagram и отвечать на них',
  'metaPerm.whatsapp_business_messaging': 'Отправлять сообщения WhatsApp и видеть номер телефона',
  'metaPerm.whatsapp_business_management': 'Видеть аккаунт WhatsApp Business и его шаблоны сообщений',
};

export const permissionsDe: Record<keyof typeof permissionsEn, Entry> = {
  'metaPerms.connected': 'Verbunden: Die Einstellungen und Zugangsdaten des Kontos funktionieren.',
  'metaPerms.has': 'Das Token erlaubt Stormdesk:',
  'metaPerms.lacks': 'Es fehlt, daher kann Stormdesk nicht:',
  'metaPerms.lacksNone': 'Nichts, was dieser Kanal braucht, fehlt.',
  'metaPerms.other': 'Von Stormdesk nicht genutzt',
  'metaPerm.pages_show_list': 'Die Seiten sehen, die die Person verwaltet',
  'metaPerm.pages_read_engagement': 'Die Beiträge der Seite und ihre Aktivität lesen',
  'metaPerm.pages_read_user_content': 'Lesen, was Menschen auf der Seite posten und kommentieren',
  'metaPerm.pages_manage_engagement': 'Kommentare auf der Seite beantworten, ausblenden und löschen',
  'metaPerm.pages_messaging': 'Messenger-Unterhaltungen lesen und beantworten',
  'metaPerm.instagram_basic': 'Das Instagram-Konto und seine Beiträge sehen',
  'metaPerm.instagram_manage_comments': 'Instagram-Kommentare lesen, beantworten, ausblenden und löschen',
  'metaPerm.instagram_manage_messages': 'Instagram-Direktnachrichten lesen und beantworten',
  'metaPerm.whatsapp_business_messaging': 'WhatsApp-Nachrichten senden und die Telefonnummer lesen',
  'metaPerm.whatsapp_business_management': 'Das WhatsApp-Business-Konto und seine Nachrichtenvorlagen sehen',
};
