// Search snippets mark matched terms with U+0002 (start) and U+0003 (end).
// They are split into plain segments so templates render them as text nodes
// (escaped by Svelte) inside <mark>, never as HTML.

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

export interface Segment {
  text: string;
  mark: boolean;
}

/** splitHighlights turns a marked snippet into text segments; stray markers are dropped. */
export function splitHighlights(snippet: string): Segment[] {
  const out: Segment[] = [];
  let mark = false;
  let buf = '';
  const flush = () => {
    if (buf === '') return;
    const last = out[out.length - 1];
    if (last && last.mark === mark) last.text += buf;
    else out.push({ text: buf, mark });
    buf = '';
  };
  for (const ch of snippet) {
    if (ch === MARK_START) {
      if (!mark) {
        flush();
        mark = true;
      }
    } else if (ch === MARK_END) {
      if (mark) {
        flush();
        mark = false;
      }
    } else {
      buf += ch;
    }
  }
  flush();
  return out;
}

/** stripHighlights removes the markers, for titles and plain-text use. */
export function stripHighlights(snippet: string): string {
  return snippet.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}
