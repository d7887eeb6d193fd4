package main

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
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

// List returns every account that is not removed with its state, settings,
// sync state, the background sync's next attempt after failures, and the
// secrets its channel needs.
func (s *AccountsService) List() ([]workspace.AccountStatus, error) {
	if sy, err := s.syncer(); err == nil {
		return sy.AccountStatuses(s.app.context())
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]workspace.AccountStatus, error) {
		return ws.AccountStatuses(ctx)
	})
}

// Channels lists the channels an account can be set up for, with the secrets each needs.
func (s *AccountsService) Channels() []registry.ChannelInfo { return registry.Channels() }

// Save stores an account's settings (secrets go to the OS keyring) and restarts its sync.
func (s *AccountsService) Save(in workspace.AccountInput) (inbox.Account, error) {
	if err := s.app.channelHere(in.Channel); err != nil {
		return inbox.Account{}, err
	}
	acc, err := call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Account, error) {
		return ws.SaveAccount(ctx, s.app.secrets, in)
	})
	if err != nil {
		return inbox.Account{}, err
	}
	// A disabled account keeps its new settings and stays disabled.
	if err := s.SyncNow(acc.Name); err != nil && !apperr.Is(err, apperr.CodeAccountDisabled) {
		return acc, fmt.Errorf("saved, but sync cannot start: %w", err)
	}
	return acc, nil
}

// TestInput checks the account a setup form describes (settings and the
// secrets typed in) with one cheap call, storing nothing. The error is coded
// (apperr), so the form says it in the user's language with the next step.
// A passing test answers with the permissions the token has and lacks
// (Meta's channels; empty lists for the others).
func (s *AccountsService) TestInput(in workspace.AccountInput) (channels.Permissions, error) {
	if err := s.app.channelHere(in.Channel); err != nil {
		return channels.Permissions{}, err
	}
	res, err := call(s.app, func(ctx context.Context, ws *workspace.Workspace) (channels.Permissions, error) {
		ctx, cancel := context.WithTimeout(ctx, accountTestTimeout)
		defer cancel()
		return ws.TestAccountInput(ctx, s.app.secrets, in)
	})
	return res, apperr.Encode(err)
}

// SetEnabled disables an account (its sync stops at once, its queued replies
// fail with account-disabled; settings, secrets and conversations stay) or
// enables it and starts its sync.
func (s *AccountsService) SetEnabled(name string, enabled bool) error {
	err := do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		_, err := ws.SetAccountEnabled(ctx, name, enabled)
		return err
	})
	if err != nil {
		return apperr.Encode(err)
	}
	if !enabled {
		s.stopSync(name)
		return nil
	}
	return apperr.Encode(s.SyncNow(name))
}

// Remove removes an account: its secrets leave the OS keyring, its settings
// go and its sync stops; its conversations stay, read-only.
func (s *AccountsService) Remove(name string) error {
	err := do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		_, err := ws.RemoveAccount(ctx, s.app.secrets, name)
		return err
	})
	if err != nil {
		return apperr.Encode(err)
	}
	s.stopSync(name)
	return nil
}

// stopSync ends the account's background loop now; without a running
// syncer there is none (and the scheduler checks the state before each run).
func (s *AccountsService) stopSync(name string) {
	if sy, err := s.syncer(); err == nil {
		sy.StopAccount(name)
	}
}

// Test checks an account's credentials and reachability with one cheap call,
// answering as TestInput does.
func (s *AccountsService) Test(name string) (channels.Permissions, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (channels.Permissions, error) {
		ctx, cancel := context.WithTimeout(ctx, accountTestTimeout)
		defer cancel()
		return ws.TestAccount(ctx, s.app.secrets, name)
	})
}

// SyncNow restarts an account's background sync at once.
func (s *AccountsService) SyncNow(name string) error {
	return doOn(s.app, s.syncer, func(ctx context.Context, sy *workspace.Syncer) error {
		return sy.Start(ctx, name)
	})
}

// channelHere refuses, in the person's language, a channel this app cannot
// receive: WhatsApp delivers messages only to a webhook, which the team
// server receives and a desktop on its own cannot.
func (a *App) channelHere(ch inbox.ChannelKind) error {
	if ch == inbox.ChannelWhatsApp && !a.team {
		return apperr.NeedsTeamServer(string(ch))
	}
	return nil
}
