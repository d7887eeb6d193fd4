// AnalyticsService: the analytics page (docs/analytics.md) and its CSV exports.
import * as AnalyticsService from '../../../wailsjs/go/main/AnalyticsService';
import type { workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, With } from './types';

/**
 * AnalyticsRequest picks the last `days` local days (today included), or the custom
 * range from–to (YYYY-MM-DD, both included) when given, one account (0: all), a zone.
 */
export type AnalyticsRequest = Omit<Plain<workspace.AnalyticsRequest>, 'from' | 'to'> & { from?: string; to?: string };
/** ResponseRow is one SLA report group with durations in seconds. */
export type ResponseRow = Plain<workspace.ResponseRow>;
export type DaySentiment = Plain<workspace.DaySentiment>;
export type TermCount = { term: string; count: number };
/** heatmap[weekday][hour], Monday first, always 7 × 24; byAgent: "(none)" when nobody answered. */
export type Analytics = With<workspace.Analytics, { heatmap: number[][]; negativeTerms: TermCount[] }>;
export type AnalyticsCsvKind = 'heatmap' | 'response-times' | 'sentiment' | 'topics' | 'sla' | 'breaches';

function normAnalytics(a: Plain<workspace.Analytics>): Analytics {
  // Wails types [][]int as any[]; Go sends 7 rows of 24 counts.
  return { ...a, heatmap: a.heatmap as number[][], negativeTerms: a.negativeTerms.map(({ term, count }) => ({ term, count })) };
}

/** wire fills the optional range so Go gets the generated request shape. */
function wire(req: AnalyticsRequest): Plain<workspace.AnalyticsRequest> {
  return { ...req, from: req.from ?? '', to: req.to ?? '' };
}

/** analyticsOverview returns everything the analytics page shows for one request. */
export function analyticsOverview(req: AnalyticsRequest): Promise<Analytics> {
  return call('AnalyticsService.Overview', () => AnalyticsService.Overview(wire(req)), normAnalytics);
}

/** analyticsCsv returns one part of the page as CSV text. */
export function analyticsCsv(kind: AnalyticsCsvKind, req: AnalyticsRequest): Promise<string> {
  return call('AnalyticsService.ExportCSV', () => AnalyticsService.ExportCSV(kind, wire(req)));
}

/** DataSpan is the first and last local day (YYYY-MM-DD) of the inbound data; both empty when there is none. */
export type DataSpan = Plain<workspace.DataSpan>;

/** analyticsSpan returns the days the inbound data of one account (0: all) covers in a zone. */
export function analyticsSpan(accountId: number, timeZone: string): Promise<DataSpan> {
  return call('AnalyticsService.Span', () => AnalyticsService.Span(accountId, timeZone));
}

/**
 * CsvSave says what the window's save dialog did: dialog false outside the window
 * (the page downloads instead), path empty when the user cancelled.
 */
export type CsvSave = { dialog: boolean; path: string };

/** analyticsSaveCsv asks where to save one part of the page (native dialog) and writes it there. */
export function analyticsSaveCsv(kind: AnalyticsCsvKind, req: AnalyticsRequest, name: string): Promise<CsvSave> {
  return call('AnalyticsService.SaveCSV', () => AnalyticsService.SaveCSV(kind, wire(req), name));
}
