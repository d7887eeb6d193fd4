import { describe, expect, it } from 'vitest';
import { attachmentsSnippet, type Attachment } from './attachments';
import { setLang, type Lang } from './i18n';

function att(extra: Partial<Attachment>): Attachment {
  return { name: '', contentType: '', size: 0, kind: '', ref: '', sha256: '', ...extra };
}

const photo = att({ kind: 'image', name: 'IMG_2031.jpg', contentType: 'image/jpeg' });
const voice = att({ kind: 'audio', contentType: 'audio/ogg' });
const pass = att({ kind: 'document', name: 'boarding-pass.pdf', contentType: 'application/pdf' });

// The conversation list's snippet of a message without words names its attachment.
describe('attachmentsSnippet', () => {
  it.each<[string, Lang, Attachment[], string]>([
    ['nothing to name', 'en', [], ''],
    ['a photo, not its file name', 'en', [photo], 'Photo'],
    ['a voice note', 'en', [voice], 'Voice message'],
    ['a document with its name', 'en', [pass], 'Document: boarding-pass.pdf'],
    ['a document without a name', 'en', [att({ kind: 'document', name: '  ' })], 'Document'],
    ['a Messenger file with its name', 'en', [att({ kind: 'file', name: 'receipt.png' })], 'File: receipt.png'],
    ['a mail image, kind from its content type', 'en', [att({ contentType: 'image/png', name: 'x.png' })], 'Photo'],
    ['a sticker', 'en', [att({ kind: 'sticker' })], 'Sticker'],
    ['more than one: the first and how many more', 'en', [pass, photo, voice], 'Document: boarding-pass.pdf +2'],
    ['Russian photo', 'ru', [photo], 'Фото'],
    ['Russian voice note', 'ru', [voice], 'Голосовое сообщение'],
    ['Russian document', 'ru', [pass], 'Документ: boarding-pass.pdf'],
    ['German photo', 'de', [photo], 'Foto'],
    ['German voice note', 'de', [voice], 'Sprachnachricht'],
    ['German document', 'de', [pass, voice], 'Dokument: boarding-pass.pdf +1'],
  ])('%s', (_n, lang, list, want) => {
    setLang(lang);
    expect(attachmentsSnippet(list)).toBe(want);
  });
});
