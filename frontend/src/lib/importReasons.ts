// Words why an imported row was skipped or warned about in the UI's language; a
// code the dictionaries do not know (a newer Go than this UI), or a reason without
// a code, falls back to Go's English sentence.
import type { fileimport } from '../../wailsjs/go/models';
import { tCode } from './i18n';

export type RowProblem = Pick<fileimport.RowError, 'reason'> & { code?: string; params?: Record<string, string> | null };

export function rowReason(r: RowProblem): string {
  return r.code ? tCode(`import.reason.${r.code}`, r.reason, r.params ?? {}) : r.reason;
}
