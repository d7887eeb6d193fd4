import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

// The generated binding is replaced; lib/api and the component are the real code.
const composeMock = vi.hoisted(() => ({ Templates: vi.fn(), DraftTemplate: vi.fn(), Step: vi.fn() }));
vi.mock('../../wailsjs/go/main/ComposeService', () => composeMock);

import TemplatePicker from './TemplatePicker.svelte';
import { setLang } from '../lib/i18n';

const refund = {
  name: 'refund_update', language: 'en_US', category: 'UTILITY', header: 'Booking {{1}}',
  body: 'Hello {{1}}, your refund of {{2}} is on its way.', footer: '', headerVars: 1, bodyVars: 2, buttons: [], mediaFormat: '',
};
const hello = { name: 'hello', language: 'de', category: 'UTILITY', header: '', body: 'Hallo {{1}}', footer: '', headerVars: 0, bodyVars: 1, buttons: [], mediaFormat: '' };
const ticket = {
  name: 'e_ticket', language: 'en', category: 'UTILITY', header: '', body: 'Your ticket, {{1}}.', footer: '', headerVars: 0, bodyVars: 1,
  buttons: [{ index: 2, type: 'url', text: 'Manage', url: 'https://aurora.example/manage/{{1}}' }], mediaFormat: 'document',
};

function reply(state: string) {
  return {
    id: 'r9', conversationId: 7, state, author: 'anna', draftText: 'x', text: 'Booking AB12\nHello Olga, your refund of €120 is on its way.',
    lang: 'en_US', source: 'template', aiAssisted: false, citations: [], problems: [], injection: [],
    approval: { needsApprover: false, twoPerson: false, reasons: [] }, approver: '', comment: '', failReason: '', externalId: '',
    idempotencyKey: '', updatedAt: '2026-12-03T10:00:00Z', allowed: [],
    template: { name: 'refund_update', language: 'en_US', header: ['AB12'], body: ['Olga', '€120'] },
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
});

describe('TemplatePicker', () => {
  it('needs every value, previews the message, and submits the template for approval', async () => {
    composeMock.Templates.mockResolvedValue([hello, refund]);
    composeMock.DraftTemplate.mockResolvedValue(reply('draft'));
    composeMock.Step.mockResolvedValue(reply('submitted'));
    const onsubmitted = vi.fn();
    render(TemplatePicker, { conversationId: 7, closed: true, onsubmitted });
    expect(screen.getByText(/Free text can no longer be sent here/)).toBeTruthy();
    const select = await screen.findByLabelText<HTMLSelectElement>('Template');
    await fireEvent.change(select, { target: { value: 'refund_update/en_US' } });
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Submit for approval' });
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Header value 1'), { target: { value: 'AB12' } });
    await fireEvent.input(screen.getByLabelText('Value 1'), { target: { value: 'Olga' } });
    expect(document.querySelector('[data-role=template-preview]')!.textContent).toBe('Booking AB12\nHello Olga, your refund of {{2}} is on its way.');
    expect(screen.getByText('Every value is required: 1 still empty.')).toBeTruthy();
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Value 2'), { target: { value: '€120' } });
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await waitFor(() => expect(onsubmitted).toHaveBeenCalledOnce());
    expect(composeMock.DraftTemplate).toHaveBeenCalledWith(7, {
      name: 'refund_update', language: 'en_US', header: ['AB12'], body: ['Olga', '€120'], buttons: [], media: { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' },
    });
    expect(composeMock.Step).toHaveBeenCalledWith(expect.objectContaining({ replyId: 'r9', action: 'submit' }));
    expect(onsubmitted.mock.calls[0][0].state).toBe('submitted');
    // No cancel after the window: the picker is the only way to answer.
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('asks for the document link, its file name and the button value, and previews the filled link', async () => {
    composeMock.Templates.mockResolvedValue([ticket]);
    composeMock.DraftTemplate.mockResolvedValue(reply('draft'));
    composeMock.Step.mockResolvedValue(reply('submitted'));
    const onsubmitted = vi.fn();
    render(TemplatePicker, { conversationId: 7, closed: true, onsubmitted });
    const link = await screen.findByLabelText<HTMLInputElement>('Document link');
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Submit for approval' });
    expect(link.required && screen.getByLabelText<HTMLInputElement>('File name').required && screen.getByLabelText<HTMLInputElement>('Button “Manage” value').required).toBe(true);
    await fireEvent.input(screen.getByLabelText('Value 1'), { target: { value: 'Olga' } });
    await fireEvent.input(screen.getByLabelText('Button “Manage” value'), { target: { value: 'AB12' } });
    await fireEvent.input(screen.getByLabelText('File name'), { target: { value: 'Ticket AB12.pdf' } });
    await fireEvent.input(link, { target: { value: 'http://cdn.example/t.pdf' } });
    expect(link.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Enter a full https address/)).toBeTruthy();
    expect(submit.disabled).toBe(true);
    await fireEvent.input(link, { target: { value: 'https://cdn.example/t.pdf' } });
    expect(submit.disabled).toBe(false);
    expect(document.querySelector('[data-role=template-preview]')!.textContent).toBe(
      '[document] https://cdn.example/t.pdf\nYour ticket, Olga.\n[Manage] https://aurora.example/manage/AB12',
    );
    await fireEvent.click(submit);
    await waitFor(() => expect(onsubmitted).toHaveBeenCalledOnce());
    expect(composeMock.DraftTemplate).toHaveBeenCalledWith(7, {
      name: 'e_ticket', language: 'en', header: [], body: ['Olga'], buttons: [{ index: 2, type: 'url', text: 'AB12' }],
      media: { format: 'document', link: 'https://cdn.example/t.pdf', filename: 'Ticket AB12.pdf', latitude: 0, longitude: 0, name: '', address: '' },
    });
  });

  it('asks a one-time code once, a copy code of at most 15 characters and a place in range', async () => {
    const login = {
      name: 'login_code', language: 'en', category: 'AUTHENTICATION', header: '', body: '*{{1}}* is your verification code.', footer: '',
      headerVars: 0, bodyVars: 1, buttons: [{ index: 0, type: 'otp', text: 'Copy code', url: '' }], mediaFormat: '',
    };
    const desk = {
      name: 'desk', language: 'en', category: 'UTILITY', header: '', body: 'Your desk.', footer: '', headerVars: 0, bodyVars: 0,
      buttons: [{ index: 1, type: 'copy_code', text: 'Copy offer', url: '' }], mediaFormat: 'location',
    };
    composeMock.Templates.mockResolvedValue([login, desk]);
    composeMock.DraftTemplate.mockResolvedValue(reply('draft'));
    composeMock.Step.mockResolvedValue(reply('submitted'));
    const onsubmitted = vi.fn();
    render(TemplatePicker, { conversationId: 7, closed: true, onsubmitted });
    const select = await screen.findByLabelText<HTMLSelectElement>('Template');
    await fireEvent.change(select, { target: { value: 'login_code/en' } });
    // The body's {{1}} is the code: only the code is asked.
    expect(screen.queryByLabelText('Value 1')).toBeNull();
    await fireEvent.input(screen.getByLabelText('One-time code'), { target: { value: '482913' } });
    expect(document.querySelector('[data-role=template-preview]')!.textContent).toBe('*482913* is your verification code.\n[Copy code] 482913');
    await fireEvent.click(screen.getByRole('button', { name: 'Submit for approval' }));
    await waitFor(() => expect(onsubmitted).toHaveBeenCalledOnce());
    expect(composeMock.DraftTemplate).toHaveBeenLastCalledWith(7, expect.objectContaining({ body: ['482913'], buttons: [{ index: 0, type: 'url', text: '482913' }] }));

    await fireEvent.change(select, { target: { value: 'desk/en' } });
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Submit for approval' });
    expect(screen.getByLabelText<HTMLInputElement>('Code for “Copy offer”').maxLength).toBe(15);
    await fireEvent.input(screen.getByLabelText('Code for “Copy offer”'), { target: { value: 'SPRING20' } });
    await fireEvent.input(screen.getByLabelText('Latitude'), { target: { value: '91' } });
    await fireEvent.input(screen.getByLabelText('Longitude'), { target: { value: '13,5' } });
    await fireEvent.input(screen.getByLabelText('Place name'), { target: { value: 'BER' } });
    await fireEvent.input(screen.getByLabelText('Address'), { target: { value: 'Melli-Beese-Ring 1' } });
    expect(screen.getByLabelText('Latitude').getAttribute('aria-invalid')).toBe('true');
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Latitude'), { target: { value: '52.4' } });
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await waitFor(() => expect(onsubmitted).toHaveBeenCalledTimes(2));
    expect(composeMock.DraftTemplate).toHaveBeenLastCalledWith(7, {
      name: 'desk', language: 'en', header: [], body: [], buttons: [{ index: 1, type: 'copy_code', text: 'SPRING20' }],
      media: { format: 'location', link: '', filename: '', latitude: 52.4, longitude: 13.5, name: 'BER', address: 'Melli-Beese-Ring 1' },
    });
  });

  it('says a refusal from Go in the user’s language', async () => {
    composeMock.Templates.mockResolvedValue([hello]);
    composeMock.DraftTemplate.mockRejectedValue('stormdesk-error:{"code":"template-missing","params":{"template":"hello"},"detail":"whatsapp 132001"}');
    setLang('de');
    const oncancel = vi.fn();
    render(TemplatePicker, { conversationId: 7, closed: false, onsubmitted: vi.fn(), oncancel });
    // One template is chosen at once.
    await fireEvent.input(await screen.findByLabelText('Wert 1'), { target: { value: 'Olga' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Zur Freigabe einreichen' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Diese Nachrichtenvorlage ist in dieser Sprache nicht genehmigt oder existiert nicht mehr.');
    await fireEvent.click(screen.getByRole('button', { name: 'Abbrechen' }));
    expect(oncancel).toHaveBeenCalledOnce();
  });

  it('a channel without templates says so', async () => {
    composeMock.Templates.mockRejectedValue('stormdesk-error:{"code":"template-unsupported","params":{"channel":"mastodon"},"detail":"x"}');
    render(TemplatePicker, { conversationId: 7, closed: false, onsubmitted: vi.fn() });
    expect((await screen.findByRole('alert')).textContent).toContain('This channel has no message templates.');
  });
});
