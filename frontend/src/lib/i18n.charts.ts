// Strings of the uPlot charts (crisis streams and alerts, analytics). Merged into
// the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const chartsEn = {
  'chart.failed': 'The chart could not be drawn: {error}',
} satisfies Record<string, Entry>;

type ChartsKey = keyof typeof chartsEn;

export const chartsRu: Record<ChartsKey, Entry> = {
  'chart.failed': 'Не удалось построить график: {error}',
};

export const chartsDe: Record<ChartsKey, Entry> = {
  'chart.failed': 'Das Diagramm konnte nicht gezeichnet werden: {error}',
};
