import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { render } from '@testing-library/svelte';
import LoopHealthBanner from './LoopHealthBanner.svelte';
import LiveAnnouncer from './LiveAnnouncer.svelte';
import type { AppInfo, LoopHealth } from '../lib/api';
import { inbox } from '../lib/stores.svelte';
import { setLang, translate } from '../lib/i18n';

const info: AppInfo = { version: '', commit: '', date: '', dbPath: '', me: 'alex', role: 'agent', demo: false, team: false, actions: [], loops: [] };

function crisisDown(o: Partial<LoopHealth> = {}): LoopHealth {
  const failed = Date.now();
  return {
    loop: 'crisis',
    state: 'restarting',
    lastError: 'panic: index out of range [-1]',
    failedAt: new Date(failed).toISOString(),
    restarts: 0,
    restartAt: new Date(failed + 30_000).toISOString(),
    recovered: false,
    ...o,
  };
}

describe('LoopHealthBanner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    inbox.info = null;
    vi.useRealTimers();
    vi.restoreAllMocks();
    setLang('en');
  });

  it('shows nothing while every loop runs', () => {
    inbox.info = { ...info, loops: [crisisDown({ state: 'running', restartAt: null, restarts: 1 })] };
    const { container } = render(LoopHealthBanner);
    expect(container.querySelector('[data-role=loop-health]')).toBeNull();
  });

  it('says which task stopped and when it restarts, with the error under Details, in the language chosen', () => {
    inbox.info = { ...info, loops: [crisisDown()] };
    const { container } = render(LoopHealthBanner);
    const notice = container.querySelector('[data-loop=crisis]');
    expect(notice?.querySelector('[data-role=error-message]')?.textContent).toMatch(/^Crisis detection stopped after an error and restarts at .* \(in 30 seconds\)\.$/);
    const details = notice?.querySelector('details');
    expect(details?.querySelector('summary')?.textContent).toBe(translate('en', 'error.details'));
    expect(details?.textContent).toContain('panic: index out of range [-1]');
    setLang('ru');
    flushSync();
    expect(notice?.textContent).toContain('Обнаружение кризисов: работа остановлена из-за ошибки');
  });

  it('counts down, and asks Go again once the restart is due', () => {
    const refresh = vi.spyOn(inbox, 'refreshInfo').mockImplementation(() => {});
    inbox.info = { ...info, loops: [crisisDown()] };
    const { container } = render(LoopHealthBanner);
    vi.advanceTimersByTime(10_000);
    flushSync();
    expect(container.textContent).toContain('(in 20 seconds)');
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(21_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Go answers that the task runs again: the notice goes.
    inbox.info = { ...info, loops: [crisisDown({ state: 'running', restartAt: null, restarts: 1 })] };
    flushSync();
    expect(container.querySelector('[data-role=loop-health]')).toBeNull();
  });

  it('hides a notice with its button until the task fails again', () => {
    const first = crisisDown({ state: 'stopped', restartAt: null });
    inbox.info = { ...info, loops: [first] };
    const { container } = render(LoopHealthBanner);
    const hide = container.querySelector<HTMLButtonElement>('[data-loop=crisis] button.close');
    expect(hide?.getAttribute('aria-label')).toBe(translate('en', 'loops.hide'));
    expect(hide?.type).toBe('button'); // a real button: Tab reaches it, Enter and Space press it
    hide?.click();
    flushSync();
    expect(container.querySelector('[data-role=loop-health]')).toBeNull();
    inbox.info = { ...info, loops: [{ ...first, failedAt: new Date(Date.now() + 60_000).toISOString() }] };
    flushSync();
    expect(container.querySelector('[data-loop=crisis]')).not.toBeNull();
  });
});

describe('LiveAnnouncer and the loops', () => {
  afterEach(() => {
    inbox.info = null;
  });

  it('says each failure once, as the notice is no live region', () => {
    const { container } = render(LiveAnnouncer);
    const polite = container.querySelector('[data-live=polite]');
    const down = crisisDown({ state: 'stopped', restartAt: null });
    inbox.info = { ...info, loops: [down] };
    flushSync();
    expect(polite?.textContent).toBe('Crisis detection stopped after an error and runs again when Stormdesk is restarted.');
    polite!.textContent = ''; // what is said again would show here
    inbox.info = { ...info, loops: [down] };
    flushSync();
    expect(polite?.textContent).toBe('');
  });
});
