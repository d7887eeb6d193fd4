import { describe, expect, it } from 'vitest';
import {
  badMediaLink, badPlace, blocksReply, degrees, longCodes, complete, emptyValues, fill, httpsLink, missingValues, preview, templateKey, toReplyTemplate, windowClosed, type MessageTemplate,
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
  buttons: [{ index: 1, type: 'url', text: 'Track', url: 'https://aurora.example/track/{{1}}' }],
  mediaFormat: '',
};

const pass: MessageTemplate = { ...track, name: 'boarding_pass', body: 'Your boarding pass for {{1}}.', buttons: [], mediaFormat: 'document' };
const none = { buttons: [], mediaLink: '', mediaFilename: '' };
const noMedia = { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' };

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
      name: 'track_order', language: 'en', header: [], body: ['Olga'], buttons: [{ index: 1, type: 'url', text: 'AB12' }], media: { ...noMedia },
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
    expect(toReplyTemplate(pass, v).media).toEqual({ ...noMedia, format: 'document', link: 'https://cdn.example/pass.pdf', filename: 'pass.pdf' });
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

const sale: MessageTemplate = {
  ...track,
  name: 'spring_sale',
  body: 'Hello {{1}}, 20% off your next flight.',
  buttons: [
    { index: 1, type: 'copy_code', text: 'Copy offer code', url: '' },
    { index: 2, type: 'url', text: 'Book', url: 'https://aurora.example/book/{{1}}' },
  ],
};
const login: MessageTemplate = {
  ...track,
  name: 'login_code',
  category: 'AUTHENTICATION',
  body: '*{{1}}* is your verification code.',
  buttons: [{ index: 0, type: 'otp', text: 'Copy code', url: '' }],
};
const desk: MessageTemplate = { ...track, name: 'checkin_desk', body: 'Hello {{1}}, your desk is here.', buttons: [], mediaFormat: 'location' };

describe('copy codes, one-time codes and places', () => {
  it('asks a copy code of at most 15 characters and sends it as copy_code', () => {
    const v = { ...emptyValues(sale), body: ['Olga'] };
    expect(missingValues(sale, v)).toEqual([{ part: 'button', n: 1 }, { part: 'button', n: 2 }]);
    v.buttons = ['SPRING2026SALE20', 'AB12'];
    expect(longCodes(sale, v)).toEqual([0]);
    expect(complete(sale, v)).toBe(false);
    v.buttons[0] = ' SPRING20 ';
    expect(complete(sale, v)).toBe(true);
    expect(preview(sale, v)).toBe('Hello Olga, 20% off your next flight.\n[Copy offer code] SPRING20\n[Book] https://aurora.example/book/AB12');
    expect(toReplyTemplate(sale, v).buttons).toEqual([
      { index: 1, type: 'copy_code', text: 'SPRING20' },
      { index: 2, type: 'url', text: 'AB12' },
    ]);
  });

  it('asks the one-time code once and sends it as the url button and the body', () => {
    const v = emptyValues(login);
    expect(missingValues(login, v)).toEqual([{ part: 'button', n: 1 }]);
    expect(preview(login, v)).toBe('*{{1}}* is your verification code.\n[Copy code] …');
    v.buttons[0] = ' 482913 ';
    expect(complete(login, v)).toBe(true);
    expect(preview(login, v)).toBe('*482913* is your verification code.\n[Copy code] 482913');
    const r = toReplyTemplate(login, v);
    expect(r.body).toEqual(['482913']);
    expect(r.buttons).toEqual([{ index: 0, type: 'url', text: '482913' }]);
  });

  it('asks a place with coordinates in range, a name and an address', () => {
    const v = { ...emptyValues(desk), body: ['Olga'] };
    expect(missingValues(desk, v).map((m) => m.part)).toEqual(['latitude', 'longitude', 'placeName', 'address']);
    v.place = { latitude: '90.5', longitude: '-181', name: 'BER Terminal 1', address: 'Melli-Beese-Ring 1' };
    expect(badPlace(desk, v)).toEqual(['latitude', 'longitude']);
    expect(complete(desk, v)).toBe(false);
    v.place = { ...v.place, latitude: '52,3667', longitude: ' 13.5033 ' };
    expect(badPlace(desk, v)).toEqual([]);
    expect(complete(desk, v)).toBe(true);
    expect(preview(desk, v)).toBe('[location] BER Terminal 1, Melli-Beese-Ring 1 (52.3667, 13.5033)\nHello Olga, your desk is here.');
    expect(toReplyTemplate(desk, v).media).toEqual({ ...noMedia, format: 'location', latitude: 52.3667, longitude: 13.5033, name: 'BER Terminal 1', address: 'Melli-Beese-Ring 1' });
    // The equator and the prime meridian are a place; words are not coordinates.
    v.place = { ...v.place, latitude: '0', longitude: '-0' };
    expect(complete(desk, v)).toBe(true);
    v.place = { ...v.place, latitude: 'north' };
    expect(badPlace(desk, v)).toEqual(['latitude']);
    for (const [s, want] of [['-33.87', -33.87], ['+151', 151], ['.5', 0.5], ['1e3', NaN], ['', NaN], ['1.2.3', NaN]] as const) {
      expect(degrees(s), s).toBe(want);
    }
  });
});
