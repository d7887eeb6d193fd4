// ListeningService: brand listening (docs/listening.md): topics and their queries, the
// stream of mentions found on the web with tonality, turning a mention into a
// conversation, and the sources' status.
import * as ListeningService from '../../../wailsjs/go/main/ListeningService';
import type { store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, Sentiment, With } from './types';

export type TopicKind = 'brand' | 'competitor';
export type ListeningTopic = With<store.ListeningTopic, { kind: TopicKind }>;
export type MentionSource = Plain<store.MentionSource>;
/** A stored mention; replyChannel is '' when it cannot be answered, conversationId 0 until it became one. */
export type ListeningMention = With<store.ListeningMention, { sentiment: Sentiment; sources: MentionSource[]; topicIds: number[] }>;
export type ListeningFilter = With<store.ListeningFilter, { sentiment: Sentiment }>;
export type ListeningPage = { mentions: ListeningMention[]; next: string };
/** A configured source; errorCode '' when its last poll worked (else an apperr code with errorParams). */
export type ListeningSource = With<store.ListeningSource, { errorParams: Record<string, string> }>;
export type ListeningSourceInput = With<workspace.ListeningSourceInput, { secrets: Record<string, string> }>;
/** The editor's live check of a query: ok, or the query error's code and the characters [pos, end). */
export type QueryCheck = With<workspace.QueryCheck, { terms: string[] }>;

/** normMention gives Go's nil slices as empty arrays and narrows the tonality. */
export function normMention(m: Plain<store.ListeningMention>): ListeningMention {
  return { ...m, sentiment: m.sentiment as Sentiment, sources: m.sources ?? [], topicIds: m.topicIds ?? [] };
}

function normPage(p: Plain<store.ListeningPage>): ListeningPage {
  return { mentions: (p.mentions ?? []).map(normMention), next: p.next };
}

function normSource(s: Plain<store.ListeningSource>): ListeningSource {
  return { ...s, errorParams: (s.errorParams ?? {}) as Record<string, string> };
}

export function listeningTopics(): Promise<ListeningTopic[]> {
  return call('ListeningService.Topics', () => ListeningService.Topics(), (ts) => (ts ?? []) as ListeningTopic[]);
}

/** saveListeningTopic creates (id 0) or updates a topic; a refused query fails with query-invalid. */
export function saveListeningTopic(t: ListeningTopic): Promise<ListeningTopic> {
  return call('ListeningService.SaveTopic', () => ListeningService.SaveTopic(t as store.ListeningTopic), (v) => v as ListeningTopic);
}

export function deleteListeningTopic(id: number): Promise<void> {
  return call('ListeningService.DeleteTopic', () => ListeningService.DeleteTopic(id));
}

/** checkListeningQuery validates a query as it is typed (never fails on a bad query). */
export function checkListeningQuery(q: string): Promise<QueryCheck> {
  return call('ListeningService.CheckQuery', () => ListeningService.CheckQuery(q), (c) => ({ ...c, terms: c.terms ?? [] }));
}

/** previewListening returns recent mentions the query matches (the demo's before anything is stored). */
export function previewListening(q: string): Promise<ListeningMention[]> {
  return call('ListeningService.Preview', () => ListeningService.Preview(q), (ms) => (ms ?? []).map(normMention));
}

/** listeningMentions returns one page, newest first; pass next as the cursor with the same filter. */
export function listeningMentions(f: Partial<ListeningFilter>, cursor = ''): Promise<ListeningPage> {
  const filter = { topicId: 0, source: '', sentiment: '' as Sentiment, lang: '', limit: 0, ...f };
  return call('ListeningService.Mentions', () => ListeningService.Mentions(filter as store.ListeningFilter, cursor), normPage);
}

export function correctListeningTonality(id: number, label: Exclude<Sentiment, ''>): Promise<void> {
  return call('ListeningService.CorrectTonality', () => ListeningService.CorrectTonality(id, label));
}

/** mentionToConversation turns an answerable mention into an inbox conversation and returns its id. */
export function mentionToConversation(id: number): Promise<number> {
  return call('ListeningService.ToConversation', () => ListeningService.ToConversation(id));
}

export function listeningSources(): Promise<ListeningSource[]> {
  return call('ListeningService.Sources', () => ListeningService.Sources(), (ss) => (ss ?? []).map(normSource));
}

export function saveListeningSource(s: ListeningSourceInput): Promise<ListeningSource> {
  return call('ListeningService.SaveSource', () => ListeningService.SaveSource(s as workspace.ListeningSourceInput), normSource);
}

export function deleteListeningSource(id: number): Promise<void> {
  return call('ListeningService.DeleteSource', () => ListeningService.DeleteSource(id));
}
