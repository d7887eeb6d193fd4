package main

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// SLAService edits the SLA policy set (docs/sla.md).
type SLAService struct{ app *App }

// Policies returns the stored policy set as indented JSON, ready to edit.
func (s *SLAService) Policies() (string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (string, error) {
		return ws.SLAPolicyText(ctx)
	})
}

// SavePolicies validates and stores a policy set given as JSON and recomputes
// every open deadline. An invalid set changes nothing; the error lists every
// problem, one per line.
func (s *SLAService) SavePolicies(raw string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		if err := ws.SaveSLAPolicyText(ctx, raw); err != nil {
			return err
		}
		// Deadlines moved, so the list's clocks did too.
		s.app.emitInboxChanged(ctx)
		return nil
	})
}
