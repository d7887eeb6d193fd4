import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import Highlight from '../ui/Highlight.svelte';
import { splitHighlights, stripHighlights } from './highlight';

describe('splitHighlights', () => {
  it('splits marked terms into mark segments', () => {
    expect(splitHighlights('my \u0002refund\u0003 for \u0002order\u0003 #1')).toEqual([
      { text: 'my ', mark: false },
      { text: 'refund', mark: true },
      { text: ' for ', mark: false },
      { text: 'order', mark: true },
      { text: ' #1', mark: false },
    ]);
  });

  it('drops stray and unbalanced markers without losing text', () => {
    expect(splitHighlights('a\u0003b\u0002c')).toEqual([
      { text: 'ab', mark: false },
      { text: 'c', mark: true },
    ]);
    expect(stripHighlights('\u0002x\u0003y')).toBe('xy');
  });
});

describe('Highlight component', () => {
  it('renders matches as <mark> and keeps markup in the snippet as text', () => {
    const snippet = '<script>alert(1)</script> please \u0002refund\u0003 <img src=x onerror=alert(2)> \u0002<b>now</b>\u0003';
    const { container } = render(Highlight, { snippet });
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    const marks = [...container.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).toEqual(['refund', '<b>now</b>']);
    expect(container.textContent).toContain('<script>alert(1)</script> please refund');
  });
});
