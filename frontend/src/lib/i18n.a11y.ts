// Strings of the accessibility work: what the app's live regions announce, and shortcut
// sheet rows for keys that had none.
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const a11yEn = {
  'a11y.replyState': 'Reply: {state}',
  'keys.first': 'First conversation',
};

type A11yKey = keyof typeof a11yEn;

export const a11yRu: Record<A11yKey, Entry> = {
  'a11y.replyState': 'Ответ: {state}',
  'keys.first': 'Первый диалог',
};

export const a11yDe: Record<A11yKey, Entry> = {
  'a11y.replyState': 'Antwort: {state}',
  'keys.first': 'Erste Konversation',
};
