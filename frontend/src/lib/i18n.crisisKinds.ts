// Strings of the crisis alert kinds: influence-weighted and topic bursts, and
// the influential authors of any alert. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const crisisKindsEn = {
  'crisis.kind.volume': 'Volume',
  'crisis.kind.influence': 'Influential authors',
  'crisis.kind.topic': 'Topic burst',
  'crisis.influence.plain':
    '{observed} negative messages in the {window} from {start} weigh {weighted} once their authors’ audiences and replies count: {ratio} times the usual {baseline}. An alert starts at a weight of {threshold}; ordinary messages alone would not have reached it.',
  'crisis.topic.title': 'Topic',
  'crisis.topic.plain':
    '{count} near-identical complaints in the {window} from {start}. This topic usually makes up {baseline} of the messages in such a window; an alert starts at {threshold}.',
  'crisis.topic.authors': { one: 'from {count} author', other: 'from {count} authors' },
  'crisis.topic.terms': 'Its words',
  'crisis.influencers': 'Authors who weigh more',
  'crisis.influencers.none': 'No author with an audience of 10,000 or more, no message with 20 replies or more.',
  'crisis.influence.replies': { one: '{count} reply', other: '{count} replies' },
  'crisis.influence.weight': 'weighs {weight}',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof crisisKindsEn, Entry>;

export const crisisKindsRu: Dict = {
  'crisis.kind.volume': 'Объём',
  'crisis.kind.influence': 'Влиятельные авторы',
  'crisis.kind.topic': 'Всплеск темы',
  'crisis.influence.plain':
    'За {window} с {start} пришло негативных сообщений: {observed}; с учётом аудитории и ответов их вес {weighted}, это в {ratio} раза больше обычного ({baseline}). Тревога начинается с веса {threshold}; обычные сообщения сами по себе до него не дотянули бы.',
  'crisis.topic.title': 'Тема',
  'crisis.topic.plain':
    'За {window} с {start} пришло почти одинаковых жалоб: {count}. Обычно на эту тему приходится {baseline} сообщений в таком окне; тревога начинается с {threshold}.',
  'crisis.topic.authors': { one: 'от {count} автора', few: 'от {count} авторов', many: 'от {count} авторов', other: 'от {count} автора' },
  'crisis.topic.terms': 'Её слова',
  'crisis.influencers': 'Авторы с повышенным весом',
  'crisis.influencers.none': 'Нет авторов с аудиторией от 10 000 и сообщений с 20 ответами и больше.',
  'crisis.influence.replies': { one: '{count} ответ', few: '{count} ответа', many: '{count} ответов', other: '{count} ответа' },
  'crisis.influence.weight': 'вес {weight}',
};

export const crisisKindsDe: Dict = {
  'crisis.kind.volume': 'Menge',
  'crisis.kind.influence': 'Einflussreiche Autoren',
  'crisis.kind.topic': 'Themen-Welle',
  'crisis.influence.plain':
    '{observed} negative Nachrichten in {window} ab {start} wiegen {weighted}, wenn Reichweite und Antworten ihrer Autoren zählen: {ratio}-mal so viel wie üblich ({baseline}). Ein Alarm beginnt bei einem Gewicht von {threshold}; gewöhnliche Nachrichten allein hätten es nicht erreicht.',
  'crisis.topic.title': 'Thema',
  'crisis.topic.plain':
    '{count} fast gleichlautende Beschwerden in {window} ab {start}. Üblicherweise entfallen auf dieses Thema {baseline} Nachrichten in einem solchen Fenster; ein Alarm beginnt bei {threshold}.',
  'crisis.topic.authors': { one: 'von {count} Autor', other: 'von {count} Autoren' },
  'crisis.topic.terms': 'Seine Wörter',
  'crisis.influencers': 'Autoren mit mehr Gewicht',
  'crisis.influencers.none': 'Kein Autor mit 10.000 oder mehr Followern, keine Nachricht mit 20 oder mehr Antworten.',
  'crisis.influence.replies': { one: '{count} Antwort', other: '{count} Antworten' },
  'crisis.influence.weight': 'Gewicht {weight}',
};
