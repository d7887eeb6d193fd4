// WhatsApp message templates in the composer: which variables a template has, the
// preview of its filled text, whether every value is there, and whether the free-text
// editor gives way to the picker (the 24-hour window closed). Pure logic, tested apart
// from the picker (templates.test.ts).
import type { MessageTemplate } from './api';
import { parseCoded } from './errors';

export type { MessageTemplate };

/** TemplateValues are the values typed for a template, in the order of its {{n}}. */
export interface TemplateValues {
  header: string[];
  body: string[];
}

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** templateKey names a template uniquely: the same name exists once per language. */
export function templateKey(t: Pick<MessageTemplate, 'name' | 'language'>): string {
  return `${t.name}/${t.language}`;
}

/** emptyValues gives one empty value per variable of t. */
export function emptyValues(t: MessageTemplate): TemplateValues {
  return { header: Array<string>(t.headerVars).fill(''), body: Array<string>(t.bodyVars).fill('') };
}

/**
 * fill puts values into text's {{n}}; a placeholder without a value stays as it is, so the
 * preview shows what is still missing. A value is inserted as typed: a "{{2}}" inside a
 * value is text, not another placeholder.
 */
export function fill(text: string, values: readonly string[]): string {
  return text.replace(PLACEHOLDER, (m, n: string) => {
    const v = values[Number(n) - 1];
    return v !== undefined && v.trim() !== '' ? v.trim() : m;
  });
}

/** preview is the message the customer will read: header, body and footer, filled. */
export function preview(t: MessageTemplate, v: TemplateValues): string {
  return [fill(t.header, v.header), fill(t.body, v.body), t.footer].filter((s) => s !== '').join('\n');
}

/** missingValues lists the variables still empty, as "header 1", "body 2" pairs. */
export function missingValues(t: MessageTemplate, v: TemplateValues): { part: 'header' | 'body'; n: number }[] {
  const out: { part: 'header' | 'body'; n: number }[] = [];
  for (let i = 0; i < t.headerVars; i++) if (!(v.header[i] ?? '').trim()) out.push({ part: 'header', n: i + 1 });
  for (let i = 0; i < t.bodyVars; i++) if (!(v.body[i] ?? '').trim()) out.push({ part: 'body', n: i + 1 });
  return out;
}

/** complete says every value is given (all are required). */
export function complete(t: MessageTemplate, v: TemplateValues): boolean {
  return missingValues(t, v).length === 0;
}

/**
 * windowClosed reads the composer's send check (a coded error's text from Go): true when
 * the customer's messaging window closed, where only a template may still be sent.
 */
export function windowClosed(sendBlock: string): boolean {
  const c = sendBlock ? parseCoded(sendBlock) : null;
  return c?.code === 'not-allowed' && c.params.rule === 'messaging-window';
}

/**
 * blocksReply says whether the send check stands in the way of this reply: a closed
 * window does not stop a template reply, which is what may be sent after it.
 */
export function blocksReply(sendBlock: string, isTemplate: boolean): boolean {
  return !!sendBlock && !(isTemplate && windowClosed(sendBlock));
}
