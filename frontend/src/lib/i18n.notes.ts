// Strings of @mentions in notes: the Mentions view, its sidebar entry, the note editor's
// completion and the desktop notification. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const notesEn = {
  'mentions.title': 'Mentions',
  'mentions.unread': { one: '{count} unread mention', other: '{count} unread mentions' },
  'mentions.none': 'No note mentions you. When a teammate writes @{name} in a note, it shows here.',
  'mentions.markAll': 'Mark all read',
  'mentions.by': '{author} · {time}',
  'mentions.new': 'New',
  'mentions.open': 'Open the conversation of this note',
  'mentions.close': 'Back to the conversations',
  'mentions.notifyTitle': '{author} mentioned you in a note',
  'mentions.suggest': 'Teammates to mention',
  'mentions.hint': 'Type @ to mention a teammate.',
  'error.rule.assignee-not-member': 'Conversations are assigned only to members of the team.',
  'error.ruleNext.assignee-not-member': 'Pick a member from the list; an admin adds new members.',
} satisfies Record<string, Entry>;

export const notesRu: Record<keyof typeof notesEn, Entry> = {
  'mentions.title': 'Упоминания',
  'mentions.unread': {
    one: '{count} непрочитанное упоминание',
    few: '{count} непрочитанных упоминания',
    many: '{count} непрочитанных упоминаний',
    other: '{count} непрочитанного упоминания',
  },
  'mentions.none': 'Вас пока не упоминали в заметках. Когда коллега напишет в заметке @{name}, она появится здесь.',
  'mentions.markAll': 'Отметить все прочитанными',
  'mentions.by': '{author} · {time}',
  'mentions.new': 'Новое',
  'mentions.open': 'Открыть разговор с этой заметкой',
  'mentions.close': 'Назад к разговорам',
  'mentions.notifyTitle': '{author} упомянул(а) вас в заметке',
  'mentions.suggest': 'Кого упомянуть',
  'mentions.hint': 'Введите @, чтобы упомянуть коллегу.',
  'error.rule.assignee-not-member': 'Разговоры назначаются только участникам команды.',
  'error.ruleNext.assignee-not-member': 'Выберите участника из списка; новых участников добавляет администратор.',
};

export const notesDe: Record<keyof typeof notesEn, Entry> = {
  'mentions.title': 'Erwähnungen',
  'mentions.unread': { one: '{count} ungelesene Erwähnung', other: '{count} ungelesene Erwähnungen' },
  'mentions.none': 'Keine Notiz erwähnt Sie. Schreibt jemand aus dem Team @{name} in eine Notiz, erscheint sie hier.',
  'mentions.markAll': 'Alle als gelesen markieren',
  'mentions.by': '{author} · {time}',
  'mentions.new': 'Neu',
  'mentions.open': 'Unterhaltung dieser Notiz öffnen',
  'mentions.close': 'Zurück zu den Unterhaltungen',
  'mentions.notifyTitle': '{author} hat Sie in einer Notiz erwähnt',
  'mentions.suggest': 'Teammitglieder zum Erwähnen',
  'mentions.hint': 'Tippen Sie @, um jemanden aus dem Team zu erwähnen.',
  'error.rule.assignee-not-member': 'Unterhaltungen werden nur Mitgliedern des Teams zugewiesen.',
  'error.ruleNext.assignee-not-member': 'Wählen Sie ein Mitglied aus der Liste; neue Mitglieder fügt ein Admin hinzu.',
};
