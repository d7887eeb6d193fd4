import { describe, expect, it } from 'vitest';
import { attachmentIcon, attachmentLabel, base64Bytes, canFetch, formatSize, kindOf, type Attachment } from './attachments';
import { setLang } from './i18n';

function att(extra: Partial<Attachment>): Attachment {
  return { name: '', contentType: '', size: 0, kind: '', ref: '', sha256: '', ...extra };
}

describe('attachments', () => {
  it.each([
    ['a WhatsApp voice note', att({ kind: 'audio', contentType: 'audio/ogg; codecs=opus', ref: '1483' }), 'audio', 'audio', 'Audio', true],
    ['a sticker reads as a sticker with the image icon', att({ kind: 'sticker', contentType: 'image/webp', ref: '1484' }), 'sticker', 'image', 'Sticker', true],
    ['a WhatsApp document keeps its name', att({ kind: 'document', name: 'pass.pdf', ref: '1482' }), 'document', 'file', 'pass.pdf', true],
    ['a Messenger file', att({ kind: 'file', name: 'boarding.pdf', ref: 'https://cdn.example/boarding.pdf' }), 'file', 'file', 'boarding.pdf', true],
    ['a mail image, kind from its content type, not fetchable', att({ name: ' ', contentType: 'image/png', size: 10 }), 'image', 'image', 'Image', false],
    ['a mail video', att({ contentType: 'VIDEO/mp4' }), 'video', 'video', 'Video', false],
    ['an unknown kind is a file', att({ kind: 'story_mention', ref: 'https://x/y' }), 'file', 'file', 'File', true],
  ])('%s', (_n, a, kind, icon, label, fetchable) => {
    setLang('en');
    expect(kindOf(a)).toBe(kind);
    expect(attachmentIcon(a)).toBe(icon);
    expect(attachmentLabel(a)).toBe(label);
    expect(canFetch(a)).toBe(fetchable);
  });

  it('names the kind in the reader’s language', () => {
    setLang('ru');
    expect(attachmentLabel(att({ kind: 'image' }))).toBe('Изображение');
    setLang('de');
    expect(attachmentLabel(att({ kind: 'document' }))).toBe('Dokument');
    setLang('en');
  });

  it.each([
    [0, ''],
    [-5, ''],
    [512, '512 B'],
    [1536, '2 KB'],
    [5 * 1024 * 1024 + 200 * 1024, '5.2 MB'],
  ])('size %d is %s', (n, want) => {
    setLang('en');
    expect(formatSize(n)).toBe(want);
  });

  it('decodes the bytes Go sends outside the window', () => {
    const bytes = base64Bytes(btoa(String.fromCharCode(0, 255, 128, 37, 80, 68, 70)));
    expect(Array.from(bytes)).toEqual([0, 255, 128, 37, 80, 68, 70]);
  });
});
