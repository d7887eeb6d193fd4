// The guard against silencing critics: hiding or deleting a critical message
// (negative, an influential author, or an account in crisis) takes two steps —
// Go answers the first call with a warning and its reasons, and only an
// explicit confirmation repeats the call with confirm = true.
import { ApiError, type ModerationAction, type ModerationWarning } from './api';

/** INFLUENCER_REACH is the audience from which Go treats an author as an influencer (moderation.InfluencerReach). */
export const INFLUENCER_REACH = 10_000;

export type ModerationPhase =
  | { kind: 'idle' }
  | { kind: 'checking'; action: ModerationAction }
  | { kind: 'warning'; action: ModerationAction; reasons: string[] }
  | { kind: 'acting'; action: ModerationAction }
  | { kind: 'done'; action: ModerationAction }
  | { kind: 'error'; action: ModerationAction; message: string; error?: ApiError };

export type ModerateFn = (action: ModerationAction, confirm: boolean) => Promise<ModerationWarning>;

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : String(err);
}

/** failed keeps a Go error whole, so it is shown worded with Go's text under Details. */
function failed(action: ModerationAction, err: unknown): ModerationPhase {
  return { kind: 'error', action, message: errorText(err), error: err instanceof ApiError ? err : undefined };
}

/** ModerationFlow drives one message's Hide/Delete: request, then warning, then confirm or cancel. */
export class ModerationFlow {
  phase: ModerationPhase = { kind: 'idle' };

  constructor(
    private readonly call: ModerateFn,
    private readonly onchange: (p: ModerationPhase) => void = () => {},
  ) {}

  private set(p: ModerationPhase) {
    this.phase = p;
    this.onchange(p);
  }

  /** request asks Go to act without confirmation; a critical message comes back as a warning. */
  async request(action: ModerationAction): Promise<ModerationPhase> {
    if (this.phase.kind === 'checking' || this.phase.kind === 'acting') return this.phase;
    this.set({ kind: 'checking', action });
    try {
      const w = await this.call(action, false);
      this.set(w.critical ? { kind: 'warning', action, reasons: w.reasons } : { kind: 'done', action });
    } catch (err) {
      this.set(failed(action, err));
    }
    return this.phase;
  }

  /** confirm acts on a warned message; it does nothing unless a warning is showing. */
  async confirm(): Promise<ModerationPhase> {
    if (this.phase.kind !== 'warning') return this.phase;
    const action = this.phase.action;
    this.set({ kind: 'acting', action });
    try {
      await this.call(action, true);
      this.set({ kind: 'done', action });
    } catch (err) {
      this.set(failed(action, err));
    }
    return this.phase;
  }

  /** cancel drops the warning (or a shown error) and leaves the message alone. */
  cancel() {
    if (this.phase.kind !== 'checking' && this.phase.kind !== 'acting') this.set({ kind: 'idle' });
  }
}

/** sparkline turns hourly counts into an SVG polyline's points in a w×h box. */
export function sparkline(values: number[], w: number, h: number): string {
  if (values.length === 0) return '';
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values.map((v, i) => `${round(i * step)},${round(h - (Math.max(0, v) / top) * h)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
