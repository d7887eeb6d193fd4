import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { render } from '@testing-library/svelte';
import AccessBanner from './AccessBanner.svelte';
import { access } from '../lib/access.svelte';
import { ApiError } from '../lib/api';
import { setLang, translate } from '../lib/i18n';

const marker = () => `stormdesk_desktop_${location.port}`;
const disabled = () => new ApiError('InboxService.Stats', 'x', 'backend', null, { code: 'member-disabled', params: {}, detail: 'member Cy is disabled' });

describe('AccessBanner', () => {
  afterEach(() => {
    access.code = '';
    access.detail = '';
    document.cookie = `${marker()}=; max-age=0`;
    vi.unstubAllGlobals();
    setLang('en');
  });

  it('shows nothing until the member is refused, then the coded words with the way back focused', () => {
    const { container } = render(AccessBanner);
    expect(container.querySelector('[data-role=access-lost]')).toBeNull();
    access.report(disabled());
    flushSync();
    const banner = container.querySelector('[data-role=access-lost]');
    expect(banner?.getAttribute('data-code')).toBe('member-disabled');
    expect(banner?.textContent).toContain(translate('en', 'error.code.member-disabled'));
    const button = container.querySelector<HTMLButtonElement>('[data-action=join-again]');
    expect(button?.textContent?.trim()).toBe(translate('en', 'access.signInAgain'));
    expect(document.activeElement).toBe(button);
    setLang('de');
    flushSync();
    expect(banner?.textContent).toContain(translate('de', 'error.code.member-disabled'));
  });

  it('on the desktop, Join again leaves the team through the desktop', async () => {
    document.cookie = `${marker()}=1`;
    const fetch = vi.fn(async () => new Response(JSON.stringify({ result: { mode: '', offer: true } }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { container } = render(AccessBanner);
    access.report(disabled());
    flushSync();
    const button = container.querySelector<HTMLButtonElement>('[data-action=join-again]');
    expect(button?.textContent?.trim()).toBe(translate('en', 'access.joinAgain'));
    button?.click();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledWith('/bridge/call/JoinService/Leave', expect.objectContaining({ method: 'POST' })));
  });
});
