package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestAccount checks a stored account's credentials and reachability with one
// cheap call. The connector is made for this call alone and closed after it,
// so a test never disturbs the account's background sync. A disabled account
// can be tested (before it is enabled again); a removed one cannot.
func (w *Workspace) TestAccount(ctx context.Context, sec SecretStore, name string) (channels.Permissions, error) {
	acc, conn, err := w.connector(ctx, sec, name, true)
	if err != nil {
		return channels.Permissions{}, err
	}
	return testConn(ctx, acc.Name, conn)
}

// TestAccountInput opens the connector a setup form describes and makes the
// same cheap call, without storing anything: not the account, its settings
// nor its secrets. Secrets left empty in the form are taken from the keyring
// only for an existing account whose server the form does not change (as
// SaveAccount would keep them); otherwise the form's own are all there is.
func (w *Workspace) TestAccountInput(ctx context.Context, sec SecretStore, in AccountInput) (channels.Permissions, error) {
	in, err := checkInput(in)
	if err != nil {
		return channels.Permissions{}, err
	}
	acc := inbox.Account{Name: in.Name, Channel: in.Channel, Brand: in.Brand, Handle: in.Handle}
	var stored SecretStore
	if prev, err := w.Store.AccountByName(ctx, in.Name); err == nil {
		acc.ID = prev.ID
		moved, err := w.destinationChanged(ctx, in)
		if err != nil {
			return channels.Permissions{}, err
		}
		if !moved {
			stored = sec
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return channels.Permissions{}, fmt.Errorf("account %s: %w", in.Name, err)
	}
	conn, err := w.open(ctx, enteredSecrets{account: in.Name, given: in.Secrets, stored: stored}, acc, []byte(in.Settings))
	if err != nil {
		return channels.Permissions{}, err
	}
	return testConn(ctx, acc.Name, conn)
}

// testConn runs the connector's test and closes it; a refused login is
// auth-failed with the account's name, so the form can say which to fix.
// A connector whose token carries permissions reports them; the others
// answer with empty lists.
func testConn(ctx context.Context, account string, conn channels.Connector) (channels.Permissions, error) {
	defer closeConn(conn)
	perms := channels.Permissions{Granted: []string{}, Missing: []string{}}
	var err error
	if pt, ok := conn.(channels.PermissionTester); ok {
		perms, err = pt.TestPermissions(ctx)
	} else {
		err = conn.Test(ctx)
	}
	if errors.Is(err, channels.ErrAuth) {
		return channels.Permissions{}, apperr.AuthFailed(account, err)
	}
	if err != nil {
		return channels.Permissions{}, err
	}
	return perms, nil
}

// enteredSecrets answers with the secrets typed into a form, then (if stored
// is set) with the keyring's; nothing is written anywhere.
type enteredSecrets struct {
	account string
	given   map[string]string
	stored  SecretStore
}

func (e enteredSecrets) Get(ctx context.Context, key string) (string, error) {
	for name, v := range e.given {
		if v != "" && secrets.Key(e.account, name) == key {
			return v, nil
		}
	}
	if e.stored == nil {
		return "", fmt.Errorf("%s: not entered: %w", key, secrets.ErrNotFound)
	}
	return e.stored.Get(ctx, key)
}

// SetAccountEnabled disables an account (its sync stops and its replies are
// not sent; settings, secrets and conversations stay) or enables it again.
// Stopping a running sync is the caller's (Syncer.StopAccount); the scheduler
// also stops by itself before its next run.
func (w *Workspace) SetAccountEnabled(ctx context.Context, name string, enabled bool) (inbox.Account, error) {
	acc, err := w.liveAccount(ctx, name)
	if err != nil {
		return inbox.Account{}, err
	}
	state := store.AccountDisabled
	if enabled {
		state = store.AccountActive
	}
	if err := w.Store.SetAccountState(ctx, acc.ID, state); err != nil {
		return inbox.Account{}, err
	}
	w.Log.Info("account state changed", "account", acc.Name, "state", state)
	return acc, nil
}

// RemoveAccount removes an account: its secrets leave the keyring, its
// settings and sync cursor are dropped, and it is not synced or sent through
// again. Its conversations, messages and replies (with their audit trail)
// stay, read-only. The secrets go first: if the keyring refuses, nothing is
// marked removed and removing again retries.
func (w *Workspace) RemoveAccount(ctx context.Context, sec AccountSecrets, name string) (inbox.Account, error) {
	acc, err := w.liveAccount(ctx, name)
	if err != nil {
		return inbox.Account{}, err
	}
	for _, s := range registry.SecretsFor(acc.Channel) {
		err := sec.Delete(ctx, secrets.Key(acc.Name, s.Name))
		if err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return acc, fmt.Errorf("account %s: remove its %s from the keyring: %w", acc.Name, s.Name, err)
		}
	}
	if err := w.Store.RemoveAccount(ctx, acc.ID); err != nil {
		return acc, err
	}
	w.Log.Info("account removed; its conversations stay read-only", "account", acc.Name)
	return acc, nil
}

// liveAccount returns the account named name unless it was removed.
func (w *Workspace) liveAccount(ctx context.Context, name string) (inbox.Account, error) {
	acc, err := w.Store.AccountByName(ctx, name)
	if err != nil {
		return inbox.Account{}, apperr.NotFound("account", err)
	}
	state, err := w.Store.AccountStateOf(ctx, acc.ID)
	if err != nil {
		return inbox.Account{}, err
	}
	if state == store.AccountRemoved {
		return inbox.Account{}, apperr.AccountRemoved(acc.Name, fmt.Errorf("account %s was already removed", acc.Name))
	}
	return acc, nil
}
