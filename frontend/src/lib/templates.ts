// WhatsApp message templates in the composer: which variables a template has, the
// preview of its filled text, whether every value is there, and whether the free-text
// editor gives way to the picker (the 24-hour window closed). Pure logic, tested apart
// from the picker (templates.test.ts).
import type { MessageTemplate, ReplyTemplate } from './api';
import { parseCoded } from './errors';

export type { MessageTemplate };

/**
 * TemplateValues are the values typed for a template: its {{n}} in order, one per URL
 * button that takes a value (in the order of t.buttons), and a media header's link and,
 * for a document, the file name the customer sees.
 */
export interface TemplateValues {
  header: string[];
  body: string[];
  buttons: string[];
  mediaLink: string;
  mediaFilename: string;
}

/** A value still empty: a header or body variable, a button's, the media link or the file name. */
export type Missing = { part: 'header' | 'body' | 'button'; n: number } | { part: 'media' | 'filename'; n: 0 };

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** templateKey names a template uniquely: the same name exists once per language. */
export function templateKey(t: Pick<MessageTemplate, 'name' | 'language'>): string {
  return `${t.name}/${t.language}`;
}

/** emptyValues gives one empty value per variable of t. */
export function emptyValues(t: MessageTemplate): TemplateValues {
  return {
    header: Array<string>(t.headerVars).fill(''),
    body: Array<string>(t.bodyVars).fill(''),
    buttons: Array<string>(t.buttons?.length ?? 0).fill(''),
    mediaLink: '',
    mediaFilename: '',
  };
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

/**
 * httpsLink says whether link is what Meta can download a header's media from: an absolute
 * https URL on a host, without credentials or spaces (Go checks the same, publicHTTPS).
 */
export function httpsLink(link: string): boolean {
  const s = link.trim();
  if (!s || /\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** buttonLinks are the URL buttons' labels with their links filled (unfilled {{1}} stays). */
export function buttonLinks(t: MessageTemplate, v: TemplateValues): { label: string; url: string }[] {
  return (t.buttons ?? []).map((b, i) => ({ label: b.text, url: fill(b.url, [v.buttons[i] ?? '']) }));
}

/**
 * preview is the message as approvers read it (Go's RenderSend): the media link, header,
 * body and footer filled, and each URL button with its filled link.
 */
export function preview(t: MessageTemplate, v: TemplateValues): string {
  const media = t.mediaFormat ? `[${t.mediaFormat}] ${v.mediaLink.trim() || '…'}` : '';
  const buttons = buttonLinks(t, v).map((b) => `[${b.label}] ${b.url}`);
  return [media, fill(t.header, v.header), fill(t.body, v.body), t.footer, ...buttons].filter((s) => s !== '').join('\n');
}

/** missingValues lists the values still empty, in the order the picker asks for them. */
export function missingValues(t: MessageTemplate, v: TemplateValues): Missing[] {
  const out: Missing[] = [];
  if (t.mediaFormat && !v.mediaLink.trim()) out.push({ part: 'media', n: 0 });
  if (t.mediaFormat === 'document' && !v.mediaFilename.trim()) out.push({ part: 'filename', n: 0 });
  for (let i = 0; i < t.headerVars; i++) if (!(v.header[i] ?? '').trim()) out.push({ part: 'header', n: i + 1 });
  for (let i = 0; i < t.bodyVars; i++) if (!(v.body[i] ?? '').trim()) out.push({ part: 'body', n: i + 1 });
  for (let i = 0; i < (t.buttons?.length ?? 0); i++) if (!(v.buttons[i] ?? '').trim()) out.push({ part: 'button', n: i + 1 });
  return out;
}

/** badMediaLink: a media link is typed but is not a public https URL. */
export function badMediaLink(t: MessageTemplate, v: TemplateValues): boolean {
  return !!t.mediaFormat && v.mediaLink.trim() !== '' && !httpsLink(v.mediaLink);
}

/** complete says every value is given (all are required) and a media link is https. */
export function complete(t: MessageTemplate, v: TemplateValues): boolean {
  return missingValues(t, v).length === 0 && !badMediaLink(t, v);
}

/** toReplyTemplate is what DraftTemplate receives: the values trimmed, each button by its index. */
export function toReplyTemplate(t: MessageTemplate, v: TemplateValues): ReplyTemplate {
  const trim = (xs: string[]) => xs.map((x) => x.trim());
  return {
    name: t.name,
    language: t.language,
    header: trim(v.header),
    body: trim(v.body),
    buttons: (t.buttons ?? []).map((b, i) => ({ index: b.index, text: (v.buttons[i] ?? '').trim() })),
    media: t.mediaFormat
      ? { format: t.mediaFormat, link: v.mediaLink.trim(), filename: t.mediaFormat === 'document' ? v.mediaFilename.trim() : '' }
      : { format: '', link: '', filename: '' },
  };
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
