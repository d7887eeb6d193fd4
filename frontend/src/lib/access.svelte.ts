// Team mode: the server refusing the member itself, not one action. Its token
// was revoked or has expired (the desktop's proxy codes the 401 token-refused),
// or an admin disabled the member (403 member-disabled, also when the event
// stream is cut). Every later call would fail the same way, so the page says it
// once and offers the way back: joining again (on the desktop) or signing in.
import { ApiError } from './api';

/** The codes that mean the member is no longer let in. */
export const ACCESS_CODES: readonly string[] = ['member-disabled', 'token-refused'];

/** accessLost answers the code when a failed call means the member is no longer let in, else ''. */
export function accessLost(e: unknown): string {
  if (e instanceof ApiError) return ACCESS_CODES.includes(e.code) ? e.code : '';
  const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return ACCESS_CODES.find((c) => msg.includes(`"code":"${c}"`)) ?? '';
}

/** AccessStore holds the refusal that ended the member's access (the first one; it does not go away by itself). */
export class AccessStore {
  code = $state('');
  detail = $state('');

  /** report takes a failed call's error; true when it means the member is no longer let in. */
  report(e: unknown): boolean {
    const code = accessLost(e);
    if (code === '') return false;
    if (this.code === '') {
      this.code = code;
      this.detail = e instanceof ApiError ? e.detail : '';
    }
    return true;
  }
}

/**
 * watchStream asks the server once more (probe, e.g. AppService.Info, whose
 * failure reaches report through onCallFailed) when the event stream is closed
 * for good: an EventSource refused with 401/403 stops without saying why.
 */
export function watchStream(source: EventSource | undefined, probe: () => Promise<unknown>): () => void {
  if (!source) return () => {};
  const onError = () => {
    if (source.readyState === 2) void probe().catch(() => {}); // 2: CLOSED
  };
  source.addEventListener('error', onError);
  return () => source.removeEventListener('error', onError);
}

export const access = new AccessStore();
