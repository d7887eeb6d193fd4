// WhatsApp message templates in the composer: which variables a template has, the
// preview of its filled text, whether every value is there, and whether the free-text
// editor gives way to the picker (the 24-hour window closed). Pure logic, tested apart
// from the picker (templates.test.ts).
import type { MessageTemplate, ReplyTemplate } from './api';
import { parseCoded } from './errors';

export type { MessageTemplate };

/** Place is a location header's place as typed: coordinates in degrees, name, address. */
export interface Place {
  latitude: string;
  longitude: string;
  name: string;
  address: string;
}

/**
 * TemplateValues are the values typed for a template: its {{n}} in order, one per button
 * that takes a value (in the order of t.buttons: a URL button's {{1}}, a copy code, an
 * authentication template's one-time code), a media header's link and, for a document,
 * the file name the customer sees, and a location header's place.
 */
export interface TemplateValues {
  header: string[];
  body: string[];
  buttons: string[];
  mediaLink: string;
  mediaFilename: string;
  place?: Place;
}

/** A value still empty: a header or body variable, a button's, the media link, the file name or a part of the place. */
export type Missing =
  | { part: 'header' | 'body' | 'button'; n: number }
  | { part: 'media' | 'filename' | 'latitude' | 'longitude' | 'placeName' | 'address'; n: 0 };

/** MAX_COPY_CODE is Meta's limit of a COPY_CODE button's code (Go: whatsapp.MaxCopyCode). */
export const MAX_COPY_CODE = 15;

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
    ...(t.mediaFormat === 'location' ? { place: { latitude: '', longitude: '', name: '', address: '' } } : {}),
  };
}

/**
 * otpButton is the position in t.buttons of an authentication template's one-time-code
 * button, -1 if none. Its code is also the body's {{1}}, so the picker asks it once.
 */
export function otpButton(t: MessageTemplate): number {
  return (t.buttons ?? []).findIndex((b) => b.type === 'otp');
}

/** bodyValues are the body's values as sent: {{1}} is the one-time code when there is one. */
export function bodyValues(t: MessageTemplate, v: TemplateValues): string[] {
  const i = otpButton(t);
  return i < 0 || v.body.length === 0 ? v.body : [v.buttons[i] ?? '', ...v.body.slice(1)];
}

/** degrees reads a typed coordinate; a decimal comma is taken as a point. NaN when it is not a number. */
export function degrees(s: string): number {
  const x = s.trim().replace(',', '.');
  return x === '' || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(x) ? NaN : Number(x);
}

/** badPlace names the typed coordinates that are not in range (latitude ±90, longitude ±180). */
export function badPlace(t: MessageTemplate, v: TemplateValues): ('latitude' | 'longitude')[] {
  if (t.mediaFormat !== 'location' || !v.place) return [];
  const out: ('latitude' | 'longitude')[] = [];
  const lat = degrees(v.place.latitude);
  const lon = degrees(v.place.longitude);
  if (v.place.latitude.trim() !== '' && !(Math.abs(lat) <= 90)) out.push('latitude');
  if (v.place.longitude.trim() !== '' && !(Math.abs(lon) <= 180)) out.push('longitude');
  return out;
}

/** longCodes are the positions in t.buttons of copy codes longer than Meta takes. */
export function longCodes(t: MessageTemplate, v: TemplateValues): number[] {
  return (t.buttons ?? []).flatMap((b, i) => (b.type === 'copy_code' && [...(v.buttons[i] ?? '').trim()].length > MAX_COPY_CODE ? [i] : []));
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

/**
 * buttonLinks are the buttons' labels with their links filled (unfilled {{1}} stays), or
 * for a copy code or one-time code the code itself ("…" while empty).
 */
export function buttonLinks(t: MessageTemplate, v: TemplateValues): { label: string; url: string }[] {
  return (t.buttons ?? []).map((b, i) => {
    const val = (v.buttons[i] ?? '').trim();
    return { label: b.text, url: b.type === 'copy_code' || b.type === 'otp' ? val || '…' : fill(b.url, [val]) };
  });
}

/**
 * preview is the message as approvers read it (Go's RenderSend): the media link, header,
 * body and footer filled, and each URL button with its filled link.
 */
export function preview(t: MessageTemplate, v: TemplateValues): string {
  let media = t.mediaFormat ? `[${t.mediaFormat}] ${v.mediaLink.trim() || '…'}` : '';
  if (t.mediaFormat === 'location') {
    const p = v.place ?? { latitude: '', longitude: '', name: '', address: '' };
    const coord = (s: string) => (Number.isNaN(degrees(s)) ? '…' : String(degrees(s)));
    media = `[location] ${p.name.trim() || '…'}, ${p.address.trim() || '…'} (${coord(p.latitude)}, ${coord(p.longitude)})`;
  }
  const buttons = buttonLinks(t, v).map((b) => `[${b.label}] ${b.url}`);
  return [media, fill(t.header, v.header), fill(t.body, bodyValues(t, v)), t.footer, ...buttons].filter((s) => s !== '').join('\n');
}

/** missingValues lists the values still empty, in the order the picker asks for them. */
export function missingValues(t: MessageTemplate, v: TemplateValues): Missing[] {
  const out: Missing[] = [];
  if (t.mediaFormat === 'location') {
    const p = v.place ?? { latitude: '', longitude: '', name: '', address: '' };
    if (!p.latitude.trim()) out.push({ part: 'latitude', n: 0 });
    if (!p.longitude.trim()) out.push({ part: 'longitude', n: 0 });
    if (!p.name.trim()) out.push({ part: 'placeName', n: 0 });
    if (!p.address.trim()) out.push({ part: 'address', n: 0 });
  } else if (t.mediaFormat && !v.mediaLink.trim()) out.push({ part: 'media', n: 0 });
  if (t.mediaFormat === 'document' && !v.mediaFilename.trim()) out.push({ part: 'filename', n: 0 });
  for (let i = 0; i < t.headerVars; i++) if (!(v.header[i] ?? '').trim()) out.push({ part: 'header', n: i + 1 });
  // The one-time code is asked once, at its button; the body's {{1}} is the same code.
  const first = otpButton(t) < 0 ? 0 : 1;
  for (let i = first; i < t.bodyVars; i++) if (!(v.body[i] ?? '').trim()) out.push({ part: 'body', n: i + 1 });
  for (let i = 0; i < (t.buttons?.length ?? 0); i++) if (!(v.buttons[i] ?? '').trim()) out.push({ part: 'button', n: i + 1 });
  return out;
}

/** badMediaLink: a media link is typed but is not a public https URL. */
export function badMediaLink(t: MessageTemplate, v: TemplateValues): boolean {
  return !!t.mediaFormat && t.mediaFormat !== 'location' && v.mediaLink.trim() !== '' && !httpsLink(v.mediaLink);
}

/** complete says every value is given (all are required), a media link is https, a place in range and each copy code short enough. */
export function complete(t: MessageTemplate, v: TemplateValues): boolean {
  return missingValues(t, v).length === 0 && !badMediaLink(t, v) && badPlace(t, v).length === 0 && longCodes(t, v).length === 0;
}

/** toReplyTemplate is what DraftTemplate receives: the values trimmed, each button by its index. */
export function toReplyTemplate(t: MessageTemplate, v: TemplateValues): ReplyTemplate {
  const trim = (xs: string[]) => xs.map((x) => x.trim());
  return {
    name: t.name,
    language: t.language,
    header: trim(v.header),
    body: trim(bodyValues(t, v)),
    // Go takes each button's sub_type from the template; it is sent as the template says.
    buttons: (t.buttons ?? []).map((b, i) => ({ index: b.index, type: b.type === 'copy_code' ? 'copy_code' : 'url', text: (v.buttons[i] ?? '').trim() })),
    media: { ...noMedia, ...toMedia(t, v) },
  };
}

const noMedia = { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' };

function toMedia(t: MessageTemplate, v: TemplateValues): Partial<typeof noMedia> {
  if (t.mediaFormat === 'location') {
    const p = v.place ?? { latitude: '', longitude: '', name: '', address: '' };
    return { format: 'location', latitude: degrees(p.latitude), longitude: degrees(p.longitude), name: p.name.trim(), address: p.address.trim() };
  }
  if (!t.mediaFormat) return {};
  return { format: t.mediaFormat, link: v.mediaLink.trim(), filename: t.mediaFormat === 'document' ? v.mediaFilename.trim() : '' };
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
