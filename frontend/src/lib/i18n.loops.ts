// Strings of the notice that a background loop (crisis detection, the SLA sweep, the
// outbox, …) stopped after an error and when it restarts (ui/LoopHealthBanner.svelte,
// AppInfo.loops). Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const loopsEn = {
  'loops.label': 'Background tasks',
  'loops.name.crisis': 'Crisis detection',
  'loops.name.sla': 'SLA tracking',
  'loops.name.outbox': 'Sending approved replies',
  'loops.name.classify': 'AI sentiment classification',
  'loops.name.snooze': 'Waking snoozed conversations',
  'loops.name.listening': 'Brand listening',
  'loops.name.forward': 'Alert forwarding',
  'loops.name.presence': 'Team presence',
  'loops.name.sync': 'Account sync',
  'loops.name.seed': 'Demo data',
  'loops.restarting': '{loop} stopped after an error and restarts at {time} ({rel}).',
  'loops.restartingNow': '{loop} stopped after an error and is restarting now.',
  'loops.stopped': '{loop} stopped after an error and runs again when Stormdesk is restarted.',
  'loops.restarts': 'Restarts so far: {count}.',
  'loops.hide': 'Hide this notice',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof loopsEn, Entry>;

// Russian and German put the task's name first, so one sentence fits every name
// whatever its gender and number.
export const loopsRu: Dict = {
  'loops.label': 'Фоновые задачи',
  'loops.name.crisis': 'Обнаружение кризисов',
  'loops.name.sla': 'Отслеживание SLA',
  'loops.name.outbox': 'Отправка одобренных ответов',
  'loops.name.classify': 'ИИ-классификация тональности',
  'loops.name.snooze': 'Возврат отложенных диалогов',
  'loops.name.listening': 'Мониторинг упоминаний',
  'loops.name.forward': 'Пересылка оповещений',
  'loops.name.presence': 'Присутствие команды',
  'loops.name.sync': 'Синхронизация аккаунтов',
  'loops.name.seed': 'Демо-данные',
  'loops.restarting': '{loop}: работа остановлена из-за ошибки; перезапуск в {time} ({rel}).',
  'loops.restartingNow': '{loop}: работа остановлена из-за ошибки; идёт перезапуск.',
  'loops.stopped': '{loop}: работа остановлена из-за ошибки; она возобновится после перезапуска Stormdesk.',
  'loops.restarts': 'Перезапусков: {count}.',
  'loops.hide': 'Скрыть уведомление',
};

export const loopsDe: Dict = {
  'loops.label': 'Hintergrundaufgaben',
  'loops.name.crisis': 'Krisenerkennung',
  'loops.name.sla': 'SLA-Überwachung',
  'loops.name.outbox': 'Versand freigegebener Antworten',
  'loops.name.classify': 'KI-Stimmungsklassifizierung',
  'loops.name.snooze': 'Wiedervorlage zurückgestellter Unterhaltungen',
  'loops.name.listening': 'Social Listening',
  'loops.name.forward': 'Weiterleitung von Warnungen',
  'loops.name.presence': 'Team-Anwesenheit',
  'loops.name.sync': 'Kontensynchronisierung',
  'loops.name.seed': 'Demodaten',
  'loops.restarting': '{loop}: nach einem Fehler angehalten; Neustart um {time} ({rel}).',
  'loops.restartingNow': '{loop}: nach einem Fehler angehalten; Neustart läuft.',
  'loops.stopped': '{loop}: nach einem Fehler angehalten; läuft wieder, sobald Stormdesk neu gestartet wird.',
  'loops.restarts': 'Bisherige Neustarts: {count}.',
  'loops.hide': 'Hinweis ausblenden',
};
