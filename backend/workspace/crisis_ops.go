package workspace

import (
	"context"
	"fmt"
	"time"
)

// AccountsInCrisis returns the names of the accounts with crisis mode on,
// empty (not nil) when there are none.
func (w *Workspace) AccountsInCrisis(ctx context.Context) ([]string, error) {
	accs, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, acc := range accs {
		on, err := w.Store.InCrisis(ctx, acc.ID)
		if err != nil {
			return nil, err
		}
		if on {
			names = append(names, acc.Name)
		}
	}
	return names, nil
}

// AlertBurstGroups is BurstGroups for an alert as the UI holds it: window
// start and detection time as RFC 3339 text, window length in milliseconds.
func (w *Workspace) AlertBurstGroups(ctx context.Context, account, start, detectedAt string, windowMs int64) ([]BurstGroup, error) {
	from, err := time.Parse(time.RFC3339Nano, start)
	if err != nil {
		return nil, fmt.Errorf("burst groups of %s: window start: %w", account, err)
	}
	at, err := time.Parse(time.RFC3339Nano, detectedAt)
	if err != nil {
		return nil, fmt.Errorf("burst groups of %s: detection time: %w", account, err)
	}
	return w.BurstGroups(ctx, account, from, at, time.Duration(windowMs)*time.Millisecond)
}
