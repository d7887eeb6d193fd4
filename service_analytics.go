package main

import (
	"context"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// AnalyticsService answers the analytics page (docs/analytics.md).
type AnalyticsService struct{ app *App }

// Overview returns everything the analytics page shows for one range, account and
// time zone: the weekday x hour heatmap, response times, sentiment trend and topics.
func (s *AnalyticsService) Overview(req workspace.AnalyticsRequest) (workspace.Analytics, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.Analytics, error) {
		return ws.Analytics(ctx, req, time.Now())
	})
}

// ExportCSV returns one part of the analytics page as CSV text; kind is one of
// heatmap, response-times, sentiment, topics, sla or breaches.
func (s *AnalyticsService) ExportCSV(kind string, req workspace.AnalyticsRequest) (string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (string, error) {
		var b strings.Builder
		if err := ws.ExportAnalyticsCSV(ctx, &b, kind, req, time.Now()); err != nil {
			return "", err
		}
		return b.String(), nil
	})
}
