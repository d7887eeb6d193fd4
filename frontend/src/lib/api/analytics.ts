// AnalyticsService: the analytics page (docs/analytics.md) and its CSV exports.
import * as AnalyticsService from '../../../wailsjs/go/main/AnalyticsService';
import type { workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { nonNull } from './normalize';
import type { Plain, With } from './types';

/** AnalyticsRequest picks the last `days` local days (today included), one account (0: all), a zone. */
export type AnalyticsRequest = Plain<workspace.AnalyticsRequest>;
/** ResponseRow is one SLA report group with durations in seconds. */
export type ResponseRow = Plain<workspace.ResponseRow>;
export type DaySentiment = Plain<workspace.DaySentiment>;
export type TermCount = { term: string; count: number };
/** heatmap[weekday][hour], Monday first, always 7 × 24; byAgent: "(none)" when nobody answered. */
export type Analytics = With<workspace.Analytics, { from: string; to: string; negativeTerms: TermCount[] }>;
export type AnalyticsCsvKind = 'heatmap' | 'response-times' | 'sentiment' | 'topics' | 'sla' | 'breaches';

/** grid7x24 pads or cuts the heatmap to 7 days × 24 hours, so the page can index it blindly. */
function grid7x24(rows: readonly (readonly number[] | null)[] | null | undefined): number[][] {
  return Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => rows?.[d]?.[h] ?? 0));
}

function normAnalytics(a: Plain<workspace.Analytics>): Analytics {
  return {
    ...a,
    heatmap: grid7x24(a?.heatmap),
    sentiment: nonNull(a?.sentiment),
    byChannel: nonNull(a?.byChannel),
    byAgent: nonNull(a?.byAgent),
    byWeek: nonNull(a?.byWeek),
    topTags: nonNull(a?.topTags),
    negativeTerms: nonNull(a?.negativeTerms).map(({ term, count }) => ({ term, count })),
    negativePhrases: nonNull(a?.negativePhrases),
  };
}

/** analyticsOverview returns everything the analytics page shows for one request. */
export function analyticsOverview(req: AnalyticsRequest): Promise<Analytics> {
  return call('AnalyticsService.Overview', () => AnalyticsService.Overview(req), normAnalytics);
}

/** analyticsCsv returns one part of the page as CSV text. */
export function analyticsCsv(kind: AnalyticsCsvKind, req: AnalyticsRequest): Promise<string> {
  return call('AnalyticsService.ExportCSV', () => AnalyticsService.ExportCSV(kind, req));
}
