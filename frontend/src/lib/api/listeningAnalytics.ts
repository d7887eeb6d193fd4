// Analytics of brand listening (ListeningService.Analytics, docs/listening.md#analytics)
// and the discussion depth of the brand's own channels (AnalyticsService.Engagement).
import * as AnalyticsService from '../../../wailsjs/go/main/AnalyticsService';
import * as ListeningService from '../../../wailsjs/go/main/ListeningService';
import type { workspace } from '../../../wailsjs/go/models';
import type { AnalyticsRequest, CsvSave } from './analytics';
import { call } from './call';
import type { Plain } from './types';

/** The period as the analytics page has it, and the topics (empty: all). */
export type ListeningAnalyticsRequest = { days: number; from?: string; to?: string; timeZone: string; topicIds: number[] };
export type ListeningAnalytics = Plain<workspace.ListeningAnalytics>;
export type TopicShare = Plain<workspace.TopicShare>;
/** channels[0] is the total (channel ''), then one row per channel. */
export type Engagement = Plain<workspace.Engagement>;
export type ListeningCsvKind = 'days' | 'share' | 'sources' | 'authors' | 'terms';

function wire(req: ListeningAnalyticsRequest): Plain<workspace.ListeningAnalyticsRequest> {
  return { ...req, from: req.from ?? '', to: req.to ?? '' };
}

/** listeningAnalytics returns mentions per day, share of voice, top sources, authors and terms. */
export function listeningAnalytics(req: ListeningAnalyticsRequest): Promise<ListeningAnalytics> {
  return call('ListeningService.Analytics', () => ListeningService.Analytics(wire(req)));
}

/** listeningAnalyticsCsv returns one part of the listening analytics as CSV text. */
export function listeningAnalyticsCsv(kind: ListeningCsvKind, req: ListeningAnalyticsRequest): Promise<string> {
  return call('ListeningService.ExportAnalyticsCSV', () => ListeningService.ExportAnalyticsCSV(kind, wire(req)));
}

/** listeningSaveAnalyticsCsv asks where to save one part (native dialog) and writes it there. */
export function listeningSaveAnalyticsCsv(kind: ListeningCsvKind, req: ListeningAnalyticsRequest, name: string): Promise<CsvSave> {
  return call('ListeningService.SaveAnalyticsCSV', () => ListeningService.SaveAnalyticsCSV(kind, wire(req), name));
}

/** analyticsEngagement returns messages, replies and participants per conversation, total and per channel. */
export function analyticsEngagement(req: AnalyticsRequest): Promise<Engagement> {
  return call('AnalyticsService.Engagement', () => AnalyticsService.Engagement({ ...req, from: req.from ?? '', to: req.to ?? '' }));
}
