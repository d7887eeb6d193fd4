//go:build !e2e

package main

import (
	"context"
	"log/slog"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// windowEval is nil in every build but the window tests' own (see e2e_eval.go):
// the shipped binary runs no script it did not bring.
func windowEval(*slog.Logger) func(ctx context.Context) { return nil }

// failLoops does nothing in every build but the window tests' own (see e2e_eval.go).
func failLoops(*workspace.Workspace, *slog.Logger) {}
