// SLA badge state: how close a conversation is to its reply deadline.

export type SlaState = 'none' | 'overdue' | 'soon' | 'ok';

/** Deadlines closer than this are shown in amber. */
export const SLA_SOON_MS = 60 * 60 * 1000;

/** slaState classifies a deadline relative to now (ms since epoch). */
export function slaState(slaDueAt: string | null | undefined, now: number): SlaState {
  if (!slaDueAt) return 'none';
  const due = Date.parse(slaDueAt);
  if (Number.isNaN(due)) return 'none';
  const left = due - now;
  if (left <= 0) return 'overdue';
  if (left < SLA_SOON_MS) return 'soon';
  return 'ok';
}

/** slaRemaining returns the milliseconds until the deadline (negative when overdue). */
export function slaRemaining(slaDueAt: string, now: number): number {
  return Date.parse(slaDueAt) - now;
}
