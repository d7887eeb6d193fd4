import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const svc = vi.hoisted(() => {
  const names = ['ForwardRules', 'SaveForwardRule', 'DeleteForwardRule', 'TestForwardRule', 'ForwardConfig', 'SaveForwardConfig'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
});
vi.mock('../../wailsjs/go/main/ListeningService', () => svc);
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }));

import ForwardPanel from './ForwardPanel.svelte';
import { normalizeClock } from '../lib/clock';
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

  it.each([
    ['en', 'HH:MM', '24-hour time', 'is not a time'],
    ['ru', 'ЧЧ:ММ', '24-часовом формате', 'не время'],
    ['de', 'hh:mm', '24-Stunden-Format', 'keine Uhrzeit'],
  ] as const)('quiet hours are 24-hour HH:MM text with a hint in %s, normalized, and a wrong time is refused in the language', async (lang, placeholder, hint, refusal) => {
    setLang(lang);
    render(ForwardPanel, { topics });
    await screen.findByDisplayValue('-100123');
    const from = document.querySelector('[data-forward-quiet-from]') as HTMLInputElement;
    const to = document.querySelector('[data-forward-quiet-to]') as HTMLInputElement;
    // Not the browser's time control, whose 12-hour "--:-- PM" follows the system's locale.
    expect(from.type).toBe('text');
    expect(from.placeholder).toBe(placeholder);
    expect(to.placeholder).toBe(placeholder);
    expect(from.value).toBe('22:00');
    expect(document.getElementById(from.getAttribute('aria-describedby') ?? '')?.textContent).toContain(hint);
    expect(document.body.textContent).not.toMatch(/\b(AM|PM)\b/);

    await fireEvent.input(to, { target: { value: '7:30 PM' } });
    svc.SaveForwardRule.mockResolvedValue(undefined);
    const form = document.querySelector('[data-forward-rule]') as HTMLFormElement;
    await fireEvent.submit(form);
    const err = await waitFor(() => document.querySelector('[data-forward-clock-error]') as HTMLElement);
    expect(err.textContent).toContain(refusal);
    expect(err.textContent).toContain('7:30 PM');
    expect(svc.SaveForwardRule).not.toHaveBeenCalled();

    await fireEvent.input(from, { target: { value: '23.15' } });
    await fireEvent.input(to, { target: { value: '6:05' } });
    await fireEvent.submit(form);
    await waitFor(() => expect(svc.SaveForwardRule).toHaveBeenCalled());
    expect(svc.SaveForwardRule.mock.calls[0][0]).toMatchObject({ quietFrom: '23:15', quietTo: '06:05' });
    expect(document.querySelector('[data-forward-clock-error]')).toBeNull();
  });
});

describe('normalizeClock', () => {
  it.each([
    ['', ''], ['  ', ''], ['22:00', '22:00'], ['7:05', '07:05'], ['0705', '07:05'], ['23.59', '23:59'], ['00:00', '00:00'],
    ['24:00', null], ['12:60', null], ['7:5', null], ['7:30 PM', null], ['noon', null], ['12:30:00', null],
  ])('%j is %j', (input, want) => {
    expect(normalizeClock(input)).toBe(want);
  });
});
