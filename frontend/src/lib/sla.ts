// SLA badge state, the policy-set summary, and the policy form's model: Go's
// policy-set JSON turned into form fields and back, with validation in the
// user's language before Go validates the whole set on save.
import { t, type Key } from './i18n';

/** BadgeState is what the list shows: Go's slaState, with the colour kept live between sweeps. */
export type BadgeState = 'none' | 'ok' | 'warning' | 'breached' | 'paused' | 'historical';

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
  if (state === 'historical') return 'historical';
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

/** errorLines splits Go's validation error text into the lines it was written as. */
export function errorLines(msg: string): string[] {
  return msg.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

// ---- The policy form ----

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Channels and message kinds a rule can match (Go: inbox.ChannelKinds, inbox.MessageKind). */
export const CHANNELS = ['mail', 'telegram', 'vk', 'mastodon', 'youtube', 'bluesky', 'reddit', 'facebook', 'instagram', 'whatsapp', 'import'] as const;
export const KINDS = ['comment', 'dm', 'mail'] as const;
export const TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type TargetName = (typeof TARGETS)[number];

/** HM is a target as whole hours and minutes; 0/0 means no target. */
export interface HM {
  h: number | null;
  m: number | null;
}

export interface FormShift {
  start: string;
  end: string;
}

export interface FormPolicy {
  name: string;
  targets: Record<TargetName, HM>;
  /** Warning threshold in percent of the target; null: Go's default (80 %). */
  warnPercent: number | null;
  timeZone: string;
  always: boolean;
  week: Record<Weekday, FormShift[]>;
  holidays: { date: string; name: string }[];
}

export interface FormRule {
  policy: string;
  channels: string[];
  kinds: string[];
  minPriority: number | null;
  /** Comma-separated. */
  tags: string;
  vip: boolean;
  minReach: number | null;
}

export interface PolicyForm {
  policies: FormPolicy[];
  rules: FormRule[];
  default: string;
  crisisRules: FormRule[];
  crisisDefault: string;
  /** History horizon in days (Go: historyHorizon). */
  horizonDays: number | null;
}

/** DEFAULT_HORIZON_DAYS is Go's sla.DefaultHistoryHorizon in days. */
export const DEFAULT_HORIZON_DAYS = 7;
const DAY_MS = 86_400_000;

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function hm(v: unknown): HM {
  const ms = parseGoDuration(v) ?? 0;
  const mins = Math.round(ms / 60_000);
  return { h: Math.floor(mins / 60), m: mins % 60 };
}

function goDuration(x: HM): string {
  const h = x.h ?? 0;
  const m = x.m ?? 0;
  return h === 0 && m === 0 ? '0s' : `${h}h${m}m`;
}

function ruleFromSet(v: unknown): FormRule {
  const r = obj(v);
  return {
    policy: str(r.policy),
    channels: arr(r.channels).map(str),
    kinds: arr(r.kinds).map(str),
    minPriority: num(r.minPriority),
    tags: arr(r.tags).map(str).join(', '),
    vip: r.vip === true,
    minReach: num(r.minReach),
  };
}

function ruleToSet(r: FormRule): Record<string, unknown> {
  const out: Record<string, unknown> = { policy: r.policy };
  if (r.channels.length > 0) out.channels = [...r.channels];
  if (r.kinds.length > 0) out.kinds = [...r.kinds];
  if (r.minPriority) out.minPriority = r.minPriority;
  const tags = r.tags.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
  if (tags.length > 0) out.tags = tags;
  if (r.vip) out.vip = true;
  if (r.minReach) out.minReach = r.minReach;
  return out;
}

export function emptyWeek(): Record<Weekday, FormShift[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** newPolicy is what "Add policy" starts from: office hours on weekdays. */
export function newPolicy(name: string): FormPolicy {
  const week = emptyWeek();
  for (const d of WEEKDAYS.slice(0, 5)) week[d] = [{ start: '09:00', end: '17:00' }];
  return {
    name,
    targets: { firstResponse: { h: 4, m: 0 }, nextResponse: { h: 4, m: 0 }, resolution: { h: 24, m: 0 } },
    warnPercent: null,
    timeZone: 'UTC',
    always: false,
    week,
    holidays: [],
  };
}

export function newRule(policy: string): FormRule {
  return { policy, channels: [], kinds: [], minPriority: 0, tags: '', vip: false, minReach: 0 };
}

/** formFromSet reads Go's policy-set JSON (already parsed) into the form. */
export function formFromSet(raw: unknown): PolicyForm {
  const set = obj(raw);
  const policies = arr(set.policies).map((v): FormPolicy => {
    const p = obj(v);
    const tg = obj(p.targets);
    const hours = obj(p.hours);
    const week = emptyWeek();
    for (const sv of arr(hours.week)) {
      const sh = obj(sv);
      const day = str(sh.day) as Weekday;
      if (WEEKDAYS.includes(day)) week[day].push({ start: str(sh.start), end: str(sh.end) });
    }
    const warn = num(p.warnShare);
    return {
      name: str(p.name),
      targets: { firstResponse: hm(tg.firstResponse), nextResponse: hm(tg.nextResponse), resolution: hm(tg.resolution) },
      warnPercent: warn > 0 ? Math.round(warn * 100) : null,
      timeZone: str(hours.timeZone) || 'UTC',
      always: hours.always === true,
      week,
      holidays: arr(hours.holidays).map((h) => ({ date: str(obj(h).date), name: str(obj(h).name) })),
    };
  });
  const horizon = parseGoDuration(set.historyHorizon);
  return {
    policies,
    rules: arr(set.rules).map(ruleFromSet),
    default: str(set.default),
    crisisRules: arr(set.crisisRules).map(ruleFromSet),
    crisisDefault: str(set.crisisDefault),
    horizonDays: horizon && horizon > 0 ? Math.round((horizon / DAY_MS) * 100) / 100 : DEFAULT_HORIZON_DAYS,
  };
}

/** formToSet writes the form as Go's policy-set JSON object. */
export function formToSet(f: PolicyForm): Record<string, unknown> {
  const set: Record<string, unknown> = {
    policies: f.policies.map((p) => {
      const hours: Record<string, unknown> = { timeZone: p.timeZone.trim() };
      if (p.always) hours.always = true;
      else
        hours.week = WEEKDAYS.flatMap((day) =>
          [...p.week[day]].sort((a, b) => a.start.localeCompare(b.start)).map((s) => ({ day, start: s.start, end: s.end })),
        );
      if (p.holidays.length > 0) hours.holidays = p.holidays.map((h) => (h.name.trim() ? { date: h.date, name: h.name.trim() } : { date: h.date }));
      const out: Record<string, unknown> = {
        name: p.name.trim(),
        targets: {
          firstResponse: goDuration(p.targets.firstResponse),
          nextResponse: goDuration(p.targets.nextResponse),
          resolution: goDuration(p.targets.resolution),
        },
        hours,
      };
      if (p.warnPercent !== null && p.warnPercent !== undefined) out.warnShare = p.warnPercent / 100;
      return out;
    }),
    rules: f.rules.map(ruleToSet),
    default: f.default,
  };
  if (f.crisisRules.length > 0) set.crisisRules = f.crisisRules.map(ruleToSet);
  if (f.crisisDefault) set.crisisDefault = f.crisisDefault;
  const days = f.horizonDays ?? DEFAULT_HORIZON_DAYS;
  set.historyHorizon = `${Math.round(days * 24 * 60)}m`;
  return set;
}

/** FormErrors maps a field's id (see fieldId) to its message in the current language. */
export type FormErrors = Record<string, string>;

/** fieldId names a field of the form; the editor uses it as the input's id. */
export const fieldId = (...parts: (string | number)[]): string => ['sla', ...parts].join('-');

const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** validTimeZone reports whether the runtime knows name as an IANA zone (Go checks again). */
export function validTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name.trim() });
    return true;
  } catch {
    return false;
  }
}

const wholeAtLeast0 = (v: number | null) => v === null || v === undefined || (Number.isInteger(v) && v >= 0);

/** validatePolicyForm checks what a person can get wrong in the form, keyed by field id. */
export function validatePolicyForm(f: PolicyForm): FormErrors {
  const errs: FormErrors = {};
  const err = (key: Key, params?: Record<string, string | number>) => t(key, params);
  const names = new Set<string>();
  f.policies.forEach((p, i) => {
    const name = p.name.trim();
    if (name === '') errs[fieldId(i, 'name')] = err('slaForm.err.name');
    else if (names.has(name)) errs[fieldId(i, 'name')] = err('slaForm.err.nameTaken', { name });
    names.add(name);
    for (const tg of TARGETS) {
      const x = p.targets[tg];
      if (!wholeAtLeast0(x.h)) errs[fieldId(i, tg, 'h')] = err('slaForm.err.hours');
      if (!wholeAtLeast0(x.m) || (x.m ?? 0) > 59) errs[fieldId(i, tg, 'm')] = err('slaForm.err.minutes');
    }
    if (p.warnPercent !== null && p.warnPercent !== undefined && !(p.warnPercent >= 1 && p.warnPercent <= 99))
      errs[fieldId(i, 'warn')] = err('slaForm.err.warn');
    if (!validTimeZone(p.timeZone)) errs[fieldId(i, 'tz')] = err('slaForm.err.tz', { tz: p.timeZone.trim() });
    if (!p.always) {
      let any = false;
      for (const day of WEEKDAYS) {
        const shifts = p.week[day];
        let prevEnd = '';
        shifts
          .map((s, j) => ({ s, j }))
          .sort((a, b) => a.s.start.localeCompare(b.s.start))
          .forEach(({ s, j }) => {
            any = true;
            if (!CLOCK.test(s.start)) errs[fieldId(i, day, j, 'start')] = err('slaForm.err.clock');
            if (!CLOCK.test(s.end)) errs[fieldId(i, day, j, 'end')] = err('slaForm.err.clock');
            else if (CLOCK.test(s.start) && s.end <= s.start) errs[fieldId(i, day, j, 'end')] = err('slaForm.err.shiftOrder');
            else if (prevEnd && s.start < prevEnd) errs[fieldId(i, day, j, 'start')] = err('slaForm.err.shiftOverlap');
            if (s.end > prevEnd) prevEnd = s.end;
          });
      }
      if (!any) errs[fieldId(i, 'week')] = err('slaForm.err.noHours');
    }
    p.holidays.forEach((h, j) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date)) errs[fieldId(i, 'holiday', j)] = err('slaForm.err.date');
    });
  });
  const ruleErrors = (rules: FormRule[], list: string) =>
    rules.forEach((r, j) => {
      if (!names.has(r.policy)) errs[fieldId(list, j, 'policy')] = err('slaForm.err.policy');
      if (!wholeAtLeast0(r.minPriority)) errs[fieldId(list, j, 'priority')] = err('slaForm.err.number');
      if (!wholeAtLeast0(r.minReach)) errs[fieldId(list, j, 'reach')] = err('slaForm.err.number');
    });
  ruleErrors(f.rules, 'rules');
  ruleErrors(f.crisisRules, 'crisis');
  if (!names.has(f.default)) errs[fieldId('default')] = err('slaForm.err.default');
  if (f.crisisRules.length > 0 && !names.has(f.crisisDefault)) errs[fieldId('crisisDefault')] = err('slaForm.err.crisisDefault');
  if (f.horizonDays === null || f.horizonDays === undefined || !(f.horizonDays >= 1)) errs[fieldId('horizon')] = err('slaForm.err.horizon');
  return errs;
}

/** policyInUse reports whether a rule or a default names the policy (it cannot be deleted then). */
export function policyInUse(f: PolicyForm, name: string): boolean {
  return f.default === name || f.crisisDefault === name || [...f.rules, ...f.crisisRules].some((r) => r.policy === name);
}

/** renamePolicy points the rules and defaults that named from at to. */
export function renamePolicy(f: PolicyForm, from: string, to: string): void {
  for (const r of [...f.rules, ...f.crisisRules]) if (r.policy === from) r.policy = to;
  if (f.default === from) f.default = to;
  if (f.crisisDefault === from) f.crisisDefault = to;
}
