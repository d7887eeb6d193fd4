// Strings of Settings → Sentiment model: which model scores messages, its
// licence and sources, importing another model file. Merged into the
// dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const sentimentModelEn = {
  'smodel.inUse': 'In use',
  'smodel.origin.shipped': 'shipped with Stormdesk',
  'smodel.origin.imported': 'imported',
  'smodel.origin.retrained': 'retrained from corrections',
  'smodel.licence': 'Licence',
  'smodel.commercial': 'Commercial use allowed',
  'smodel.nonCommercial': 'Not for commercial use: this model was trained on non-commercial data. Use it only if you are entitled to (e.g. research).',
  'smodel.base': 'Based on',
  'smodel.retrainedAt': 'retrained {time}',
  'smodel.sources': 'Trained on',
  'smodel.examples': { one: '{count} example', other: '{count} examples' },
  'smodel.figures': 'Held-out figures when it was built (macro-F1 negative vs not)',
  'smodel.import': 'Import model file…',
  'smodel.importHint': 'A .bin.gz file written by Stormdesk’s trainer, e.g. the research model. Corrections you made are learnt on top of it.',
  'smodel.imported': 'Imported “{name}”.',
  'smodel.reset': 'Use the shipped model',
  'smodel.resetDone': 'Back to the shipped model.',
  // A model file trained with a feature version this build lacks (backend/apperr model-features-unknown).
  'error.code.model-features-unknown': 'This model file was made by a newer version of Stormdesk and cannot be used by this one. Nothing was imported.',
  'error.next.model-features-unknown': 'Update Stormdesk, then import the file again; the details name the file’s feature version.',
};

export type SentimentModelKey = keyof typeof sentimentModelEn;

export const sentimentModelRu: Record<SentimentModelKey, Entry> = {
  'smodel.inUse': 'Используется',
  'smodel.origin.shipped': 'встроенная в Stormdesk',
  'smodel.origin.imported': 'импортированная',
  'smodel.origin.retrained': 'переобученная по исправлениям',
  'smodel.licence': 'Лицензия',
  'smodel.commercial': 'Коммерческое использование разрешено',
  'smodel.nonCommercial': 'Не для коммерческого использования: модель обучена на некоммерческих данных. Используйте её, только если имеете на это право (например, для исследований).',
  'smodel.base': 'Основа',
  'smodel.retrainedAt': 'переобучена {time}',
  'smodel.sources': 'Обучена на',
  'smodel.examples': { one: '{count} пример', few: '{count} примера', many: '{count} примеров', other: '{count} примера' },
  'smodel.figures': 'Результаты на отложенных данных при сборке (macro-F1 негатив / не негатив)',
  'smodel.import': 'Импортировать файл модели…',
  'smodel.importHint': 'Файл .bin.gz, записанный тренером Stormdesk, например исследовательская модель. Ваши исправления будут учтены поверх неё.',
  'smodel.imported': 'Импортирована «{name}».',
  'smodel.reset': 'Вернуть встроенную модель',
  'smodel.resetDone': 'Снова используется встроенная модель.',
  'error.code.model-features-unknown': 'Этот файл модели создан более новой версией Stormdesk, и эта версия не может его использовать. Ничего не импортировано.',
  'error.next.model-features-unknown': 'Обновите Stormdesk и импортируйте файл снова; в подробностях указана версия признаков файла.',
};

export const sentimentModelDe: Record<SentimentModelKey, Entry> = {
  'smodel.inUse': 'Verwendet',
  'smodel.origin.shipped': 'mit Stormdesk ausgeliefert',
  'smodel.origin.imported': 'importiert',
  'smodel.origin.retrained': 'aus Korrekturen neu trainiert',
  'smodel.licence': 'Lizenz',
  'smodel.commercial': 'Kommerzielle Nutzung erlaubt',
  'smodel.nonCommercial': 'Nicht für kommerzielle Nutzung: Dieses Modell wurde mit nicht-kommerziellen Daten trainiert. Nur verwenden, wenn Sie dazu berechtigt sind (z. B. Forschung).',
  'smodel.base': 'Grundlage',
  'smodel.retrainedAt': 'neu trainiert {time}',
  'smodel.sources': 'Trainiert mit',
  'smodel.examples': { one: '{count} Beispiel', other: '{count} Beispiele' },
  'smodel.figures': 'Ergebnisse auf zurückgehaltenen Daten beim Erstellen (Macro-F1 negativ vs. nicht negativ)',
  'smodel.import': 'Modelldatei importieren…',
  'smodel.importHint': 'Eine .bin.gz-Datei aus dem Stormdesk-Trainer, z. B. das Forschungsmodell. Ihre Korrekturen werden darauf gelernt.',
  'smodel.imported': '„{name}“ importiert.',
  'smodel.reset': 'Mitgeliefertes Modell verwenden',
  'smodel.resetDone': 'Wieder das mitgelieferte Modell.',
  'error.code.model-features-unknown': 'Diese Modelldatei stammt aus einer neueren Stormdesk-Version und kann von dieser nicht verwendet werden. Es wurde nichts importiert.',
  'error.next.model-features-unknown': 'Aktualisieren Sie Stormdesk und importieren Sie die Datei erneut; die Details nennen die Merkmalsversion der Datei.',
};
