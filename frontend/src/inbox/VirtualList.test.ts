import { describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import Harness from '../test/VirtualListHarness.svelte';

const N = 100_000;
const items = Array.from({ length: N }, (_, i) => i);

function rows(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.r')].map((r) => r.textContent!.trim());
}

describe('VirtualList', () => {
  it('renders only a window of rows for 100k items, with the full scroll height', () => {
    const { container, getByTestId } = render(Harness, { items });
    const r = rows(container);
    expect(r.length).toBeGreaterThan(5);
    expect(r.length).toBeLessThan(30);
    expect(r[0]).toBe('Row 0');
    expect(r).not.toContain(`Row ${N - 1}`);
    const inner = getByTestId('vl').firstElementChild as HTMLElement;
    expect(inner.style.height).toBe(`${N * 72}px`);
  });

  it('renders the rows at the scroll position after scrolling', async () => {
    const { container, getByTestId } = render(Harness, { items });
    const vl = getByTestId('vl');
    vl.scrollTop = 50_000 * 72;
    vl.dispatchEvent(new Event('scroll'));
    await tick();
    const r = rows(container);
    expect(r).toContain('Row 50000');
    expect(r).toContain('Row 50009');
    expect(r).not.toContain('Row 0');
    expect(r.length).toBeLessThan(30);
    const first = [...container.querySelectorAll('.r')].find((e) => e.textContent === 'Row 50000')!;
    expect((first.parentElement as HTMLElement).style.top).toBe(`${50_000 * 72}px`);
  });

  it('asks for more only near the end', async () => {
    const onEndReached = vi.fn();
    const { getByTestId } = render(Harness, { items, onEndReached });
    await tick();
    expect(onEndReached).not.toHaveBeenCalled();
    const vl = getByTestId('vl');
    vl.scrollTop = (N - 12) * 72;
    vl.dispatchEvent(new Event('scroll'));
    await tick();
    expect(onEndReached).toHaveBeenCalled();
  });

  it('scrolls the active row into view', async () => {
    const { container, rerender } = render(Harness, { items, activeIndex: 0 });
    await rerender({ items, activeIndex: 2000 });
    await tick();
    expect(rows(container)).toContain('Row 2000');
  });
});
