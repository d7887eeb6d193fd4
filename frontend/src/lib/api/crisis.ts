// CrisisService: the spike detector's streams and alerts, crisis mode per brand account,
// its timeline and burst groups. Its "crisis:alert" and "crisis:event" events are in events.ts.
import * as CrisisService from '../../../wailsjs/go/main/CrisisService';
import { crisis, type workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Channel, Plain, With } from './types';

export type CrisisStatus = 'learning' | 'normal' | 'alert' | 'cooldown';
export type CrisisKey = With<crisis.Key, { channel: Channel }>;
/** The times are null for a stream without a message yet, lastAlert and cooldownUntil before its first alert. */
export type KeyState = With<crisis.KeyState, { key: CrisisKey; status: CrisisStatus }>;
export type TermScore = Plain<crisis.TermScore>;
export type Sample = With<crisis.Sample, { at: string }>;
export type AuthorImpact = Plain<crisis.AuthorImpact>;
/** SeriesBin is one point of an alert's chart; the chart does not read observedFraction. */
export type SeriesBin = With<crisis.Bin, { start: string; observedFraction?: number }>;
/** The alert's test: the negative count, the count weighted by influence, or a cluster of near-duplicates. */
export type AlertKind = 'volume' | 'influence' | 'topic';
/** CrisisTopic names the near-duplicate cluster of a topic burst. */
export type CrisisTopic = Plain<crisis.Topic>;
/** id: stable for the UI (key + detection time, which Go keeps unique per stream: an
 *  escalation may share its window start with the alert it grew from); windowMs: the alert window in milliseconds;
 *  kind: "volume" for alerts stored before kinds existed; topic: empty but on a topic burst. */
export type CrisisAlert = With<
  crisis.Alert,
  { key: CrisisKey; start: string; detectedAt: string; samples: Sample[]; series: SeriesBin[]; kind: AlertKind }
> & { id: string };
export type TimelineKind = 'opened' | 'closed' | 'alert' | 'statement' | 'reply' | 'volume' | 'note';
/** TimelineEntry is one line of a crisis timeline; kind "volume" is an hour's counts. */
export type TimelineEntry = With<workspace.TimelineEntry, { at: string; kind: TimelineKind }>;
/** BurstGroup is a group of near-duplicate complaints of one burst with its conversations. */
export type BurstGroup = Plain<workspace.BurstGroup>;

const STATUSES: readonly string[] = ['learning', 'normal', 'alert', 'cooldown'];
const KINDS: readonly string[] = ['volume', 'influence', 'topic'];
const TIMELINE_KINDS: readonly string[] = ['opened', 'closed', 'alert', 'statement', 'reply', 'volume', 'note'];

/** oneOf keeps a Go enum value the UI knows, else the fallback. */
function oneOf<T extends string>(known: readonly string[], v: unknown, fallback: T): T {
  return typeof v === 'string' && known.includes(v) ? (v as T) : fallback;
}

export function normKeyState(v: Plain<crisis.KeyState>): KeyState {
  return { ...v, key: v.key as CrisisKey, status: oneOf<CrisisStatus>(STATUSES, v.status, 'learning') };
}

export function normAlert(v: Plain<crisis.Alert>): CrisisAlert {
  const a = v as Omit<CrisisAlert, 'id'>;
  return {
    ...a,
    kind: oneOf<AlertKind>(KINDS, v.kind, 'volume'),
    influencers: a.influencers ?? [],
    id: `${a.key.account}/${a.key.channel}@${a.detectedAt || a.start}`,
  };
}

function normTimelineEntry(v: Plain<workspace.TimelineEntry>): TimelineEntry {
  return { ...v, kind: oneOf<TimelineKind>(TIMELINE_KINDS, v.kind, 'note') };
}

/** crisisSeries returns the last 72 hours of one stream in 15-minute bins, oldest first. */
export function crisisSeries(key: CrisisKey): Promise<SeriesBin[]> {
  return call('CrisisService.Series', () => CrisisService.Series(key.account, key.channel), (bins) => bins as SeriesBin[]);
}

export function crisisStates(): Promise<KeyState[]> {
  return call('CrisisService.States', () => CrisisService.States(), (states) => states.map(normKeyState));
}

export function crisisAlerts(): Promise<CrisisAlert[]> {
  return call('CrisisService.Alerts', () => CrisisService.Alerts(), (alerts) => alerts.map(normAlert));
}

/** crisisGroups returns groups of near-duplicate texts as indexes into texts. */
export function crisisGroups(texts: string[]): Promise<number[][]> {
  // Wails types [][]int as any[]; each group is a list of indexes.
  return call('CrisisService.Groups', () => CrisisService.Groups(texts), (groups) =>
    groups.map((g: unknown) => (Array.isArray(g) ? g.map(Number) : [])),
  );
}

/** setCrisisMode opens (on) or ends crisis mode for a brand account. */
export function setCrisisMode(account: string, on: boolean): Promise<void> {
  return call('CrisisService.SetCrisisMode', () => CrisisService.SetCrisisMode(account, on));
}

/** inCrisis lists the accounts with crisis mode on. */
export function inCrisis(): Promise<string[]> {
  return call('CrisisService.InCrisis', () => CrisisService.InCrisis());
}

/** crisisTimeline returns the current crisis of an account, oldest first (empty when not in crisis). */
export function crisisTimeline(account: string): Promise<TimelineEntry[]> {
  return call('CrisisService.Timeline', () => CrisisService.Timeline(account), (entries) => entries.map(normTimelineEntry));
}

/** sampleConversations maps an alert's samples to conversation ids (0 = not stored). */
export function sampleConversations(account: string, samples: Sample[]): Promise<number[]> {
  return call('CrisisService.SampleConversations', () => CrisisService.SampleConversations(account, samples.map((s) => crisis.Sample.createFrom(s))));
}

/** burstGroups groups an alert's negative messages by near-duplicate text, largest first. */
export function burstGroups(alert: CrisisAlert): Promise<BurstGroup[]> {
  return call(
    'CrisisService.BurstGroups',
    () => CrisisService.BurstGroups(alert.key.account, alert.start, alert.detectedAt, Math.round(alert.windowMs)),
  );
}
