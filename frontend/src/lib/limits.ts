// Words a platform limit note in the UI's language; a code the dictionaries do not
// know yet (a newer Go than this UI) falls back to Go's English text.
import type { channels } from '../../wailsjs/go/models';
import { tCode } from './i18n';

export type LimitNote = Pick<channels.Note, 'code' | 'text'> & { params?: Record<string, string> | null };

export function limitNote(n: LimitNote): string {
  return tCode(`limits.${n.code}`, n.text, n.params ?? {});
}
