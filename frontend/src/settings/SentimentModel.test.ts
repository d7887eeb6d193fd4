import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

const shipped = {
  origin: 'shipped',
  imported: false,
  name: 'Stormdesk default sentiment model',
  licence: 'commercial use allowed: every source permits it (see sources)',
  commercial: true,
  base: '',
  retrainedAt: null,
  sources: [{ name: 'GoEmotions', licence: 'Apache-2.0', url: 'https://example.org/goemotions', used: 'all', commercial: true, examples: 53240 }],
  evaluation: [{ set: 'de customer-service test', n: 62, accuracy: 0.871, macroF1NegVsNot: 0.901, macroF1: 0.869 }],
};
const research = {
  ...shipped,
  origin: 'imported',
  imported: true,
  name: 'Stormdesk research sentiment model (non-commercial)',
  licence: 'non-commercial research use only: derived from Twitter US Airline Sentiment (CC BY-NC-SA 4.0)',
  commercial: false,
  sources: [{ name: 'Twitter US Airline Sentiment', licence: 'CC BY-NC-SA 4.0', url: '', used: 'all', commercial: false, examples: 0 }],
  evaluation: [],
};

const modelsApi = vi.hoisted(() => ({
  sentimentModel: vi.fn(),
  importSentimentModel: vi.fn(),
  resetSentimentModel: vi.fn(),
  retrainSentiment: vi.fn(async () => 2),
}));
vi.mock('../lib/api/models', () => modelsApi);

import SentimentModel from './SentimentModel.svelte';
import { setLang } from '../lib/i18n';

describe('SentimentModel', () => {
  beforeEach(() => {
    modelsApi.sentimentModel.mockReset().mockResolvedValue(shipped);
    modelsApi.importSentimentModel.mockReset().mockResolvedValue(research);
    modelsApi.resetSentimentModel.mockReset().mockResolvedValue(shipped);
  });

  it('shows the shipped model with its licence, sources and figures', async () => {
    render(SentimentModel);
    const box = await screen.findByTestId('sentiment-model');
    expect(box.textContent).toContain('Stormdesk default sentiment model');
    expect(box.textContent).toContain('Commercial use allowed');
    expect(box.textContent).toContain('GoEmotions — Apache-2.0, 53,240 examples');
    expect(box.textContent).toContain('de customer-service test: 0.901');
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Use the shipped model' })).toBeNull();
  });

  it('says when the model was retrained in the page’s language, not the system’s', async () => {
    setLang('de');
    try {
      modelsApi.sentimentModel.mockResolvedValue({ ...shipped, origin: 'retrained', base: 'Stormdesk default sentiment model', retrainedAt: '2026-12-05T14:30:00Z' });
      render(SentimentModel);
      const box = await screen.findByTestId('sentiment-model');
      const when = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-12-05T14:30:00Z'));
      expect(box.textContent).toContain(`Stormdesk default sentiment model, neu trainiert ${when}`);
      expect(when).toMatch(/^05\.12\.2026/);
    } finally {
      setLang('en');
    }
  });

  it('imports a model file, warns that it is non-commercial, and resets', async () => {
    const { container } = render(SentimentModel);
    await screen.findByTestId('sentiment-model');
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File([new Uint8Array([0x1f, 0x8b, 0x08, 0xff])], 'research.bin.gz');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Imported “Stormdesk research sentiment model (non-commercial)”.');
    // The bytes reach Go unchanged, as base64.
    expect(modelsApi.importSentimentModel).toHaveBeenCalledWith(btoa(String.fromCharCode(0x1f, 0x8b, 0x08, 0xff)));
    expect((await screen.findByRole('note')).textContent).toContain('Not for commercial use');
    expect(screen.getByTestId('sentiment-model').textContent).toContain('CC BY-NC-SA 4.0');

    await fireEvent.click(screen.getByRole('button', { name: 'Use the shipped model' }));
    expect(modelsApi.resetSentimentModel).toHaveBeenCalled();
    expect((await screen.findByRole('status')).textContent).toBe('Back to the shipped model.');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('shows why an import was refused', async () => {
    modelsApi.importSentimentModel.mockRejectedValue(new Error('import sentiment model: not a Stormdesk sentiment model'));
    const { container } = render(SentimentModel);
    await screen.findByTestId('sentiment-model');
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['hello'], 'x.txt')], configurable: true });
    await fireEvent.change(input);
    expect((await screen.findByRole('alert')).textContent).not.toBe('');
    expect(screen.getByTestId('sentiment-model').textContent).toContain('Commercial use allowed');
  });
});
