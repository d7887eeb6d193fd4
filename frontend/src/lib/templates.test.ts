import { describe, expect, it } from 'vitest';
import {
  badMediaLink, blocksReply, complete, emptyValues, fill, httpsLink, missingValues, preview, templateKey, toReplyTemplate, windowClosed, type MessageTemplate,
} from './templates';

const refund: MessageTemplate = {
  name: 'refund_update',
  language: 'en_US',
  category: 'UTILITY',
  header: 'Booking {{1}}',
  body: 'Hello {{1}}, your refund of {{2}} is on its way.',
  footer: 'Aurora Air',
  headerVars: 1,
  bodyVars: 2,
  buttons: [],
  mediaFormat: '',
};

const track: MessageTemplate = {
  name: 'track_order',
  language: 'en',
  category: 'UTILITY',
  header: '',
  body: 'Hello {{1}}, your order has shipped.',
  footer: '',
  headerVars: 0,
  bodyVars: 1,
  buttons: [{ index: 1, text: 'Track', url: 'https://aurora.example/track/{{1}}' }],
  mediaFormat: '',
};

const pass: MessageTemplate = { ...track, name: 'boarding_pass', body: 'Your boarding pass for {{1}}.', buttons: [], mediaFormat: 'document' };
const none = { buttons: [], mediaLink: '', mediaFilename: '' };

const coded = (code: string, params: Record<string, string>) => 'stormdesk-error:' + JSON.stringify({ code, params, detail: 'x' });

describe('template values', () => {
  it('starts with one empty value per variable', () => {
    expect(emptyValues(refund)).toEqual({ header: [''], body: ['', ''], ...none });
    expect(emptyValues(track)).toEqual({ header: [], body: [''], buttons: [''], mediaLink: '', mediaFilename: '' });
  });

  it('lists the empty values and is complete only when every one is given', () => {
    const v = { header: ['AB12'], body: ['Olga', '  '], ...none };
    expect(missingValues(refund, v)).toEqual([{ part: 'body', n: 2 }]);
    expect(complete(refund, v)).toBe(false);
    expect(complete(refund, { header: ['AB12'], body: ['Olga', '€120'], ...none })).toBe(true);
    expect(missingValues(refund, emptyValues(refund))).toHaveLength(3);
  });

  it('previews the filled message and keeps unfilled placeholders visible', () => {
    expect(preview(refund, { header: ['AB12'], body: ['Olga', ''], ...none })).toBe('Booking AB12\nHello Olga, your refund of {{2}} is on its way.\nAurora Air');
    expect(fill('{{ 1 }} and {{2}}', ['a', 'b'])).toBe('a and b');
  });

  it('inserts a value as text, not as another placeholder', () => {
    expect(fill('{{1}} / {{2}}', ['{{2}}', 'x'])).toBe('{{2}} / x');
  });

  it('names a template by name and language', () => {
    expect(templateKey(refund)).toBe('refund_update/en_US');
  });
});

describe('button values and media links', () => {
  it('asks for each URL button value and previews the filled link', () => {
    const v = emptyValues(track);
    v.body[0] = 'Olga';
    expect(missingValues(track, v)).toEqual([{ part: 'button', n: 1 }]);
    expect(preview(track, v)).toBe('Hello Olga, your order has shipped.\n[Track] https://aurora.example/track/{{1}}');
    v.buttons[0] = ' AB12 ';
    expect(complete(track, v)).toBe(true);
    expect(preview(track, v)).toBe('Hello Olga, your order has shipped.\n[Track] https://aurora.example/track/AB12');
    expect(toReplyTemplate(track, v)).toEqual({
      name: 'track_order', language: 'en', header: [], body: ['Olga'], buttons: [{ index: 1, text: 'AB12' }], media: { format: '', link: '', filename: '' },
    });
  });

  it('asks a document header for an https link and a file name', () => {
    const v = { ...emptyValues(pass), body: ['AU 214'] };
    expect(missingValues(pass, v)).toEqual([{ part: 'media', n: 0 }, { part: 'filename', n: 0 }]);
    v.mediaLink = 'http://cdn.example/pass.pdf';
    v.mediaFilename = 'pass.pdf';
    expect(badMediaLink(pass, v)).toBe(true);
    expect(complete(pass, v)).toBe(false);
    v.mediaLink = ' https://cdn.example/pass.pdf ';
    expect(complete(pass, v)).toBe(true);
    expect(preview(pass, v)).toBe('[document] https://cdn.example/pass.pdf\nYour boarding pass for AU 214.');
    expect(toReplyTemplate(pass, v).media).toEqual({ format: 'document', link: 'https://cdn.example/pass.pdf', filename: 'pass.pdf' });
    // An image takes no file name.
    const img = { ...pass, mediaFormat: 'image' };
    expect(missingValues(img, { ...v, mediaFilename: '' })).toEqual([]);
    expect(toReplyTemplate(img, v).media.filename).toBe('');
  });

  it('takes only absolute https links without credentials', () => {
    for (const ok of ['https://cdn.example/a.png', 'https://cdn.example:8443/a%20b.pdf?x=1']) expect(httpsLink(ok), ok).toBe(true);
    for (const bad of ['', 'http://cdn.example/a.png', '/a.png', 'cdn.example/a.png', 'https://u:p@cdn.example/a.png', 'https://cdn.example/a b.png', 'ftp://x/a']) {
      expect(httpsLink(bad), bad).toBe(false);
    }
  });
});

describe('the window and the picker', () => {
  const closedAt = coded('not-allowed', { rule: 'messaging-window', closedAt: '2026-12-02T10:00:00Z' });
  it('reads a closed messaging window from the send check', () => {
    expect(windowClosed(closedAt)).toBe(true);
    expect(windowClosed(coded('demo-account', {}))).toBe(false);
    expect(windowClosed(coded('not-allowed', { rule: 'platform' }))).toBe(false);
    expect(windowClosed('')).toBe(false);
    expect(windowClosed('plain text')).toBe(false);
  });

  it('lets a template reply through a closed window but nothing else', () => {
    expect(blocksReply(closedAt, true)).toBe(false);
    expect(blocksReply(closedAt, false)).toBe(true);
    expect(blocksReply(coded('demo-account', {}), true)).toBe(true);
    expect(blocksReply('', false)).toBe(false);
  });
});
