package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// AuthorsService serves the author panel: an author's history with the brand,
// reach, VIP flag, notes and the etiquette ladder (docs/authors.md). The
// ladder is Stormdesk's own record: it never calls a platform's ban API.
type AuthorsService struct {
	app *App
	as
}

// Profile returns an author's panel.
func (s *AuthorsService) Profile(authorID int64) (workspace.AuthorPanel, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.AuthorPanel, error) {
		return ws.AuthorPanel(ctx, authorID)
	})
}

// SetVIP marks or unmarks an author as VIP. SLA rules may match on it, and the
// list marks VIPs, so the inbox refreshes.
func (s *AuthorsService) SetVIP(authorID int64, vip bool) (workspace.AuthorPanel, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.AuthorPanel, error) {
		p, err := ws.SetAuthorVIP(ctx, authorID, vip)
		if err == nil {
			s.app.emitInboxChanged(ctx)
		}
		return p, err
	})
}

// SetNotes replaces the team's notes about an author.
func (s *AuthorsService) SetNotes(authorID int64, notes string) (workspace.AuthorPanel, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.AuthorPanel, error) {
		return ws.SetAuthorNotes(ctx, authorID, notes)
	})
}

// Moderate records a step of the etiquette ladder (see workspace.ModerateAuthor):
// a critical step is only recorded with confirm. Nothing is sent to the platform.
func (s *AuthorsService) Moderate(in workspace.AuthorModeration) (workspace.ModerationOutcome, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.ModerationOutcome, error) {
		out, err := ws.ModerateAuthor(ctx, in, s.actor().Name, time.Now())
		if err == nil && out.Applied {
			s.app.emitInboxChanged(ctx)
		}
		return out, err
	})
}
