// What the thread shows of a message's attachments (inbox/AttachmentChips.svelte):
// an icon and a label per attachment, whether it can be fetched from the platform,
// and the browser download of what InboxService.SaveAttachment fetched.
import type { inbox } from '../../wailsjs/go/models';
import type { Plain } from './api/types';
import type { IconName } from '../ui/Icon.svelte';
import { formatNumber, t, type Key } from './i18n';
import { downloadBlob } from '../analytics/download';

export type Attachment = Plain<inbox.Attachment>;

const KINDS = ['image', 'video', 'audio', 'document', 'sticker', 'file'] as const;
type Kind = (typeof KINDS)[number];

/** kindOf is the platform's kind, or one read from the content type (mail attachments have none). */
export function kindOf(a: Attachment): Kind {
  if ((KINDS as readonly string[]).includes(a.kind)) return a.kind as Kind;
  const top = a.contentType.split('/')[0]?.toLowerCase() ?? '';
  if (top === 'image' || top === 'video' || top === 'audio') return top;
  return 'file';
}

/** attachmentIcon is the chip's icon; it is decoration, the label says the kind. */
export function attachmentIcon(a: Attachment): IconName {
  switch (kindOf(a)) {
    case 'image':
    case 'sticker':
      return 'image';
    case 'video':
      return 'video';
    case 'audio':
      return 'audio';
    default:
      return 'file';
  }
}

/** kindLabel is the attachment's kind in the reader's language ("Image"). */
export function kindLabel(a: Attachment): string {
  return t(`media.kind.${kindOf(a)}` as Key);
}

/** attachmentLabel is what a chip reads: the file name, else the kind. */
export function attachmentLabel(a: Attachment): string {
  return a.name.trim() || kindLabel(a);
}

/**
 * attachmentsSnippet names a wordless message's attachments for the conversation list
 * ("Photo", "Voice message", "Document: boarding-pass.pdf", "… +1"); '' when there are none.
 * Only documents and files show their name: a photo's or voice note's file name says nothing.
 */
export function attachmentsSnippet(list: readonly Attachment[]): string {
  const first = list[0];
  if (!first) return '';
  const kind = kindOf(first);
  const name = first.name.trim();
  let label: string;
  if (kind === 'image') label = t('media.snippet.photo');
  else if (kind === 'audio') label = t('media.snippet.voice');
  else if (name && (kind === 'document' || kind === 'file')) label = t('media.snippet.named', { kind: kindLabel(first), name });
  else label = kindLabel(first);
  return list.length > 1 ? t('media.snippet.more', { label, n: list.length - 1 }) : label;
}

/** canFetch says the platform keeps the attachment for us to fetch (WhatsApp, Messenger, Instagram). */
export function canFetch(a: Attachment): boolean {
  return a.ref !== '';
}

/** formatSize says a size in B, KB or MB (1024-based, as file managers do); '' when unknown. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '';
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024))} KB`;
  return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

/** base64Bytes decodes the bytes Go sends outside the window. */
export function base64Bytes(data: string): Uint8Array<ArrayBuffer> {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** downloadBytes saves fetched bytes as a browser download (serve, a team server's page). */
export function downloadBytes(name: string, data: string, contentType: string): void {
  downloadBlob(name, new Blob([base64Bytes(data)], { type: contentType || 'application/octet-stream' }));
}
