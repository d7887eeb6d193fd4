//go:build !e2e

package main

import (
	"context"
	"log/slog"
)

// windowEval is nil in every build but the window tests' own (see e2e_eval.go):
// the shipped binary runs no script it did not bring.
func windowEval(*slog.Logger) func(ctx context.Context) { return nil }
