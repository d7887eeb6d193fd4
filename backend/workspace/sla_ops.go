package workspace

import (
	"context"
	"encoding/json"
	"fmt"
)

// SLAPolicyText returns the stored SLA policy set as indented JSON, the form
// Settings edits it in.
func (w *Workspace) SLAPolicyText(ctx context.Context) (string, error) {
	set, err := w.Store.SLAPolicies(ctx)
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode SLA policies: %w", err)
	}
	return string(b), nil
}

// SaveSLAPolicyText validates and stores a policy set given as JSON and
// recomputes every open deadline. An invalid set changes nothing; the error
// lists every problem, one per line.
func (w *Workspace) SaveSLAPolicyText(ctx context.Context, raw string) error {
	return w.Store.SaveSLAPolicies(ctx, []byte(raw))
}
