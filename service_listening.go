package main

import (
	"context"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// ListeningService serves the Listening screen (docs/listening.md): topics
// and their queries, the stream of mentions found on the web, their
// tonality, turning a mention into a conversation, and the sources' status.
type ListeningService struct {
	app *App
	as
}

// Topics returns every listening topic.
func (s *ListeningService) Topics() ([]store.ListeningTopic, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.ListeningTopic, error) {
		return ws.ListeningTopics(ctx)
	})
}

// SaveTopic creates (id 0) or updates a topic; a query that does not parse
// is refused with query-invalid whose params say why (reason: the query
// error's code) and where (pos, end: character offsets).
func (s *ListeningService) SaveTopic(t store.ListeningTopic) (store.ListeningTopic, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.ListeningTopic, error) {
		saved, err := ws.SaveListeningTopic(ctx, t)
		if err == nil {
			s.app.emitListeningChanged(ctx)
		}
		return saved, err
	})
}

// DeleteTopic deletes a topic and the mentions only it held.
func (s *ListeningService) DeleteTopic(id int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		err := ws.DeleteListeningTopic(ctx, id)
		if err == nil {
			s.app.emitListeningChanged(ctx)
		}
		return err
	})
}

// CheckQuery validates a query as the user types (no error: the answer
// says what is wrong and where).
func (s *ListeningService) CheckQuery(q string) workspace.QueryCheck {
	return workspace.CheckListeningQuery(q)
}

// Preview returns recent mentions the query matches (the demo's before any
// mention is stored).
func (s *ListeningService) Preview(q string) ([]store.ListeningMention, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.ListeningMention, error) {
		return ws.PreviewListening(ctx, q, time.Now())
	})
}

// Mentions returns one page of the mention stream, newest first; pass the
// page's next as cursor with the same filter for the following one.
func (s *ListeningService) Mentions(f store.ListeningFilter, cursor string) (store.ListeningPage, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.ListeningPage, error) {
		return ws.ListeningMentions(ctx, f, cursor)
	})
}

// CorrectTonality sets a mention's tonality; later polls keep it.
func (s *ListeningService) CorrectTonality(id int64, label inbox.Sentiment) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		err := ws.CorrectListeningTonality(ctx, id, label)
		if err == nil {
			s.app.emitListeningChanged(ctx)
		}
		return err
	})
}

// ToConversation turns an answerable mention into an inbox conversation (or
// returns the one it became) and answers its id.
func (s *ListeningService) ToConversation(id int64) (int64, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (int64, error) {
		conv, err := ws.ListeningToConversation(ctx, id)
		if err == nil {
			s.app.emitInboxChanged(ctx)
			s.app.emitListeningChanged(ctx)
		}
		return conv, err
	})
}

// Sources returns the configured sources with their status: next poll,
// remaining quota, last error (coded).
func (s *ListeningService) Sources() ([]store.ListeningSource, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.ListeningSource, error) {
		return ws.ListeningSources(ctx)
	})
}

// SaveSource creates (id 0) or updates a source; its secrets go to the
// keyring (the team server's sealed secrets), never the database.
func (s *ListeningService) SaveSource(in workspace.ListeningSourceInput) (store.ListeningSource, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.ListeningSource, error) {
		src, err := ws.SaveListeningSource(ctx, in, s.app.secrets)
		if err == nil {
			s.app.emitListeningChanged(ctx)
		}
		return src, err
	})
}

// DeleteSource deletes a source, its cursors and its secrets; what it found stays.
func (s *ListeningService) DeleteSource(id int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		err := ws.DeleteListeningSource(ctx, id, s.app.secrets, ws.ListeningKinds())
		if err == nil {
			s.app.emitListeningChanged(ctx)
		}
		return err
	})
}

// ForwardRules returns the forwarding rule of each topic that has one,
// with its last forwarding error (coded, for the user's language).
func (s *ListeningService) ForwardRules() ([]workspace.ForwardRule, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]workspace.ForwardRule, error) {
		return ws.ForwardRules(ctx)
	})
}

// SaveForwardRule stores a topic's forwarding rule (one per topic).
func (s *ListeningService) SaveForwardRule(r workspace.ForwardRule) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveForwardRule(ctx, r)
	})
}

// DeleteForwardRule removes a topic's forwarding rule.
func (s *ListeningService) DeleteForwardRule(topicID int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.DeleteForwardRule(ctx, topicID)
	})
}

// TestForwardRule sends a test message to every target of a topic's rule.
func (s *ListeningService) TestForwardRule(topicID int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.TestForwardRule(ctx, topicID)
	})
}

// ForwardConfig returns forwarding's SMTP account and whether the bot
// token and SMTP password are set (never the secrets themselves).
func (s *ListeningService) ForwardConfig() (workspace.ForwardConfig, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.ForwardConfig, error) {
		return ws.ForwardConfig(ctx, s.app.secrets)
	})
}

// SaveForwardConfig stores the SMTP account; a bot token or password given
// goes to the keyring (an empty one keeps the stored one).
func (s *ListeningService) SaveForwardConfig(c workspace.ForwardConfig) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveForwardConfig(ctx, s.app.secrets, c)
	})
}

// Kinds describes every source kind for the settings form: its settings
// fields and the secrets it asks for.
func (s *ListeningService) Kinds() []workspace.ListeningKindInfo {
	return workspace.ListeningKindInfos()
}

// Analytics returns the Listening part of the analytics page: mentions per
// day and tonality, share of voice, top sources, authors and terms of the
// selected topics (none: all) over a period.
func (s *ListeningService) Analytics(req workspace.ListeningAnalyticsRequest) (workspace.ListeningAnalytics, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.ListeningAnalytics, error) {
		return ws.ListeningAnalytics(ctx, req, time.Now())
	})
}

// ExportAnalyticsCSV returns one part of the Listening analytics as CSV
// text; kind is one of days, share, sources, authors or terms.
func (s *ListeningService) ExportAnalyticsCSV(kind string, req workspace.ListeningAnalyticsRequest) (string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (string, error) {
		var b strings.Builder
		if err := ws.ExportListeningCSV(ctx, &b, kind, req, time.Now()); err != nil {
			return "", err
		}
		return b.String(), nil
	})
}

// SaveAnalyticsCSV saves one part of the Listening analytics through the
// window's save dialog, as AnalyticsService.SaveCSV does.
func (s *ListeningService) SaveAnalyticsCSV(kind string, req workspace.ListeningAnalyticsRequest, name string) (CSVSave, error) {
	return saveCSVDialog(s.app, name, func(ctx context.Context, ws *workspace.Workspace, path string) error {
		return ws.SaveListeningCSV(ctx, path, kind, req, time.Now())
	})
}
