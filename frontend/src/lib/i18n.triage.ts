// Strings of the inbox list's triage extras: a snoozed row's wake time, the
// Snoozed count, assigning checked rows to a person, saved-view shortcuts.
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const triageEn = {
  'row.snoozedUntil': 'until {time}',
  'row.snoozedHint': 'Snoozed until {time}; back in the open view then, or when the customer writes',
  'bulk.assignTo': 'Assign to…',
  'bulk.assignPerson': 'Assign to {name}',
  'bulk.assignOther': 'Someone else',
  'bulk.assignName': 'Name',
  'bulk.assignApply': 'Assign',
  'bulk.assignNobody': 'Unassign',
  'keys.savedView': 'Open saved view 1–9',
  'views.key': 'g then {n}',
} satisfies Record<string, Entry>;

type TriageKey = keyof typeof triageEn;

export const triageRu: Record<TriageKey, Entry> = {
  'row.snoozedUntil': 'до {time}',
  'row.snoozedHint': 'Отложено до {time}; тогда диалог вернётся в открытые, или раньше, если клиент напишет',
  'bulk.assignTo': 'Назначить…',
  'bulk.assignPerson': 'Назначить: {name}',
  'bulk.assignOther': 'Другому человеку',
  'bulk.assignName': 'Имя',
  'bulk.assignApply': 'Назначить',
  'bulk.assignNobody': 'Снять назначение',
  'keys.savedView': 'Открыть сохранённое представление 1–9',
  'views.key': 'g, затем {n}',
};

export const triageDe: Record<TriageKey, Entry> = {
  'row.snoozedUntil': 'bis {time}',
  'row.snoozedHint': 'Zurückgestellt bis {time}; dann wieder unter Offen, oder früher, wenn die Kundin oder der Kunde schreibt',
  'bulk.assignTo': 'Zuweisen an…',
  'bulk.assignPerson': 'An {name} zuweisen',
  'bulk.assignOther': 'Jemand anderem',
  'bulk.assignName': 'Name',
  'bulk.assignApply': 'Zuweisen',
  'bulk.assignNobody': 'Zuweisung aufheben',
  'keys.savedView': 'Gespeicherte Ansicht 1–9 öffnen',
  'views.key': 'g, dann {n}',
};
