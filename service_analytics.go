package main

import (
	"context"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

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

// Span returns the first and last local day of the inbound messages of one
// account (0: all) in a time zone, so the page can open on imported history.
func (s *AnalyticsService) Span(accountID int64, timeZone string) (workspace.DataSpan, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.DataSpan, error) {
		return ws.AnalyticsSpan(ctx, accountID, timeZone)
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

// CSVSave says what SaveCSV did: Dialog is false outside the window (the page
// then downloads ExportCSV's text itself); Path is where the file was written,
// empty when the user cancelled the dialog.
type CSVSave struct {
	Dialog bool   `json:"dialog"`
	Path   string `json:"path"`
}

// SaveCSV asks where to save one part of the analytics page with the
// window's native save dialog, suggesting name, and writes it there.
func (s *AnalyticsService) SaveCSV(kind string, req workspace.AnalyticsRequest, name string) (CSVSave, error) {
	return saveCSVDialog(s.app, name, func(ctx context.Context, ws *workspace.Workspace, path string) error {
		return ws.SaveAnalyticsCSV(ctx, path, kind, req, time.Now())
	})
}

// Engagement returns the discussion depth of the brand's own channels for
// one range, account and time zone: messages, replies and distinct
// participants per conversation, in total and per channel.
func (s *AnalyticsService) Engagement(req workspace.AnalyticsRequest) (workspace.Engagement, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.Engagement, error) {
		return ws.ConversationEngagement(ctx, req, time.Now())
	})
}

// saveCSVDialog asks where to save a CSV with the window's native save
// dialog, suggesting name, and has save write it there.
func saveCSVDialog(app *App, name string, save func(ctx context.Context, ws *workspace.Workspace, path string) error) (CSVSave, error) {
	return call(app, func(ctx context.Context, ws *workspace.Workspace) (CSVSave, error) {
		wctx, ok := app.dialogContext()
		if !ok {
			return CSVSave{}, nil
		}
		path, err := wruntime.SaveFileDialog(wctx, wruntime.SaveDialogOptions{
			DefaultFilename: name,
			Filters:         []wruntime.FileFilter{{DisplayName: "CSV (*.csv)", Pattern: "*.csv"}},
		})
		if err != nil || path == "" {
			return CSVSave{Dialog: true}, err
		}
		if err := save(ctx, ws, path); err != nil {
			return CSVSave{Dialog: true}, err
		}
		return CSVSave{Dialog: true, Path: path}, nil
	})
}
