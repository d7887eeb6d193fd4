// Where a refused listening query is wrong, for the topic editor to mark. Go counts the
// place in characters (runes); a JavaScript string counts UTF-16 units, which differ
// after an emoji or another character outside the Basic Multilingual Plane.
import type { CodedError } from './errors';

export interface QuerySpan {
  /** UTF-16 offsets into the query text, [start, end), as setSelectionRange takes them. */
  start: number;
  end: number;
}

/** querySpan returns the place a query-invalid error marks in text; null for other errors. */
export function querySpan(e: CodedError, text: string): QuerySpan | null {
  if (e.code !== 'query-invalid') return null;
  const pos = Number(e.params.pos);
  const end = Number(e.params.end);
  if (!Number.isInteger(pos) || !Number.isInteger(end) || pos < 0 || end < pos) return null;
  return { start: utf16Offset(text, pos), end: utf16Offset(text, end) };
}

/** utf16Offset is the UTF-16 offset of the rune at index runes (the end when text is shorter). */
function utf16Offset(text: string, runes: number): number {
  let i = 0;
  for (let r = 0; r < runes && i < text.length; r++) {
    const c = text.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
  }
  return i;
}
