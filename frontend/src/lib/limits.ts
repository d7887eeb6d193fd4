// Words a platform limit note in the UI's language; a code the dictionaries do not
// know yet (a newer Go than this UI) falls back to Go's English text.
import type { channels } from '../../wailsjs/go/models';
import { hasKey, t } from './i18n';

export type LimitNote = Pick<channels.Note, 'code' | 'text'> & { params?: Record<string, string> | null };

export function limitNote(n: LimitNote): string {
  const key = `limits.${n.code}`;
  return hasKey(key) ? t(key, n.params ?? {}) : n.text;
}
