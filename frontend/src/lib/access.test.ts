import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { AccessStore, accessLost, watchStream } from './access.svelte';

const apiError = (code: string) => new ApiError('Info', 'x', 'backend', null, { code, params: {}, detail: `detail of ${code}` });

describe('accessLost', () => {
  it.each([
    ['a disabled member', apiError('member-disabled'), 'member-disabled'],
    ['a revoked token (coded by the desktop proxy)', apiError('token-refused'), 'token-refused'],
    ['coded text', 'stormdesk-error:{"code":"token-refused","params":{},"detail":"x"}', 'token-refused'],
    ['one action refused', apiError('role-required'), ''],
    ['a server away', apiError('server-unreachable'), ''],
    ['a plain error', new Error('HTTP 401'), ''],
  ])('%s', (_, err, want) => {
    expect(accessLost(err)).toBe(want);
  });
});

describe('AccessStore', () => {
  it('keeps the first refusal of the member and ignores other failures', () => {
    const s = new AccessStore();
    expect(s.report(apiError('role-required'))).toBe(false);
    expect(s.code).toBe('');
    expect(s.report(apiError('token-refused'))).toBe(true);
    expect(s.report(apiError('member-disabled'))).toBe(true);
    expect(s.code).toBe('token-refused');
    expect(s.detail).toBe('detail of token-refused');
  });
});

describe('watchStream', () => {
  it('asks the server again only once the stream is closed for good', async () => {
    const source = new EventTarget() as EventTarget & { readyState: number };
    source.readyState = 0; // reconnecting: the EventSource retries by itself
    const probe = vi.fn(() => Promise.reject(apiError('member-disabled')));
    const off = watchStream(source as unknown as EventSource, probe);
    source.dispatchEvent(new Event('error'));
    expect(probe).not.toHaveBeenCalled();
    source.readyState = 2;
    source.dispatchEvent(new Event('error'));
    expect(probe).toHaveBeenCalledTimes(1);
    off();
    source.dispatchEvent(new Event('error'));
    expect(probe).toHaveBeenCalledTimes(1);
  });
});
