// CrisisService: the spike detector's streams and alerts, crisis mode per brand account,
// its timeline and burst groups. Its "crisis:alert" and "crisis:event" events are in events.ts.
import * as CrisisService from '../../../wailsjs/go/main/CrisisService';
import { crisis, type workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { filled, goDuration, goTime, nonNull } from './normalize';
import type { Channel, Plain, Sent, With } from './types';

export type CrisisStatus = 'learning' | 'normal' | 'alert' | 'cooldown';
export type CrisisKey = With<crisis.Key, { channel: Channel }>;
export type KeyState = With<
  crisis.KeyState,
  {
    key: CrisisKey;
    status: CrisisStatus;
    binStart: string;
    historyFrom: string;
    learningUntil: string;
    lastAlert: string;
    cooldownUntil: string;
    /** when the stream's newest message was sent */
    lastMessage: string;
  }
>;
export type TermScore = Plain<crisis.TermScore>;
export type Sample = With<crisis.Sample, { at: string }>;
export type AuthorImpact = Plain<crisis.AuthorImpact>;
/** SeriesBin is one point of an alert's chart; the chart does not read observedFraction. */
export type SeriesBin = With<crisis.Bin, { start: string; observedFraction?: number }>;
/** id: stable for the UI (key + window start); windowMs: the alert window in milliseconds. */
export type CrisisAlert = Omit<
  With<crisis.Alert, { key: CrisisKey; start: string; detectedAt: string; samples: Sample[]; series: SeriesBin[] }>,
  'window'
> & { id: string; windowMs: number };
export type TimelineKind = 'opened' | 'closed' | 'alert' | 'statement' | 'reply' | 'volume' | 'note';
/** TimelineEntry is one line of a crisis timeline; kind "volume" is an hour's counts. */
export type TimelineEntry = With<workspace.TimelineEntry, { at: string; kind: TimelineKind }>;
/** BurstGroup is a group of near-duplicate complaints of one burst with its conversations. */
export type BurstGroup = Plain<workspace.BurstGroup>;

const STATUSES: readonly string[] = ['learning', 'normal', 'alert', 'cooldown'];
const TIMELINE_KINDS: readonly string[] = ['opened', 'closed', 'alert', 'statement', 'reply', 'volume', 'note'];

/** oneOf keeps a Go enum value the UI knows, else the fallback. */
function oneOf<T extends string>(known: readonly string[], v: unknown, fallback: T): T {
  return typeof v === 'string' && known.includes(v) ? (v as T) : fallback;
}

function normKey(v: Sent<crisis.Key>): CrisisKey {
  return filled<CrisisKey>(v, { account: '' });
}

export function normKeyState(v: Sent<crisis.KeyState>): KeyState {
  return {
    ...filled<KeyState>(v, { observed: 0, volume: 0, baseline: 0, baselineVolume: 0, threshold: 0, late: 0, dropped: 0, dormant: false }),
    key: normKey(v?.key),
    status: oneOf<CrisisStatus>(STATUSES, v?.status, 'learning'),
    binStart: goTime(v?.binStart),
    historyFrom: goTime(v?.historyFrom),
    learningUntil: goTime(v?.learningUntil),
    lastAlert: goTime(v?.lastAlert),
    cooldownUntil: goTime(v?.cooldownUntil),
    lastMessage: goTime(v?.lastMessage),
  };
}

export function normSeriesBin(v: Sent<crisis.Bin>): SeriesBin {
  const b = filled<SeriesBin>(v, { negative: 0, total: 0, baseline: 0, upper: 0, baselineTotal: 0, learning: false });
  return { ...b, start: goTime(v?.start) };
}

export function normAlert(v: Sent<crisis.Alert>): CrisisAlert {
  const { window, ...a } = filled<Plain<crisis.Alert>>(v, { escalation: false });
  const key = normKey(v?.key);
  const start = goTime(v?.start);
  return {
    ...a,
    id: `${key.account}/${key.channel}@${start}`,
    key,
    start,
    detectedAt: goTime(v?.detectedAt),
    windowMs: goDuration(window),
    topTerms: nonNull(v?.topTerms).map((t) => filled<TermScore>(t, {})),
    topPhrases: nonNull(v?.topPhrases),
    samples: nonNull(v?.samples).map((s) => ({ ...filled<Sample>(s, { author: '', text: '' }), at: goTime(s?.at) })),
    authors: nonNull(v?.authors).map((x) => filled<AuthorImpact>(x, {})),
    series: nonNull(v?.series).map(normSeriesBin),
  };
}

function normTimelineEntry(v: Sent<workspace.TimelineEntry>): TimelineEntry {
  const e = filled<TimelineEntry>(v, { text: '', ref: '', inbound: 0, negative: 0 });
  return { ...e, at: goTime(v?.at), kind: oneOf<TimelineKind>(TIMELINE_KINDS, v?.kind, 'note') };
}

/** crisisSeries returns the last 48 hours of one stream in 15-minute bins, oldest first. */
export function crisisSeries(key: CrisisKey): Promise<SeriesBin[]> {
  return call('CrisisService.Series', () => CrisisService.Series(key.account, key.channel), (bins) => nonNull(bins).map(normSeriesBin));
}

export function crisisStates(): Promise<KeyState[]> {
  return call('CrisisService.States', () => CrisisService.States(), (states) => nonNull(states).map(normKeyState));
}

export function crisisAlerts(): Promise<CrisisAlert[]> {
  return call('CrisisService.Alerts', () => CrisisService.Alerts(), (alerts) => nonNull(alerts).map(normAlert));
}

/** crisisGroups returns groups of near-duplicate texts as indexes into texts. */
export function crisisGroups(texts: string[]): Promise<number[][]> {
  // Wails types [][]int as any[]; each group is a list of indexes.
  return call('CrisisService.Groups', () => CrisisService.Groups(texts), (groups) =>
    nonNull(groups).map((g: unknown) => (Array.isArray(g) ? g.map(Number) : [])),
  );
}

/** setCrisisMode opens (on) or ends crisis mode for a brand account. */
export function setCrisisMode(account: string, on: boolean): Promise<void> {
  return call('CrisisService.SetCrisisMode', () => CrisisService.SetCrisisMode(account, on));
}

/** inCrisis lists the accounts with crisis mode on. */
export function inCrisis(): Promise<string[]> {
  return call('CrisisService.InCrisis', () => CrisisService.InCrisis(), nonNull);
}

/** crisisTimeline returns the current crisis of an account, oldest first (empty when not in crisis). */
export function crisisTimeline(account: string): Promise<TimelineEntry[]> {
  return call('CrisisService.Timeline', () => CrisisService.Timeline(account), (entries) => nonNull(entries).map(normTimelineEntry));
}

/** sampleConversations maps an alert's samples to conversation ids (0 = not stored). */
export function sampleConversations(account: string, samples: Sample[]): Promise<number[]> {
  return call('CrisisService.SampleConversations', () => CrisisService.SampleConversations(account, samples.map((s) => crisis.Sample.createFrom(s))), nonNull);
}

/** burstGroups groups an alert's negative messages by near-duplicate text, largest first. */
export function burstGroups(alert: CrisisAlert): Promise<BurstGroup[]> {
  return call(
    'CrisisService.BurstGroups',
    () => CrisisService.BurstGroups(alert.key.account, alert.start, alert.detectedAt, Math.round(alert.windowMs)),
    (groups) =>
      nonNull(groups).map((g) => ({ messages: g?.messages ?? 0, conversationIds: nonNull(g?.conversationIds), examples: nonNull(g?.examples) })),
  );
}
