import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const svc = vi.hoisted(() => {
  const names = ['ForwardRules', 'SaveForwardRule', 'DeleteForwardRule', 'TestForwardRule', 'ForwardConfig', 'SaveForwardConfig'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
vi.mock('../../wailsjs/go/main/ListeningService', () => svc);
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }));

import ForwardPanel from './ForwardPanel.svelte';
import { setLang } from '../lib/i18n';

const topics = [
  { id: 1, name: 'Aurora Air', query: 'aurora', kind: 'brand' as const, enabled: true, createdAt: '' },
  { id: 2, name: 'SkyJet', query: 'skyjet', kind: 'competitor' as const, enabled: true, createdAt: '' },
];
const rule = {
  topicId: 1, what: 'digest', chatIds: [-100123], emails: null, digestHour: 8, timeZone: 'Europe/Berlin', quietFrom: '22:00', quietTo: '07:00',
  lang: 'ru', errorCode: 'not-allowed', errorParams: {}, errorDetail: 'Forbidden: bot was blocked by the user',
};

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  svc.ForwardConfig.mockResolvedValue({ smtpHost: 'smtp.example.com', smtpPort: 587, smtpTls: 'starttls', smtpUser: 'u', from: 'A <a@example.com>', hasBotToken: true, hasPassword: false });
  svc.ForwardRules.mockResolvedValue([rule]);
});

describe('ForwardPanel', () => {
  it('shows a topic’s rule with its last error in the user’s language and saves the edited rule', async () => {
    setLang('de');
    render(ForwardPanel, { topics });
    await screen.findByDisplayValue('-100123');
    expect(screen.getByDisplayValue('Europe/Berlin')).toBeTruthy();
    const err = document.querySelector('[data-forward-error]') as HTMLElement;
    expect(err.textContent).toContain('Letzte Weiterleitung fehlgeschlagen');
    expect(err.textContent).not.toContain('Forbidden');
    // The stored bot token is not shown back, only that one is stored.
    const token = screen.getByLabelText('Telegram-Bot-Token') as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.placeholder).toContain('gespeichert');

    await fireEvent.input(screen.getByLabelText('E-Mail-Adressen (durch Komma getrennt)'), { target: { value: 'pr@example.com, ceo@example.com' } });
    svc.SaveForwardRule.mockResolvedValue(undefined);
    await fireEvent.click(screen.getByRole('button', { name: 'Regel speichern' }));
    await waitFor(() => expect(svc.SaveForwardRule).toHaveBeenCalled());
    const saved = svc.SaveForwardRule.mock.calls[0][0];
    expect(saved).toMatchObject({ topicId: 1, what: 'digest', chatIds: [-100123], emails: ['pr@example.com', 'ceo@example.com'], digestHour: 8, lang: 'ru', quietFrom: '22:00' });
  });

  it('sends a test message and says so; a failure is worded from its code', async () => {
    setLang('en');
    svc.ForwardRules.mockResolvedValue([{ ...rule, errorCode: '' }]);
    render(ForwardPanel, { topics });
    const btn = await screen.findByRole('button', { name: 'Send a test message' });
    svc.TestForwardRule.mockResolvedValue(undefined);
    await fireEvent.click(btn);
    await waitFor(() => expect(svc.TestForwardRule).toHaveBeenCalledWith(1));
    await screen.findByText('Test message sent.');

    svc.TestForwardRule.mockRejectedValue('stormdesk-error:{"code":"not-configured","params":{"what":"telegram"},"detail":"no bot"}');
    await fireEvent.click(btn);
    await waitFor(() => expect((document.querySelector('[data-forward-status]') as HTMLElement).textContent).not.toBe('Test message sent.'));
    expect((document.querySelector('[data-forward-status]') as HTMLElement).textContent).not.toContain('no bot');
  });

  it('a topic without a rule offers none to test', async () => {
    setLang('en');
    svc.ForwardRules.mockResolvedValue([]);
    render(ForwardPanel, { topics });
    await screen.findByText('No forwarding for this topic.');
    expect(screen.queryByRole('button', { name: 'Send a test message' })).toBeNull();
  });
});
