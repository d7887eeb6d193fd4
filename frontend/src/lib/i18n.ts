// The one i18n layer: dictionaries for every UI string in English, Russian and German,
// t(key, params) with plural forms chosen by Intl.PluralRules, and Intl-based formatting
// of dates and numbers in the current locale. Reading the language inside a component
// (through t or any formatter) makes that component follow a language switch.
import { createSubscriber } from 'svelte/reactivity';
import { composeDe, composeEn, composeRu } from './i18n.compose';
import { slaDe, slaEn, slaRu } from './i18n.sla';
import { inboxDe, inboxEn, inboxRu } from './i18n.inbox';
import { crisisDe, crisisEn, crisisRu } from './i18n.crisis';
import { crisisKindsDe, crisisKindsEn, crisisKindsRu } from './i18n.crisisKinds';
import { approvalDe, approvalEn, approvalRu } from './i18n.approval';
import { reviewDe, reviewEn, reviewRu } from './i18n.review';
import { libraryDe, libraryEn, libraryRu } from './i18n.library';
import { analyticsDe, analyticsEn, analyticsRu } from './i18n.analytics';
import { authorDe, authorEn, authorRu } from './i18n.author';
import { classifyDe, classifyEn, classifyRu } from './i18n.classify';
import { sentimentModelDe, sentimentModelEn, sentimentModelRu } from './i18n.sentimentModel';
import { errorsDe, errorsEn, errorsRu } from './i18n.errors';
import { limitsDe, limitsEn, limitsRu } from './i18n.limits';
import { metaDe, metaEn, metaRu } from './i18n.meta';
import { welcomeDe, welcomeEn, welcomeRu } from './i18n.welcome';
import { teamDe, teamEn, teamRu } from './i18n.team';
import { searchDe, searchEn, searchRu } from './i18n.search';
import { accountsDe, accountsEn, accountsRu } from './i18n.accounts';
import { a11yDe, a11yEn, a11yRu } from './i18n.a11y';
import { chartsDe, chartsEn, chartsRu } from './i18n.charts';
import { importerDe, importerEn, importerRu } from './i18n.importer';
import { triageDe, triageEn, triageRu } from './i18n.triage';
import { notesDe, notesEn, notesRu } from './i18n.notes';
import { presenceDe, presenceEn, presenceRu } from './i18n.presence';
import { joinDe, joinEn, joinRu } from './i18n.join';
import { offlineDe, offlineEn, offlineRu } from './i18n.offline';
import { loopsDe, loopsEn, loopsRu } from './i18n.loops';
import { datesDe, datesEn, datesRu } from './i18n.dates';
import { listeningFeedDe, listeningFeedEn, listeningFeedRu } from './i18n.listeningFeed';
import { whatsappDe, whatsappEn, whatsappRu } from './i18n.whatsapp';
import { deliveryDe, deliveryEn, deliveryRu } from './i18n.delivery';
import { templatesDe, templatesEn, templatesRu } from './i18n.templates';
import { permissionsDe, permissionsEn, permissionsRu } from './i18n.permissions';
import { mediaDe, mediaEn, mediaRu } from './i18n.media';
import { listeningAnalyticsDe, listeningAnalyticsEn, listeningAnalyticsRu } from './i18n.listeningAnalytics';
import { listeningQueryDe, listeningQueryEn, listeningQueryRu } from './i18n.listeningQuery';
import { listeningDe, listeningEn, listeningRu } from './i18n.listening';
import { listeningForwardDe, listeningForwardEn, listeningForwardRu } from './i18n.listeningForward';
import { listeningSourcesDe, listeningSourcesEn, listeningSourcesRu } from './i18n.listeningSources';
import { listeningSpikesDe, listeningSpikesEn, listeningSpikesRu } from './i18n.listeningSpikes';

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
  'channel.bluesky': 'Bluesky',
  'channel.reddit': 'Reddit',
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
  'row.vip': 'VIP: answered first',
  'row.banned': 'Banned',
  'row.bannedHint': 'Banned on Stormdesk’s moderation record (nothing is enforced on the platform)',
  'row.blocked': 'Blocked',
  'row.blockedUntil': 'Blocked until {time} on Stormdesk’s moderation record',
  'row.influencer': 'Influencer: {reach} followers',
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
  'flag.suspicious-date': 'The sender’s own date could not be trusted; the message is sorted by when it arrived',
  'message.dateUnsure': 'date?',
  'message.claimedDate': 'The sender dated it {date}',
  'message.noClaimedDate': 'The sender gave no usable date',
  'row.dateUnsure': 'Some times of this conversation were out of range and are shown approximately',

  'error.title': 'Error',
  'error.dismiss': 'Dismiss',
  'error.unavailable': 'The Stormdesk backend is not available.',
  'error.unknown': 'Something went wrong ({op}).',

  'keys.hint': 'j / k move · Enter open · e close · / search · Esc back',

  'nav.label': 'Screens',
  'nav.inbox': 'Inbox',
  'nav.crisis': 'Crisis',
  'nav.settings': 'Settings',
  'nav.alerts': { one: '{count} new alert', other: '{count} new alerts' },
  'about.open': 'About Stormdesk',
  'about.title': 'About Stormdesk',
  'about.version': 'Version',
  'about.commit': 'Commit',
  'about.date': 'Build date',
  'about.db': 'Database',
  'about.unknown': 'unknown',
  'about.close': 'Close',
  'keys.title': 'Keyboard shortcuts',
  'keys.open': 'Keyboard shortcuts',
  'keys.sectionNav': 'Navigation',
  'keys.sectionList': 'Conversations',
  'keys.goInbox': 'Go to Inbox',
  'keys.goCrisis': 'Go to Crisis',
  'keys.goSettings': 'Go to Settings',
  'keys.move': 'Next / previous conversation',
  'keys.openConv': 'Open conversation',
  'keys.close': 'Close conversation',
  'keys.assign': 'Assign to me',
  'keys.reply': 'Reply',
  'keys.search': 'Search',
  'keys.help': 'Show this sheet',
  'keys.escape': 'Close a dialog, leave search',
  'keys.then': 'then',
  'settings.title': 'Settings',
  'settings.accounts': 'Accounts',
  'settings.addAccount': 'Add account',
  'settings.noAccounts': 'No accounts yet. Add one to start syncing.',
  'settings.lastSync': 'Last sync {time}',
  'settings.neverSynced': 'Never synced',
  'settings.fetched': { one: '{count} item fetched', other: '{count} items fetched' },
  'settings.lastError': 'Last error: {error}',
  'settings.syncNow': 'Sync now',
  'settings.test': 'Test connection',
  'settings.testing': 'Testing…',
  'settings.edit': 'Edit',
  'settings.progress': '{account}: {count} fetched',
  'settings.progressOf': '{account}: {count} of {total} fetched',
  'settings.progressDone': '{account}: sync finished, {count} new',
  'settings.retryIn': 'retry in {d}',
  'settings.limits': 'Platform limits',
  'settings.maxText': { one: 'Replies up to {count} character', other: 'Replies up to {count} characters' },
  'settings.deleteWindow': 'Messages can be deleted within {d}',
  'settings.appearance': 'Appearance',
  'settings.liveSync': 'Sync activity',
  'form.newTitle': 'New account',
  'form.editTitle': 'Edit {name}',
  'form.channel': 'Channel',
  'form.name': 'Account name',
  'form.nameHint': 'A unique name, e.g. acme-support-mail',
  'form.brand': 'Brand',
  'form.handle': 'Handle or address',
  'form.settings': 'Connection',
  'form.secrets': 'Secrets',
  'form.secretPlaceholder': 'stored in the OS keyring — leave empty to keep',
  'form.secretNewPlaceholder': 'stored in the OS keyring',
  'form.optional': 'optional',
  'form.save': 'Save',
  'form.saving': 'Saving…',
  'form.cancel': 'Cancel',
  'form.saved': 'Saved {name}',
  'form.required': 'Required',
  'form.port': 'A port from 1 to 65535',
  'form.integer': 'A positive whole number',
  'form.url': 'An http(s) address',
  'form.email': 'An e-mail address',
  'form.choice': 'Choose one of the options',
  'form.noSpaces': 'No spaces',
  'form.invalid': 'Fix the highlighted fields.',
  'form.default': 'Default',
  'form.serverChanged': 'The server changed: saving removes the stored secrets, so enter them again.',
  'form.secretAgain': 'Enter it again for the new server',
  'form.secretAgainPlaceholder': 'required: the stored one is removed with the old server',
  'field.imapHost': 'IMAP server',
  'field.imapPort': 'IMAP port',
  'field.imapTls': 'IMAP security',
  'field.username': 'Username',
  'field.from': 'From address',
  'field.smtpHost': 'SMTP server',
  'field.smtpPort': 'SMTP port',
  'field.smtpTls': 'SMTP security',
  'field.smtpUsername': 'SMTP username',
  'field.smtpUsernameHint': 'Empty: the IMAP username',
  'field.folders': 'Folders',
  'field.foldersHint': 'Comma-separated; empty: every folder',
  'field.includeSpecial': 'Include Sent, Drafts and Trash',
  'field.allowRemoteImages': 'Load remote images in mail',
  'field.baseUrl': 'Bot API address',
  'field.baseUrlHint': 'Empty: api.telegram.org',
  'field.instanceUrl': 'Instance address',
  'field.replyVisibility': 'Reply visibility',
  'field.groupId': 'Community ID',
  'field.channelId': 'Channel ID',
  'field.blueskyHandle': 'Handle or e-mail',
  'field.pdsUrl': 'PDS address',
  'field.pdsUrlHint': 'Empty: bsky.social (accounts hosted by Bluesky)',
  'field.redditUsername': 'Reddit username',
  'field.clientId': 'App client ID',
  'field.clientIdHint': 'From a "script" app under reddit.com/prefs/apps, made by this account',
  'field.userAgent': 'User-Agent',
  'field.userAgentHint': 'Unique, naming the app and its owner; Reddit blocks generic ones',
  'field.markRead': 'Mark fetched messages read on Reddit',
  'opt.imaps': 'IMAPS (TLS)',
  'opt.starttls': 'STARTTLS',
  'opt.plain': 'Unencrypted (loopback only)',
  'opt.tls': 'TLS',
  'opt.public': 'Public',
  'opt.unlisted': 'Unlisted',
  'secret.mail.password': 'IMAP password',
  'secret.mail.smtp-password': 'SMTP password (if different)',
  'secret.telegram.token': 'Bot token from @BotFather',
  'secret.mastodon.token': 'Access token (read, write)',
  'secret.vk.token': 'Community access token',
  'secret.vk.user-token': 'Admin user token (wall comments)',
  'secret.youtube.api-key': 'API key',
  'secret.youtube.oauth-token': 'OAuth access token (replies, moderation)',
  'secret.bluesky.app-password': 'App password',
  'secret.reddit.client-secret': 'App secret',
  'secret.reddit.password': 'Account password',
  'crisis.title': 'Crisis monitor',
  'crisis.subtitle': 'Negative messages per 15 minutes against each stream’s own baseline',
  'crisis.streams': 'Streams',
  'crisis.noStreams': 'No streams yet: monitoring starts with the first stored messages.',
  'crisis.status.learning': 'Learning',
  'crisis.status.normal': 'Normal',
  'crisis.status.alert': 'Alert',
  'crisis.status.cooldown': 'Cool-down',
  'crisis.thisBin': 'This bin',
  'crisis.baseline': 'Baseline',
  'crisis.threshold': 'Alerts at',
  'crisis.volume': 'Volume',
  'crisis.learningUntil': 'Learning until {time}',
  'crisis.cooldownUntil': 'Cool-down until {time}',
  'crisis.lastAlert': 'Last alert {time}',
  'crisis.alerts': 'Alerts',
  'crisis.noAlerts': 'No alerts. Bursts of negative messages above the baseline appear here.',
  'crisis.escalation': 'Escalation',
  'crisis.alertSummary': '{observed} negative in {window} · baseline {baseline}',
  'crisis.detected': 'Detected {time}',
  'crisis.back': 'All alerts',
  'crisis.why': 'Why this alert',
  'crisis.explain': 'In the {window} from {start}, {observed} negative messages arrived where {baseline} were expected ({ratio} × the baseline). Under the baseline that has probability p = {p}.',
  'crisis.windowVolume': 'All messages in the window: {count}',
  'crisis.chart': 'Negative messages per 15 minutes',
  'crisis.legendNegative': 'Negative',
  'crisis.legendBaseline': 'Baseline',
  'crisis.legendBand': 'Normal range',
  'crisis.legendWindow': 'Alert window',
  'crisis.terms': 'Top terms',
  'crisis.phrases': 'Top phrases',
  'crisis.samples': 'Sample messages',
  'crisis.authors': 'Influential authors',
  'crisis.groups': 'Near-duplicate complaints',
  'crisis.groupsNone': 'No near-duplicates among the samples.',
  'crisis.toast': 'Crisis alert: {account} ({channel})',
  'crisis.view': 'View',
  'crisis.observedShort': 'Observed',
  'crisis.pValue': 'p-value',
  ...composeEn,
  ...slaEn,
  ...inboxEn,
  ...crisisEn,
  ...crisisKindsEn,
  ...approvalEn,
  ...reviewEn,
  ...libraryEn,
  ...analyticsEn,
  ...authorEn,
  ...classifyEn,
  ...sentimentModelEn,
  ...limitsEn,
  ...metaEn,
  ...welcomeEn,
  ...errorsEn,
  ...searchEn,
  ...accountsEn,
  ...a11yEn,
  ...chartsEn,
  ...importerEn,
  ...triageEn,
  ...notesEn,
  ...teamEn,
  ...presenceEn,
  ...joinEn,
  ...offlineEn,
  ...loopsEn,
  ...datesEn,
  ...listeningFeedEn,
  ...whatsappEn,
  ...deliveryEn,
  ...templatesEn,
  ...permissionsEn,
  ...mediaEn,
  ...listeningAnalyticsEn,
  ...listeningQueryEn,
  ...listeningEn,
  ...listeningForwardEn,
  ...listeningSourcesEn,
  ...listeningSpikesEn,
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
  'channel.bluesky': 'Bluesky',
  'channel.reddit': 'Reddit',
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
  'row.vip': 'VIP: отвечаем в первую очередь',
  'row.banned': 'Забанен',
  'row.bannedHint': 'Бан в журнале модерации Stormdesk (на платформе ничего не применяется)',
  'row.blocked': 'Блок',
  'row.blockedUntil': 'Заблокирован до {time} в журнале модерации Stormdesk',
  'row.influencer': 'Инфлюенсер: {reach} подписчиков',
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
  'flag.suspicious-date': 'Дате отправителя нельзя доверять; сообщение упорядочено по времени получения',
  'message.dateUnsure': 'дата?',
  'message.claimedDate': 'Отправитель указал дату {date}',
  'message.noClaimedDate': 'Отправитель не указал пригодной даты',
  'row.dateUnsure': 'Некоторые времена этого разговора были вне допустимого диапазона и показаны приблизительно',

  'error.title': 'Ошибка',
  'error.dismiss': 'Закрыть',
  'error.unavailable': 'Сервер Stormdesk недоступен.',
  'error.unknown': 'Что-то пошло не так ({op}).',

  'keys.hint': 'j / k — выбор · Enter — открыть · e — закрыть · / — поиск · Esc — назад',

  'nav.label': 'Разделы',
  'nav.inbox': 'Входящие',
  'nav.crisis': 'Кризисы',
  'nav.settings': 'Настройки',
  'nav.alerts': { one: '{count} новая тревога', few: '{count} новые тревоги', many: '{count} новых тревог', other: '{count} новой тревоги' },
  'about.open': 'О Stormdesk',
  'about.title': 'О программе Stormdesk',
  'about.version': 'Версия',
  'about.commit': 'Коммит',
  'about.date': 'Дата сборки',
  'about.db': 'База данных',
  'about.unknown': 'неизвестно',
  'about.close': 'Закрыть',
  'keys.title': 'Горячие клавиши',
  'keys.open': 'Горячие клавиши',
  'keys.sectionNav': 'Навигация',
  'keys.sectionList': 'Диалоги',
  'keys.goInbox': 'Перейти во «Входящие»',
  'keys.goCrisis': 'Перейти в «Кризисы»',
  'keys.goSettings': 'Перейти в «Настройки»',
  'keys.move': 'Следующий / предыдущий диалог',
  'keys.openConv': 'Открыть диалог',
  'keys.close': 'Закрыть диалог',
  'keys.assign': 'Назначить на себя',
  'keys.reply': 'Ответить',
  'keys.search': 'Поиск',
  'keys.help': 'Показать эту подсказку',
  'keys.escape': 'Закрыть окно, выйти из поиска',
  'keys.then': 'затем',
  'settings.title': 'Настройки',
  'settings.accounts': 'Аккаунты',
  'settings.addAccount': 'Добавить аккаунт',
  'settings.noAccounts': 'Аккаунтов пока нет. Добавьте аккаунт, чтобы начать синхронизацию.',
  'settings.lastSync': 'Синхронизация {time}',
  'settings.neverSynced': 'Ещё не синхронизирован',
  'settings.fetched': { one: 'получен {count} элемент', few: 'получено {count} элемента', many: 'получено {count} элементов', other: 'получено {count} элемента' },
  'settings.lastError': 'Последняя ошибка: {error}',
  'settings.syncNow': 'Синхронизировать',
  'settings.test': 'Проверить подключение',
  'settings.testing': 'Проверка…',
  'settings.edit': 'Изменить',
  'settings.progress': '{account}: получено {count}',
  'settings.progressOf': '{account}: получено {count} из {total}',
  'settings.progressDone': '{account}: синхронизация завершена, новых {count}',
  'settings.retryIn': 'повтор через {d}',
  'settings.limits': 'Ограничения платформы',
  'settings.maxText': { one: 'Ответ до {count} символа', few: 'Ответ до {count} символов', many: 'Ответ до {count} символов', other: 'Ответ до {count} символа' },
  'settings.deleteWindow': 'Сообщения можно удалить в течение {d}',
  'settings.appearance': 'Оформление',
  'settings.liveSync': 'Синхронизация',
  'form.newTitle': 'Новый аккаунт',
  'form.editTitle': 'Изменить {name}',
  'form.channel': 'Канал',
  'form.name': 'Имя аккаунта',
  'form.nameHint': 'Уникальное имя, например acme-support-mail',
  'form.brand': 'Бренд',
  'form.handle': 'Адрес или ник',
  'form.settings': 'Подключение',
  'form.secrets': 'Секреты',
  'form.secretPlaceholder': 'хранится в связке ключей ОС — оставьте пустым, чтобы не менять',
  'form.secretNewPlaceholder': 'хранится в связке ключей ОС',
  'form.optional': 'необязательно',
  'form.save': 'Сохранить',
  'form.saving': 'Сохранение…',
  'form.cancel': 'Отмена',
  'form.saved': 'Сохранено: {name}',
  'form.required': 'Обязательное поле',
  'form.port': 'Порт от 1 до 65535',
  'form.integer': 'Целое положительное число',
  'form.url': 'Адрес http(s)',
  'form.email': 'Адрес электронной почты',
  'form.choice': 'Выберите один из вариантов',
  'form.noSpaces': 'Без пробелов',
  'form.invalid': 'Исправьте выделенные поля.',
  'form.default': 'По умолчанию',
  'form.serverChanged': 'Сервер изменён: при сохранении сохранённые секреты удаляются, введите их заново.',
  'form.secretAgain': 'Введите заново для нового сервера',
  'form.secretAgainPlaceholder': 'обязательно: сохранённый удаляется вместе со старым сервером',
  'field.imapHost': 'Сервер IMAP',
  'field.imapPort': 'Порт IMAP',
  'field.imapTls': 'Защита IMAP',
  'field.username': 'Имя пользователя',
  'field.from': 'Адрес отправителя',
  'field.smtpHost': 'Сервер SMTP',
  'field.smtpPort': 'Порт SMTP',
  'field.smtpTls': 'Защита SMTP',
  'field.smtpUsername': 'Пользователь SMTP',
  'field.smtpUsernameHint': 'Пусто: как для IMAP',
  'field.folders': 'Папки',
  'field.foldersHint': 'Через запятую; пусто: все папки',
  'field.includeSpecial': 'Включая «Отправленные», «Черновики» и «Корзину»',
  'field.allowRemoteImages': 'Загружать внешние изображения в письмах',
  'field.baseUrl': 'Адрес Bot API',
  'field.baseUrlHint': 'Пусто: api.telegram.org',
  'field.instanceUrl': 'Адрес сервера',
  'field.replyVisibility': 'Видимость ответов',
  'field.groupId': 'ID сообщества',
  'field.channelId': 'ID канала',
  'field.blueskyHandle': 'Имя или e-mail',
  'field.pdsUrl': 'Адрес PDS',
  'field.pdsUrlHint': 'Пусто: bsky.social (аккаунты на серверах Bluesky)',
  'field.redditUsername': 'Имя пользователя Reddit',
  'field.clientId': 'ID клиента приложения',
  'field.clientIdHint': 'Из приложения типа «script» на reddit.com/prefs/apps, созданного этим аккаунтом',
  'field.userAgent': 'User-Agent',
  'field.userAgentHint': 'Уникальный, с названием приложения и владельца; общие Reddit блокирует',
  'field.markRead': 'Отмечать полученные сообщения прочитанными на Reddit',
  'opt.imaps': 'IMAPS (TLS)',
  'opt.starttls': 'STARTTLS',
  'opt.plain': 'Без шифрования (только localhost)',
  'opt.tls': 'TLS',
  'opt.public': 'Публичные',
  'opt.unlisted': 'Скрытые из лент',
  'secret.mail.password': 'Пароль IMAP',
  'secret.mail.smtp-password': 'Пароль SMTP (если другой)',
  'secret.telegram.token': 'Токен бота от @BotFather',
  'secret.mastodon.token': 'Токен доступа (чтение, запись)',
  'secret.vk.token': 'Ключ доступа сообщества',
  'secret.vk.user-token': 'Токен администратора (комментарии на стене)',
  'secret.youtube.api-key': 'Ключ API',
  'secret.youtube.oauth-token': 'OAuth-токен (ответы, модерация)',
  'secret.bluesky.app-password': 'Пароль приложения',
  'secret.reddit.client-secret': 'Секрет приложения',
  'secret.reddit.password': 'Пароль аккаунта',
  'crisis.title': 'Кризис-монитор',
  'crisis.subtitle': 'Негативные сообщения за 15 минут относительно собственной нормы каждого потока',
  'crisis.streams': 'Потоки',
  'crisis.noStreams': 'Потоков пока нет: мониторинг начнётся с первых сохранённых сообщений.',
  'crisis.status.learning': 'Обучение',
  'crisis.status.normal': 'Норма',
  'crisis.status.alert': 'Тревога',
  'crisis.status.cooldown': 'Затишье',
  'crisis.thisBin': 'Текущий интервал',
  'crisis.baseline': 'Норма',
  'crisis.threshold': 'Порог',
  'crisis.volume': 'Всего',
  'crisis.learningUntil': 'Обучение до {time}',
  'crisis.cooldownUntil': 'Затишье до {time}',
  'crisis.lastAlert': 'Последняя тревога {time}',
  'crisis.alerts': 'Тревоги',
  'crisis.noAlerts': 'Тревог нет. Здесь появятся всплески негатива выше нормы.',
  'crisis.escalation': 'Эскалация',
  'crisis.alertSummary': 'негативных: {observed} за {window} · норма {baseline}',
  'crisis.detected': 'Обнаружено {time}',
  'crisis.back': 'Все тревоги',
  'crisis.why': 'Почему сработала тревога',
  'crisis.explain': 'За {window} с {start} пришло негативных сообщений: {observed}, при норме {baseline} ({ratio} × нормы). Вероятность этого при норме p = {p}.',
  'crisis.windowVolume': 'Всего сообщений в окне: {count}',
  'crisis.chart': 'Негативные сообщения за 15 минут',
  'crisis.legendNegative': 'Негатив',
  'crisis.legendBaseline': 'Норма',
  'crisis.legendBand': 'Обычный диапазон',
  'crisis.legendWindow': 'Окно тревоги',
  'crisis.terms': 'Ключевые слова',
  'crisis.phrases': 'Ключевые фразы',
  'crisis.samples': 'Примеры сообщений',
  'crisis.authors': 'Влиятельные авторы',
  'crisis.groups': 'Похожие жалобы',
  'crisis.groupsNone': 'Среди примеров нет почти одинаковых сообщений.',
  'crisis.toast': 'Кризисная тревога: {account} ({channel})',
  'crisis.view': 'Открыть',
  'crisis.observedShort': 'Наблюдается',
  'crisis.pValue': 'p-значение',
  ...composeRu,
  ...slaRu,
  ...inboxRu,
  ...crisisRu,
  ...crisisKindsRu,
  ...approvalRu,
  ...reviewRu,
  ...libraryRu,
  ...analyticsRu,
  ...authorRu,
  ...classifyRu,
  ...sentimentModelRu,
  ...limitsRu,
  ...metaRu,
  ...welcomeRu,
  ...errorsRu,
  ...searchRu,
  ...accountsRu,
  ...a11yRu,
  ...chartsRu,
  ...importerRu,
  ...triageRu,
  ...notesRu,
  ...teamRu,
  ...presenceRu,
  ...joinRu,
  ...offlineRu,
  ...loopsRu,
  ...datesRu,
  ...listeningFeedRu,
  ...whatsappRu,
  ...deliveryRu,
  ...templatesRu,
  ...permissionsRu,
  ...mediaRu,
  ...listeningAnalyticsRu,
  ...listeningQueryRu,
  ...listeningRu,
  ...listeningForwardRu,
  ...listeningSourcesRu,
  ...listeningSpikesRu,
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
  'channel.bluesky': 'Bluesky',
  'channel.reddit': 'Reddit',
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
  'row.vip': 'VIP: wird zuerst beantwortet',
  'row.banned': 'Gebannt',
  'row.bannedHint': 'Gebannt laut Moderationsverlauf in Stormdesk (auf der Plattform wird nichts durchgesetzt)',
  'row.blocked': 'Gesperrt',
  'row.blockedUntil': 'Gesperrt bis {time} laut Moderationsverlauf in Stormdesk',
  'row.influencer': 'Influencer: {reach} Follower',
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
  'flag.suspicious-date': 'Dem Datum des Absenders war nicht zu trauen; die Nachricht ist nach ihrem Eingang einsortiert',
  'message.dateUnsure': 'Datum?',
  'message.claimedDate': 'Vom Absender datiert auf {date}',
  'message.noClaimedDate': 'Der Absender gab kein brauchbares Datum an',
  'row.dateUnsure': 'Einige Zeiten dieses Gesprächs lagen außerhalb des gültigen Bereichs und werden ungefähr angezeigt',

  'error.title': 'Fehler',
  'error.dismiss': 'Schließen',
  'error.unavailable': 'Das Stormdesk-Backend ist nicht erreichbar.',
  'error.unknown': 'Etwas ist schiefgelaufen ({op}).',

  'keys.hint': 'j / k bewegen · Enter öffnen · e schließen · / suchen · Esc zurück',

  'nav.label': 'Bereiche',
  'nav.inbox': 'Posteingang',
  'nav.crisis': 'Krisen',
  'nav.settings': 'Einstellungen',
  'nav.alerts': { one: '{count} neuer Alarm', other: '{count} neue Alarme' },
  'about.open': 'Über Stormdesk',
  'about.title': 'Über Stormdesk',
  'about.version': 'Version',
  'about.commit': 'Commit',
  'about.date': 'Build-Datum',
  'about.db': 'Datenbank',
  'about.unknown': 'unbekannt',
  'about.close': 'Schließen',
  'keys.title': 'Tastenkürzel',
  'keys.open': 'Tastenkürzel',
  'keys.sectionNav': 'Navigation',
  'keys.sectionList': 'Konversationen',
  'keys.goInbox': 'Zum Posteingang',
  'keys.goCrisis': 'Zu Krisen',
  'keys.goSettings': 'Zu den Einstellungen',
  'keys.move': 'Nächste / vorige Konversation',
  'keys.openConv': 'Konversation öffnen',
  'keys.close': 'Konversation schließen',
  'keys.assign': 'Mir zuweisen',
  'keys.reply': 'Antworten',
  'keys.search': 'Suchen',
  'keys.help': 'Diese Übersicht zeigen',
  'keys.escape': 'Dialog schließen, Suche verlassen',
  'keys.then': 'dann',
  'settings.title': 'Einstellungen',
  'settings.accounts': 'Konten',
  'settings.addAccount': 'Konto hinzufügen',
  'settings.noAccounts': 'Noch keine Konten. Fügen Sie eines hinzu, um zu synchronisieren.',
  'settings.lastSync': 'Zuletzt synchronisiert {time}',
  'settings.neverSynced': 'Noch nie synchronisiert',
  'settings.fetched': { one: '{count} Eintrag abgerufen', other: '{count} Einträge abgerufen' },
  'settings.lastError': 'Letzter Fehler: {error}',
  'settings.syncNow': 'Jetzt synchronisieren',
  'settings.test': 'Verbindung testen',
  'settings.testing': 'Teste…',
  'settings.edit': 'Bearbeiten',
  'settings.progress': '{account}: {count} abgerufen',
  'settings.progressOf': '{account}: {count} von {total} abgerufen',
  'settings.progressDone': '{account}: Synchronisierung fertig, {count} neu',
  'settings.retryIn': 'neuer Versuch in {d}',
  'settings.limits': 'Plattformgrenzen',
  'settings.maxText': { one: 'Antworten bis {count} Zeichen', other: 'Antworten bis {count} Zeichen' },
  'settings.deleteWindow': 'Nachrichten können innerhalb von {d} gelöscht werden',
  'settings.appearance': 'Darstellung',
  'settings.liveSync': 'Synchronisierung',
  'form.newTitle': 'Neues Konto',
  'form.editTitle': '{name} bearbeiten',
  'form.channel': 'Kanal',
  'form.name': 'Kontoname',
  'form.nameHint': 'Ein eindeutiger Name, z. B. acme-support-mail',
  'form.brand': 'Marke',
  'form.handle': 'Handle oder Adresse',
  'form.settings': 'Verbindung',
  'form.secrets': 'Geheimnisse',
  'form.secretPlaceholder': 'im Schlüsselbund des Systems gespeichert — leer lassen, um es zu behalten',
  'form.secretNewPlaceholder': 'im Schlüsselbund des Systems gespeichert',
  'form.optional': 'optional',
  'form.save': 'Speichern',
  'form.saving': 'Speichere…',
  'form.cancel': 'Abbrechen',
  'form.saved': '{name} gespeichert',
  'form.required': 'Pflichtfeld',
  'form.port': 'Ein Port von 1 bis 65535',
  'form.integer': 'Eine positive ganze Zahl',
  'form.url': 'Eine http(s)-Adresse',
  'form.email': 'Eine E-Mail-Adresse',
  'form.choice': 'Wählen Sie eine der Optionen',
  'form.noSpaces': 'Keine Leerzeichen',
  'form.invalid': 'Bitte die markierten Felder korrigieren.',
  'form.default': 'Standard',
  'form.serverChanged': 'Der Server wurde geändert: Beim Speichern werden die gespeicherten Geheimnisse entfernt, bitte erneut eingeben.',
  'form.secretAgain': 'Für den neuen Server erneut eingeben',
  'form.secretAgainPlaceholder': 'erforderlich: das gespeicherte wird mit dem alten Server entfernt',
  'field.imapHost': 'IMAP-Server',
  'field.imapPort': 'IMAP-Port',
  'field.imapTls': 'IMAP-Verschlüsselung',
  'field.username': 'Benutzername',
  'field.from': 'Absenderadresse',
  'field.smtpHost': 'SMTP-Server',
  'field.smtpPort': 'SMTP-Port',
  'field.smtpTls': 'SMTP-Verschlüsselung',
  'field.smtpUsername': 'SMTP-Benutzername',
  'field.smtpUsernameHint': 'Leer: wie bei IMAP',
  'field.folders': 'Ordner',
  'field.foldersHint': 'Durch Kommas getrennt; leer: alle Ordner',
  'field.includeSpecial': 'Gesendet, Entwürfe und Papierkorb einbeziehen',
  'field.allowRemoteImages': 'Externe Bilder in Mails laden',
  'field.baseUrl': 'Bot-API-Adresse',
  'field.baseUrlHint': 'Leer: api.telegram.org',
  'field.instanceUrl': 'Instanz-Adresse',
  'field.replyVisibility': 'Sichtbarkeit der Antworten',
  'field.groupId': 'Community-ID',
  'field.channelId': 'Kanal-ID',
  'field.blueskyHandle': 'Handle oder E-Mail',
  'field.pdsUrl': 'PDS-Adresse',
  'field.pdsUrlHint': 'Leer: bsky.social (von Bluesky gehostete Konten)',
  'field.redditUsername': 'Reddit-Benutzername',
  'field.clientId': 'Client-ID der App',
  'field.clientIdHint': 'Aus einer „script“-App unter reddit.com/prefs/apps, angelegt von diesem Konto',
  'field.userAgent': 'User-Agent',
  'field.userAgentHint': 'Eindeutig, mit App und Eigentümer; allgemeine blockiert Reddit',
  'field.markRead': 'Abgerufene Nachrichten auf Reddit als gelesen markieren',
  'opt.imaps': 'IMAPS (TLS)',
  'opt.starttls': 'STARTTLS',
  'opt.plain': 'Unverschlüsselt (nur Loopback)',
  'opt.tls': 'TLS',
  'opt.public': 'Öffentlich',
  'opt.unlisted': 'Nicht gelistet',
  'secret.mail.password': 'IMAP-Passwort',
  'secret.mail.smtp-password': 'SMTP-Passwort (falls abweichend)',
  'secret.telegram.token': 'Bot-Token von @BotFather',
  'secret.mastodon.token': 'Zugriffstoken (Lesen, Schreiben)',
  'secret.vk.token': 'Community-Zugriffsschlüssel',
  'secret.vk.user-token': 'Admin-Benutzertoken (Pinnwand-Kommentare)',
  'secret.youtube.api-key': 'API-Schlüssel',
  'secret.youtube.oauth-token': 'OAuth-Zugriffstoken (Antworten, Moderation)',
  'secret.bluesky.app-password': 'App-Passwort',
  'secret.reddit.client-secret': 'App-Geheimnis',
  'secret.reddit.password': 'Kontopasswort',
  'crisis.title': 'Krisenmonitor',
  'crisis.subtitle': 'Negative Nachrichten pro 15 Minuten gegenüber der eigenen Basislinie jedes Streams',
  'crisis.streams': 'Streams',
  'crisis.noStreams': 'Noch keine Streams: die Überwachung beginnt mit den ersten gespeicherten Nachrichten.',
  'crisis.status.learning': 'Lernt',
  'crisis.status.normal': 'Normal',
  'crisis.status.alert': 'Alarm',
  'crisis.status.cooldown': 'Abklingen',
  'crisis.thisBin': 'Aktuelles Intervall',
  'crisis.baseline': 'Basislinie',
  'crisis.threshold': 'Alarm ab',
  'crisis.volume': 'Volumen',
  'crisis.learningUntil': 'Lernt bis {time}',
  'crisis.cooldownUntil': 'Abklingen bis {time}',
  'crisis.lastAlert': 'Letzter Alarm {time}',
  'crisis.alerts': 'Alarme',
  'crisis.noAlerts': 'Keine Alarme. Hier erscheinen Ausbrüche negativer Nachrichten über der Basislinie.',
  'crisis.escalation': 'Eskalation',
  'crisis.alertSummary': '{observed} negativ in {window} · Basislinie {baseline}',
  'crisis.detected': 'Erkannt {time}',
  'crisis.back': 'Alle Alarme',
  'crisis.why': 'Warum dieser Alarm',
  'crisis.explain': 'In den {window} ab {start} kamen {observed} negative Nachrichten, erwartet waren {baseline} ({ratio} × die Basislinie). Unter der Basislinie hat das die Wahrscheinlichkeit p = {p}.',
  'crisis.windowVolume': 'Alle Nachrichten im Fenster: {count}',
  'crisis.chart': 'Negative Nachrichten pro 15 Minuten',
  'crisis.legendNegative': 'Negativ',
  'crisis.legendBaseline': 'Basislinie',
  'crisis.legendBand': 'Normalbereich',
  'crisis.legendWindow': 'Alarmfenster',
  'crisis.terms': 'Top-Begriffe',
  'crisis.phrases': 'Top-Phrasen',
  'crisis.samples': 'Beispielnachrichten',
  'crisis.authors': 'Einflussreiche Autoren',
  'crisis.groups': 'Fast gleiche Beschwerden',
  'crisis.groupsNone': 'Keine fast gleichen Nachrichten unter den Beispielen.',
  'crisis.toast': 'Krisenalarm: {account} ({channel})',
  'crisis.view': 'Ansehen',
  'crisis.observedShort': 'Beobachtet',
  'crisis.pValue': 'p-Wert',
  ...composeDe,
  ...slaDe,
  ...inboxDe,
  ...crisisDe,
  ...crisisKindsDe,
  ...approvalDe,
  ...reviewDe,
  ...libraryDe,
  ...analyticsDe,
  ...authorDe,
  ...classifyDe,
  ...sentimentModelDe,
  ...limitsDe,
  ...metaDe,
  ...welcomeDe,
  ...errorsDe,
  ...searchDe,
  ...accountsDe,
  ...a11yDe,
  ...chartsDe,
  ...importerDe,
  ...triageDe,
  ...notesDe,
  ...teamDe,
  ...presenceDe,
  ...joinDe,
  ...offlineDe,
  ...loopsDe,
  ...datesDe,
  ...listeningFeedDe,
  ...whatsappDe,
  ...deliveryDe,
  ...templatesDe,
  ...permissionsDe,
  ...mediaDe,
  ...listeningAnalyticsDe,
  ...listeningQueryDe,
  ...listeningDe,
  ...listeningForwardDe,
  ...listeningSourcesDe,
  ...listeningSpikesDe,
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
// Screen readers pick their voice by <html lang>: set it before any screen
// mounts (the first screen, shown before the app, never switches the language).
if (typeof document !== 'undefined') document.documentElement.lang = current;
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

/** hasKey tells whether key, built from data Go sent (a code), has a text. */
export function hasKey(key: string): key is Key {
  return key in en;
}

/**
 * tCode words a key built from a code Go sent (a limit note, an approval reason) in
 * the current language; a code this UI does not know yet reads as Go's fallback text.
 */
export function tCode(key: string, fallback: string, params?: Params): string {
  return hasKey(key) ? t(key, params) : fallback;
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

/**
 * formatUntil words a time still to come as its clock time (HH:MM:SS) and how long
 * until it ("in 40 seconds", "in 5 minutes"); null once it has come, or when unreadable.
 */
export function formatUntil(iso: string | Date, now: number, l: Lang = lang()): { time: string; rel: string } | null {
  const d = toDate(iso);
  const secs = Math.round((d.getTime() - now) / 1000);
  if (!(secs > 0)) return null;
  const rtf = new Intl.RelativeTimeFormat(l, { numeric: 'always', style: 'long' });
  const rel = secs < 90 ? rtf.format(secs, 'second') : rtf.format(Math.round(secs / 60), 'minute');
  const time = new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
  return { time, rel };
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
