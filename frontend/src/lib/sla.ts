// SLA badge state and the policy-set summary shown above the JSON editor.
import { formatDuration, t } from './i18n';

/** BadgeState is what the list shows: Go's slaState, with the colour kept live between sweeps. */
export type BadgeState = 'none' | 'ok' | 'warning' | 'breached' | 'paused';

/** Without a stored warning time (old rows), deadlines closer than this are amber. */
export const SLA_SOON_MS = 60 * 60 * 1000;

function at(iso: string | null | undefined): number {
  if (!iso) return NaN;
  return Date.parse(iso);
}

/**
 * badgeState classifies a conversation's SLA clock at now (ms since epoch).
 * Go stores the state at its last recompute (every event and a periodic sweep);
 * the deadline and warning instants let the badge turn amber or red on time.
 */
export function badgeState(
  state: string | null | undefined,
  dueAt: string | null | undefined,
  warnAt: string | null | undefined,
  now: number,
): BadgeState {
  if (state === 'paused') return 'paused';
  if (state === 'none') return 'none';
  const due = at(dueAt);
  if (Number.isNaN(due)) return state === 'breached' ? 'breached' : 'none';
  if (now > due || state === 'breached') return 'breached';
  const warn = at(warnAt);
  if (!Number.isNaN(warn)) return now >= warn || state === 'warning' ? 'warning' : 'ok';
  if (state === 'warning' || due - now < SLA_SOON_MS) return 'warning';
  return 'ok';
}

/** slaRemaining returns the milliseconds until the deadline (negative when overdue). */
export function slaRemaining(slaDueAt: string, now: number): number {
  return Date.parse(slaDueAt) - now;
}

/** parseGoDuration reads a Go duration string ("1h30m", "45m0s") or a number of seconds into ms. */
export function parseGoDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '' ) return null;
  if (s === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : null;
}

/** PolicyLine is one policy of the summary, ready to render. */
export interface PolicyLine {
  name: string;
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  hours: string;
}

/** PolicySummary is a readable digest of a policy set; error is set when the JSON cannot be read. */
export interface PolicySummary {
  policies: PolicyLine[];
  defaultPolicy: string;
  crisisDefault: string;
  rules: number;
  crisisRules: number;
  error: string;
}

function target(v: unknown): string {
  const ms = parseGoDuration(v);
  if (ms === null || ms <= 0) return t('slaSet.noTarget');
  return formatDuration(ms);
}

/** summarizePolicies turns a policy-set JSON text into a short summary in the current language. */
export function summarizePolicies(json: string): PolicySummary {
  const empty: PolicySummary = { policies: [], defaultPolicy: '', crisisDefault: '', rules: 0, crisisRules: 0, error: '' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return { ...empty, error: e instanceof Error ? e.message : String(e) };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ...empty, error: t('slaSet.notObject') };
  const set = raw as Record<string, unknown>;
  const list = Array.isArray(set.policies) ? set.policies : [];
  const policies = list.map((p): PolicyLine => {
    const o = (p ?? {}) as Record<string, unknown>;
    const tg = (o.targets ?? {}) as Record<string, unknown>;
    const h = (o.hours ?? {}) as Record<string, unknown>;
    const tz = typeof h.timeZone === 'string' && h.timeZone !== '' ? h.timeZone : 'UTC';
    const week = Array.isArray(h.week) ? h.week.length : 0;
    const hours = h.always === true ? t('slaSet.always', { tz }) : t('slaSet.business', { tz, count: week });
    return {
      name: typeof o.name === 'string' ? o.name : '',
      firstResponse: target(tg.firstResponse),
      nextResponse: target(tg.nextResponse),
      resolution: target(tg.resolution),
      hours,
    };
  });
  return {
    policies,
    defaultPolicy: typeof set.default === 'string' ? set.default : '',
    crisisDefault: typeof set.crisisDefault === 'string' ? set.crisisDefault : '',
    rules: Array.isArray(set.rules) ? set.rules.length : 0,
    crisisRules: Array.isArray(set.crisisRules) ? set.crisisRules.length : 0,
    error: '',
  };
}

/** errorLines splits Go's validation error text into the lines it was written as. */
export function errorLines(msg: string): string[] {
  return msg.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
