// Strings of the typed date and time fields (ui/DateInput.svelte, lib/dates.ts).
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const datesEn = {
  'date.placeholder': 'YYYY-MM-DD',
  'date.invalid': 'Type a date as YYYY-MM-DD, for example {example}.',
  'time.placeholder': 'HH:MM',
  'time.invalid': 'Type a time as HH:MM (24-hour), for example 09:30.',
  'date.pick': 'Pick the day on a calendar',
  'date.prevMonth': 'Previous month',
  'date.nextMonth': 'Next month',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof datesEn, Entry>;

export const datesRu: Dict = {
  'date.placeholder': 'ДД.ММ.ГГГГ',
  'date.invalid': 'Введите дату в виде ДД.ММ.ГГГГ, например {example}.',
  'time.placeholder': 'ЧЧ:ММ',
  'time.invalid': 'Введите время в виде ЧЧ:ММ, например 09:30.',
  'date.pick': 'Выбрать день в календаре',
  'date.prevMonth': 'Предыдущий месяц',
  'date.nextMonth': 'Следующий месяц',
};

export const datesDe: Dict = {
  'date.placeholder': 'TT.MM.JJJJ',
  'date.invalid': 'Geben Sie ein Datum als TT.MM.JJJJ ein, zum Beispiel {example}.',
  'time.placeholder': 'HH:MM',
  'time.invalid': 'Geben Sie eine Uhrzeit als HH:MM ein, zum Beispiel 09:30.',
  'date.pick': 'Tag im Kalender wählen',
  'date.prevMonth': 'Vorheriger Monat',
  'date.nextMonth': 'Nächster Monat',
};
