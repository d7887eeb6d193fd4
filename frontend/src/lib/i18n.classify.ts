// Strings of the optional LLM sentiment classification in Settings → AI drafting.
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const classifyEn = {
  'classify.title': 'LLM sentiment check',
  'classify.intro':
    'The offline model labels every message. When it is unsure (confidence below the threshold), this sends the message text to the LLM above and keeps its label. Labels you corrected by hand are never changed. Off by default: message texts leave this computer only when it is on or you press “Classify now”.',
  'classify.enabled': 'Check uncertain messages with the LLM in the background (every minute and after each sync)',
  'classify.threshold': 'Confidence threshold',
  'classify.thresholdHint': 'Messages the offline model is less sure about than {pct} go to the LLM.',
  'classify.save': 'Save',
  'classify.saved': 'Saved.',
  'classify.now': 'Classify now',
  'classify.running': 'Classifying…',
  'classify.offline': 'Unavailable in offline mode: set a base URL and model above first.',
  'classify.result': {
    one: '{classified} checked, {count} message relabelled.',
    other: '{classified} checked, {count} messages relabelled.',
  },
  'classify.last': 'Last run {time}: {classified} checked, {relabelled} relabelled.',
  'classify.lastError': 'Last run failed: {error}',
};

type ClassifyKey = keyof typeof classifyEn;

export const classifyRu: Record<ClassifyKey, Entry> = {
  'classify.title': 'Проверка тональности через LLM',
  'classify.intro':
    'Офлайн-модель размечает каждое сообщение. Если она не уверена (уверенность ниже порога), текст сообщения отправляется в LLM, указанную выше, и сохраняется её метка. Метки, исправленные вручную, не меняются никогда. По умолчанию выключено: тексты сообщений покидают компьютер, только когда проверка включена или вы нажали «Проверить сейчас».',
  'classify.enabled': 'Проверять неуверенные сообщения через LLM в фоне (раз в минуту и после каждой синхронизации)',
  'classify.threshold': 'Порог уверенности',
  'classify.thresholdHint': 'В LLM уходят сообщения, в которых офлайн-модель уверена меньше чем на {pct}.',
  'classify.save': 'Сохранить',
  'classify.saved': 'Сохранено.',
  'classify.now': 'Проверить сейчас',
  'classify.running': 'Проверяем…',
  'classify.offline': 'Недоступно в офлайн-режиме: сначала укажите адрес сервера и модель выше.',
  'classify.result': {
    one: 'Проверено {classified}, метка изменена у {count} сообщения.',
    few: 'Проверено {classified}, метка изменена у {count} сообщений.',
    many: 'Проверено {classified}, метка изменена у {count} сообщений.',
    other: 'Проверено {classified}, метка изменена у {count} сообщения.',
  },
  'classify.last': 'Последний запуск {time}: проверено {classified}, изменено {relabelled}.',
  'classify.lastError': 'Последний запуск не удался: {error}',
};

export const classifyDe: Record<ClassifyKey, Entry> = {
  'classify.title': 'Stimmungsprüfung per LLM',
  'classify.intro':
    'Das Offline-Modell bewertet jede Nachricht. Ist es unsicher (Konfidenz unter der Schwelle), geht der Nachrichtentext an das oben eingestellte LLM und dessen Bewertung wird übernommen. Von Hand korrigierte Bewertungen bleiben immer unverändert. Standardmäßig aus: Nachrichtentexte verlassen diesen Computer nur, wenn die Prüfung an ist oder Sie „Jetzt prüfen“ drücken.',
  'classify.enabled': 'Unsichere Nachrichten im Hintergrund per LLM prüfen (jede Minute und nach jeder Synchronisierung)',
  'classify.threshold': 'Konfidenzschwelle',
  'classify.thresholdHint': 'Nachrichten, bei denen sich das Offline-Modell zu weniger als {pct} sicher ist, gehen an das LLM.',
  'classify.save': 'Speichern',
  'classify.saved': 'Gespeichert.',
  'classify.now': 'Jetzt prüfen',
  'classify.running': 'Wird geprüft…',
  'classify.offline': 'Im Offline-Modus nicht verfügbar: zuerst oben Basis-URL und Modell eintragen.',
  'classify.result': {
    one: '{classified} geprüft, {count} Nachricht neu bewertet.',
    other: '{classified} geprüft, {count} Nachrichten neu bewertet.',
  },
  'classify.last': 'Letzter Lauf {time}: {classified} geprüft, {relabelled} neu bewertet.',
  'classify.lastError': 'Letzter Lauf fehlgeschlagen: {error}',
};
