// Strings of a listening topic's stream on the crisis dashboard (its channel is
// "listening", its account the topic's name). Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const listeningSpikesEn = {
  'channel.listening': 'Listening',
  'crisis.topicStream': 'Listening topic',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof listeningSpikesEn, Entry>;

export const listeningSpikesRu: Dict = {
  'channel.listening': 'Мониторинг',
  'crisis.topicStream': 'Тема мониторинга',
};

export const listeningSpikesDe: Dict = {
  'channel.listening': 'Listening',
  'crisis.topicStream': 'Listening-Thema',
};
