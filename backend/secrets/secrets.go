// Package secrets keeps passwords, tokens and API keys in the OS keyring
// (Secret Service on Linux, Credential Manager on Windows, Keychain on macOS),
// never in SQLite or logs.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// ErrNotFound means no secret is stored under the key.
var ErrNotFound = errors.New("secret not found")

// ErrUnavailable means the OS keyring could not be reached (no Secret Service
// running, a locked keyring that refused to open, a D-Bus that never answered).
var ErrUnavailable = errors.New("the OS keyring is not available")

// callTimeout bounds one keyring call: a Secret Service that never answers
// must not hang the app.
const callTimeout = 10 * time.Second

// Keyring stores secrets under one service name in the OS keyring.
type Keyring struct {
	service string
}

// NewKeyring returns a keyring for service (e.g. "Stormdesk").
func NewKeyring(service string) *Keyring { return &Keyring{service: service} }

// Key names the secret of one account, e.g. Key("acme-mail", "password").
func Key(account, what string) string { return "account/" + account + "/" + what }

// Get returns the secret stored under key.
func (k *Keyring) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := k.call(ctx, "read", key, func() error {
		var err error
		v, err = keyring.Get(k.service, key)
		return err
	})
	return v, err
}

// Set stores value under key, replacing what was there.
func (k *Keyring) Set(ctx context.Context, key, value string) error {
	return k.call(ctx, "store", key, func() error { return keyring.Set(k.service, key, value) })
}

// Delete removes the secret under key; deleting a missing secret is not an error.
func (k *Keyring) Delete(ctx context.Context, key string) error {
	err := k.call(ctx, "delete", key, func() error { return keyring.Delete(k.service, key) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs one keyring operation with a deadline. The error names the key but
// never the secret.
func (k *Keyring) call(ctx context.Context, op, key string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return fmt.Errorf("keyring %s %q: %w", op, key, ErrNotFound)
		case errors.Is(err, keyring.ErrSetDataTooBig):
			return fmt.Errorf("keyring %s %q: the secret is too large for the OS keyring", op, key)
		default:
			return fmt.Errorf("keyring %s %q: %w: %v (on Linux, a Secret Service such as gnome-keyring or KWallet must be running and unlocked)", op, key, ErrUnavailable, err)
		}
	case <-ctx.Done():
		return fmt.Errorf("keyring %s %q: %w: no answer within %s", op, key, ErrUnavailable, callTimeout)
	}
}
