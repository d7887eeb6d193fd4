// Strings of the first screen of an empty workspace: the three ways in.
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const welcomeEn = {
  'welcome.title': 'Welcome to Stormdesk',
  'welcome.intro': 'This workspace has no accounts yet. Choose how to begin:',
  'welcome.connect': 'Connect an account',
  'welcome.connectHint': 'Mail, Telegram, VK, Mastodon, YouTube, Bluesky or Reddit: new messages arrive here and replies go out from here.',
  'welcome.import': 'Import a file',
  'welcome.importHint': 'Bring in past messages from a CSV or JSON-lines export.',
  'welcome.importTerminal': 'Or run this in a terminal, then come back:',
  'welcome.toInbox': 'Done: show the inbox',
  'welcome.copy': 'Copy',
  'welcome.copied': 'Copied',
  'welcome.demo': 'Open the demo',
  'welcome.demoHint': 'Three brands, two weeks of messages in English, Russian and German, and a complaint burst to try crisis mode on. Demo accounts cannot send.',
  'welcome.loading': 'Storing the demo data…',
} satisfies Record<string, Entry>;

export const welcomeRu: Record<keyof typeof welcomeEn, Entry> = {
  'welcome.title': 'Добро пожаловать в Stormdesk',
  'welcome.intro': 'В этом рабочем пространстве пока нет аккаунтов. С чего начнём?',
  'welcome.connect': 'Подключить аккаунт',
  'welcome.connectHint': 'Почта, Telegram, ВКонтакте, Mastodon, YouTube, Bluesky или Reddit: новые сообщения приходят сюда, и отсюда же уходят ответы.',
  'welcome.import': 'Импортировать файл',
  'welcome.importHint': 'Загрузите прошлые сообщения из выгрузки CSV или JSON Lines.',
  'welcome.importTerminal': 'Или выполните в терминале и вернитесь сюда:',
  'welcome.toInbox': 'Готово: показать входящие',
  'welcome.copy': 'Скопировать',
  'welcome.copied': 'Скопировано',
  'welcome.demo': 'Открыть демо',
  'welcome.demoHint': 'Три бренда, две недели сообщений на английском, русском и немецком и всплеск жалоб, на котором можно опробовать кризисный режим. Демо-аккаунты не отправляют ответы.',
  'welcome.loading': 'Сохраняем демо-данные…',
};

export const welcomeDe: Record<keyof typeof welcomeEn, Entry> = {
  'welcome.title': 'Willkommen bei Stormdesk',
  'welcome.intro': 'In diesem Arbeitsbereich gibt es noch keine Konten. Wie möchten Sie beginnen?',
  'welcome.connect': 'Konto verbinden',
  'welcome.connectHint': 'E-Mail, Telegram, VK, Mastodon, YouTube, Bluesky oder Reddit: Neue Nachrichten kommen hier an, Antworten gehen von hier aus.',
  'welcome.import': 'Datei importieren',
  'welcome.importHint': 'Übernehmen Sie frühere Nachrichten aus einem CSV- oder JSON-Lines-Export.',
  'welcome.importTerminal': 'Oder führen Sie dies im Terminal aus und kommen Sie dann zurück:',
  'welcome.toInbox': 'Fertig: Posteingang zeigen',
  'welcome.copy': 'Kopieren',
  'welcome.copied': 'Kopiert',
  'welcome.demo': 'Demo öffnen',
  'welcome.demoHint': 'Drei Marken, zwei Wochen Nachrichten auf Englisch, Russisch und Deutsch und eine Beschwerdewelle, an der Sie den Krisenmodus ausprobieren können. Demo-Konten können nicht senden.',
  'welcome.loading': 'Demo-Daten werden gespeichert…',
};
