package main

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// accountTestTimeout bounds "Test connection", so a silent server answers the
// button with an error instead of a spinner.
const accountTestTimeout = 30 * time.Second

// AccountsService serves the account settings: channels, secrets, test, sync.
type AccountsService struct{ app *App }

func (s *AccountsService) syncer() (*workspace.Syncer, error) {
	return started(s.app, &s.app.syncer, "background sync")
}

// List returns every account with its settings, sync state and the secrets its channel needs.
func (s *AccountsService) List() ([]workspace.AccountStatus, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]workspace.AccountStatus, error) {
		return ws.AccountStatuses(ctx)
	})
}

// Channels lists the channels an account can be set up for, with the secrets each needs.
func (s *AccountsService) Channels() []registry.ChannelInfo { return registry.Channels() }

// Save stores an account's settings (secrets go to the OS keyring) and restarts its sync.
func (s *AccountsService) Save(in workspace.AccountInput) (inbox.Account, error) {
	acc, err := call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Account, error) {
		return ws.SaveAccount(ctx, s.app.secrets, in)
	})
	if err != nil {
		return inbox.Account{}, err
	}
	if err := s.SyncNow(acc.Name); err != nil {
		return acc, fmt.Errorf("saved, but sync cannot start: %w", err)
	}
	return acc, nil
}

// Test checks an account's credentials and reachability with one cheap call.
func (s *AccountsService) Test(name string) (string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, accountTestTimeout)
		defer cancel()
		if err := ws.TestAccount(ctx, s.app.secrets, name); err != nil {
			return "", err
		}
		return "connected", nil
	})
}

// SyncNow restarts an account's background sync at once.
func (s *AccountsService) SyncNow(name string) error {
	return doOn(s.app, s.syncer, func(ctx context.Context, sy *workspace.Syncer) error {
		return sy.Start(ctx, name)
	})
}
