// @mentions in note text: the same rule as Go's backend/mentions (an "@" not inside a
// word, then a member's name in any case, the longest name first, not followed by a
// letter or digit), so the UI highlights exactly the mentions Go recorded. And the
// "@" being typed at the caret, for the note editor's autocomplete.

/** A piece of note text: plain, or a mention of the member name. */
export type Segment = { text: string; mention?: string };

const WORD = /[\p{L}\p{N}_]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

/** lowerEq compares one character each without case, as Go's EqualFold does for one rune. */
function lowerEq(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** matchAt is how many UTF-16 units of text from i match name without case, or -1. */
function matchAt(text: string, i: number, name: string): number {
  let n = 0;
  for (const want of name) {
    const got = text.codePointAt(i + n);
    if (got === undefined) return -1;
    const ch = String.fromCodePoint(got);
    if (!lowerEq(ch, want)) return -1;
    n += ch.length;
  }
  return n;
}

function longestFirst(names: readonly string[]): string[] {
  return names
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .sort((a, b) => [...b].length - [...a].length);
}

/** segments splits text into plain runs and mentions of names (a note's recorded mentions). */
export function segments(text: string, names: readonly string[]): Segment[] {
  const byLength = longestFirst(names);
  const out: Segment[] = [];
  let plainFrom = 0;
  let i = 0;
  while (byLength.length > 0) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    i = at + 1;
    // A low surrogate before "@" ends an astral character: look at the whole of it.
    const prev = at > 1 && /[\uDC00-\uDFFF]/.test(text[at - 1]) ? text.slice(at - 2, at) : text[at - 1];
    if (isWordChar(prev)) continue;
    for (const name of byLength) {
      const n = matchAt(text, at + 1, name);
      if (n < 0) continue;
      const next = text.codePointAt(at + 1 + n);
      if (next !== undefined && isWordChar(String.fromCodePoint(next))) continue;
      if (at > plainFrom) out.push({ text: text.slice(plainFrom, at) });
      out.push({ text: text.slice(at, at + 1 + n), mention: name });
      plainFrom = i = at + 1 + n;
      break;
    }
  }
  if (plainFrom < text.length) out.push({ text: text.slice(plainFrom) });
  return out;
}

/** MentionQuery is an "@" being typed: where it starts and what follows it up to the caret. */
export type MentionQuery = { start: number; query: string };

/** mentionQuery finds the "@" the caret is completing, if any (names may hold spaces). */
export function mentionQuery(text: string, caret: number, maxLength = 40): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || caret - at - 1 > maxLength) return null;
  if (at > 0 && isWordChar(before[at - 1])) return null;
  const query = before.slice(at + 1);
  if (/[\n@]/.test(query) || query.startsWith(' ')) return null;
  return { start: at, query };
}

/** suggestions are the names that start with the query (without case), shortest first. */
export function suggestions(names: readonly string[], query: string, limit = 6): string[] {
  const q = query.toLowerCase();
  return names
    .filter((n) => n.toLowerCase().startsWith(q))
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, limit);
}

/**
 * complete puts "@name" in place of the query, with one space after it, and returns the
 * text and the caret (after that space).
 */
export function complete(text: string, q: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const rest = text.slice(caret);
  const insert = /^\s/.test(rest) ? `@${name}` : `@${name} `;
  return { text: text.slice(0, q.start) + insert + rest, caret: q.start + name.length + 2 };
}
