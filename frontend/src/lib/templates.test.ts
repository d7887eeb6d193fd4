import { describe, expect, it } from 'vitest';
import { blocksReply, complete, emptyValues, fill, missingValues, preview, templateKey, windowClosed, type MessageTemplate } from './templates';

const refund: MessageTemplate = {
  name: 'refund_update',
  language: 'en_US',
  category: 'UTILITY',
  header: 'Booking {{1}}',
  body: 'Hello {{1}}, your refund of {{2}} is on its way.',
  footer: 'Aurora Air',
  headerVars: 1,
  bodyVars: 2,
};

const coded = (code: string, params: Record<string, string>) => 'stormdesk-error:' + JSON.stringify({ code, params, detail: 'x' });

describe('template values', () => {
  it('starts with one empty value per variable', () => {
    expect(emptyValues(refund)).toEqual({ header: [''], body: ['', ''] });
  });

  it('lists the empty values and is complete only when every one is given', () => {
    const v = { header: ['AB12'], body: ['Olga', '  '] };
    expect(missingValues(refund, v)).toEqual([{ part: 'body', n: 2 }]);
    expect(complete(refund, v)).toBe(false);
    expect(complete(refund, { header: ['AB12'], body: ['Olga', '€120'] })).toBe(true);
    expect(missingValues(refund, emptyValues(refund))).toHaveLength(3);
  });

  it('previews the filled message and keeps unfilled placeholders visible', () => {
    expect(preview(refund, { header: ['AB12'], body: ['Olga', ''] })).toBe('Booking AB12\nHello Olga, your refund of {{2}} is on its way.\nAurora Air');
    expect(fill('{{ 1 }} and {{2}}', ['a', 'b'])).toBe('a and b');
  });

  it('inserts a value as text, not as another placeholder', () => {
    expect(fill('{{1}} / {{2}}', ['{{2}}', 'x'])).toBe('{{2}} / x');
  });

  it('names a template by name and language', () => {
    expect(templateKey(refund)).toBe('refund_update/en_US');
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
