import { describe, expect, it } from 'vitest';
import { complete, mentionQuery, segments, suggestions } from './mentions';

const team = ['Ann', 'Ann Lee', 'Pete Lee', 'Jörg', 'Дарья', 'x'];

/** mentioned lists [name, text as written] of each mention, like Go's Find spans. */
function mentioned(text: string): [string, string][] {
  return segments(text, team)
    .filter((s) => s.mention)
    .map((s) => [s.mention!, s.text]);
}

describe('segments', () => {
  // The same cases as backend/mentions TestFind: both sides must agree.
  it.each([
    ['no mention here', []],
    ['@Ann please look', [['Ann', '@Ann']]],
    ['ask @Ann Lee today', [['Ann Lee', '@Ann Lee']]],
    ['ask @Ann Leeds', [['Ann', '@Ann']]],
    ['@pete lee and @ANN', [['Pete Lee', '@pete lee'], ['Ann', '@ANN']]],
    ['@Annabel is not a member', []],
    ['thanks, @Ann!', [['Ann', '@Ann']]],
    ['@Bob and @ann', [['Ann', '@ann']]],
    ['write to ann@Ann.example', []],
    ['@JÖRG hier', [['Jörg', '@JÖRG']]],
    ['@дарья, посмотри', [['Дарья', '@дарья']]],
    ['cc @Pete Lee', [['Pete Lee', '@Pete Lee']]],
    ['@ @', []],
    ['@Ann @Ann', [['Ann', '@Ann'], ['Ann', '@Ann']]],
    ['@x y', [['x', '@x']]],
  ] as [string, [string, string][]][])('%s', (text, want) => {
    expect(mentioned(text)).toEqual(want);
  });

  it('keeps every character of the text, in order', () => {
    const text = 'hi @Ann Lee, see @Bob and @pete lee.';
    const segs = segments(text, team);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs).toEqual([
      { text: 'hi ' },
      { text: '@Ann Lee', mention: 'Ann Lee' },
      { text: ', see @Bob and ' },
      { text: '@pete lee', mention: 'Pete Lee' },
      { text: '.' },
    ]);
  });

  it('is all plain text without names', () => {
    expect(segments('@Ann', [])).toEqual([{ text: '@Ann' }]);
    expect(segments('', team)).toEqual([]);
  });
});

describe('autocomplete', () => {
  it('finds the @ being typed, names with spaces included', () => {
    expect(mentionQuery('hello @An', 9)).toEqual({ start: 6, query: 'An' });
    expect(mentionQuery('@Pete L', 7)).toEqual({ start: 0, query: 'Pete L' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
  });

  it('ignores an @ inside a word, across lines, or far behind', () => {
    expect(mentionQuery('ann@exa', 7)).toBeNull();
    expect(mentionQuery('@Ann\nnext', 9)).toBeNull();
    expect(mentionQuery('@ Ann', 5)).toBeNull();
    expect(mentionQuery('no at sign', 10)).toBeNull();
    expect(mentionQuery('@' + 'a'.repeat(41), 42)).toBeNull();
  });

  it('suggests the names starting with the query, shortest first', () => {
    expect(suggestions(team, 'an')).toEqual(['Ann', 'Ann Lee']);
    expect(suggestions(team, 'ANN L')).toEqual(['Ann Lee']);
    expect(suggestions(team, 'zz')).toEqual([]);
    expect(suggestions(team, '', 2)).toEqual(['x', 'Ann']);
  });

  it('replaces the query with the name and puts the caret after it', () => {
    const text = 'ask @an about it';
    const q = mentionQuery(text, 7)!;
    expect(complete(text, q, 7, 'Ann Lee')).toEqual({ text: 'ask @Ann Lee about it', caret: 13 });
    expect(complete('@pe', { start: 0, query: 'pe' }, 3, 'Pete Lee')).toEqual({ text: '@Pete Lee ', caret: 10 });
  });
});
