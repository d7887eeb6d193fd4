import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { slaState } from './sla';
import SlaBadge from '../ui/SlaBadge.svelte';

const now = Date.parse('2025-03-10T12:00:00Z');
const at = (mins: number) => new Date(now + mins * 60000).toISOString();

describe('slaState', () => {
  it.each([
    [null, 'none'],
    ['not a date', 'none'],
    [at(-90), 'overdue'],
    [at(0), 'overdue'],
    [at(1), 'soon'],
    [at(59), 'soon'],
    [at(60), 'ok'],
    [at(180), 'ok'],
  ] as const)('%s -> %s', (due, want) => {
    expect(slaState(due, now)).toBe(want);
  });
});

describe('SlaBadge', () => {
  it('shows red overdue, amber soon and a quiet countdown otherwise', () => {
    const overdue = render(SlaBadge, { due: at(-75), now });
    const el = overdue.container.querySelector('[data-state]')!;
    expect(el.getAttribute('data-state')).toBe('overdue');
    expect(el.classList.contains('sla-overdue')).toBe(true);
    expect(el.textContent).toContain('Overdue 1h 15m');

    const soon = render(SlaBadge, { due: at(20), now });
    expect(soon.container.querySelector('[data-state]')!.getAttribute('data-state')).toBe('soon');
    expect(soon.container.textContent).toContain('20m left');

    const ok = render(SlaBadge, { due: at(300), now });
    expect(ok.container.querySelector('[data-state]')!.getAttribute('data-state')).toBe('ok');
  });

  it('renders nothing without a deadline', () => {
    const { container } = render(SlaBadge, { due: null, now });
    expect(container.querySelector('[data-state]')).toBeNull();
  });
});
