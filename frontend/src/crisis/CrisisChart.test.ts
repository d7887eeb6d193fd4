import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/svelte';
import { setLang } from '../lib/i18n';
import CrisisChart from './CrisisChart.svelte';

// uPlot failing to load (as it did in WebKitGTK under the C locale) must not
// leave an empty box under the legend without a word.
vi.mock('../lib/plot', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/plot')>()),
  loadUPlot: () => Promise.reject(new RangeError('invalid language tag: C')),
}));

describe('CrisisChart', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says why the chart could not be drawn', async () => {
    setLang('en');
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    const bin = { start: '2025-01-01T10:00:00Z', negative: 3, total: 9, baseline: 1, upper: 6, baselineTotal: 3, learning: false };
    const { findByRole } = render(CrisisChart, { series: [bin] });
    expect((await findByRole('alert')).textContent).toBe('The chart could not be drawn: invalid language tag: C');
  });
});
