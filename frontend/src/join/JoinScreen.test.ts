import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

// The generated binding is replaced; lib/api/join.ts and the component are the real code.
const joinMock = vi.hoisted(() => ({ State: vi.fn(), Probe: vi.fn(), Join: vi.fn(), WorkAlone: vi.fn(), Leave: vi.fn() }));
vi.mock('../../wailsjs/go/main/JoinService', () => joinMock);
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: () => () => {} }));

import JoinScreen from './JoinScreen.svelte';
import { joinState, type JoinState } from '../lib/api/join';
import { setLang } from '../lib/i18n';

const FP = 'AB:'.repeat(31) + 'AB';
const coded = (code: string, params: Record<string, string> = {}) => `stormdesk-error:${JSON.stringify({ code, params, detail: code })}`;
const unset: JoinState = { mode: '', offer: true, canJoin: true, server: '', fingerprint: '', member: '', role: '', url: '', error: '' };

let replaced: string[] = [];

beforeEach(() => {
  vi.resetAllMocks();
  setLang('en');
  (globalThis as { go?: unknown }).go = { main: { JoinService: {} } };
  replaced = [];
  Object.defineProperty(window, 'location', { configurable: true, value: { ...window.location, replace: (u: string) => replaced.push(u), reload: vi.fn() } });
});

afterEach(() => {
  delete (globalThis as { go?: unknown }).go;
});

async function fillTokenForm(server: string, token: string) {
  await fireEvent.click(screen.getByRole('button', { name: 'Join a team' }));
  await fireEvent.input(screen.getByLabelText('Server address'), { target: { value: server } });
  await fireEvent.click(screen.getByLabelText('Access token'));
  await fireEvent.input(screen.getByLabelText(/^Access token/, { selector: 'input[name=token]' }), { target: { value: token } });
}

describe('JoinScreen', () => {
  it('focuses Work alone and records it', async () => {
    joinMock.WorkAlone.mockResolvedValue({ ...unset, mode: 'alone', offer: false });
    const onalone = vi.fn();
    render(JoinScreen, { state: unset, onalone });
    const alone = screen.getByRole('button', { name: 'Work alone' });
    await waitFor(() => expect(document.activeElement).toBe(alone));
    await fireEvent.click(alone);
    await waitFor(() => expect(onalone).toHaveBeenCalledOnce());
    expect(joinMock.WorkAlone).toHaveBeenCalledOnce();
  });

  it('asks to compare an untrusted certificate, then joins with the token and opens the team page', async () => {
    joinMock.Probe.mockResolvedValue({ url: 'https://team.example:8443', fingerprint: FP, trusted: false, subject: 'CN=team', notAfter: null });
    joinMock.Join.mockResolvedValue({ ...unset, mode: 'team', offer: false, url: 'http://127.0.0.1:4000/?secret=s' });
    render(JoinScreen, { state: unset });
    await fillTokenForm('team.example:8443', ' tok ');
    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.getByTestId('join-fingerprint').textContent).toBe(FP));
    expect(joinMock.Join).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'They match: join' }));
    await waitFor(() => expect(replaced).toEqual(['http://127.0.0.1:4000/?secret=s']));
    expect(joinMock.Join).toHaveBeenCalledWith({ server: 'team.example:8443', fingerprint: FP, code: '', name: '', password: '', token: 'tok' });
  });

  it('joins a trusted server without asking and shows a refused invitation in words', async () => {
    joinMock.Probe.mockResolvedValue({ url: 'https://team.example', fingerprint: FP, trusted: true, subject: '', notAfter: null });
    joinMock.Join.mockRejectedValue(coded('not-found', { what: 'invitation' }));
    render(JoinScreen, { state: unset });
    await fireEvent.click(screen.getByRole('button', { name: 'Join a team' }));
    await fireEvent.input(screen.getByLabelText('Server address'), { target: { value: 'team.example' } });
    await fireEvent.input(screen.getByLabelText('Invitation code', { selector: 'input[name=code]' }), { target: { value: 'ABC' } });
    await fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ann' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.getByTestId('join-error').dataset.code).toBe('not-found'));
    expect(joinMock.Join).toHaveBeenCalledWith(expect.objectContaining({ fingerprint: '', code: 'ABC', name: 'Ann', token: '' }));
    expect(screen.queryByTestId('join-fingerprint')).toBeNull();
    expect(replaced).toEqual([]);
  });

  it('says a changed certificate with both fingerprints and offers to leave', async () => {
    joinMock.Leave.mockResolvedValue(unset);
    const error = coded('server-cert-changed', { old: 'OLD:FP', new: 'NEW:FP' });
    render(JoinScreen, { state: { ...unset, mode: 'team', offer: false, error } });
    const alert = screen.getByTestId('join-failure');
    expect(alert.dataset.code).toBe('server-cert-changed');
    expect(alert.textContent).toContain('NEW:FP');
    expect(alert.textContent).toContain('OLD:FP');
    await fireEvent.click(screen.getByRole('button', { name: 'Leave team' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Work alone' })).toBeTruthy());
    expect(joinMock.Leave).toHaveBeenCalledOnce();
  });
});

describe('joinState', () => {
  it('is null, asking nobody, where there is neither the binding nor the desktop proxy', async () => {
    delete (globalThis as { go?: unknown }).go;
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    expect(await joinState()).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  it('asks the desktop proxy on the team page it marked', async () => {
    delete (globalThis as { go?: unknown }).go;
    document.cookie = `stormdesk_desktop_${location.port}=1`;
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(JSON.stringify({ result: { ...unset, mode: 'team', offer: false, server: 'https://t', member: 'Ann' } }), { status: 200 })));
    const s = await joinState();
    expect(s?.mode).toBe('team');
    expect(s?.member).toBe('Ann');
    expect(fetch).toHaveBeenCalledWith('/bridge/call/JoinService/State', expect.objectContaining({ method: 'POST' }));
    vi.unstubAllGlobals();
    document.cookie = `stormdesk_desktop_${location.port}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
  });
});
