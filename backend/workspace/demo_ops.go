package workspace

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// DemoPresent reports whether any account of the demo data set is still
// stored, so the UI keeps saying "demo" for as long as demo data is there, not
// only in the session that stored it.
func (w *Workspace) DemoPresent(ctx context.Context) (bool, error) {
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return false, fmt.Errorf("demo present: %w", err)
	}
	for _, a := range accounts {
		isDemo, err := w.isDemoAccount(ctx, a)
		if err != nil || isDemo {
			return isDemo, err
		}
	}
	return false, nil
}

// isDemoAccount tells a demo account by its first message's external id.
func (w *Workspace) isDemoAccount(ctx context.Context, acc inbox.Account) (bool, error) {
	_, found, err := w.Store.MessageSentAt(ctx, acc.ID, demo.ExternalID(acc.Name, 1))
	if err != nil {
		return false, fmt.Errorf("account %s: %w", acc.Name, err)
	}
	return found, nil
}
