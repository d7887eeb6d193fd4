package sealed

import (
	"context"
	"errors"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Rows is where sealed values are kept (*store.Store: the sealed_secrets
// table). It sees ciphertext only.
type Rows interface {
	SealedSecret(ctx context.Context, name string) ([]byte, error)
	PutSealedSecret(ctx context.Context, name string, sealed []byte) error
	DeleteSealedSecret(ctx context.Context, name string) error
}

// Store keeps secrets sealed in the database. It has the OS keyring's methods
// and errors (secrets.ErrNotFound for a missing secret), so the team server
// can hand it to the workspace in the keyring's place.
type Store struct {
	key  *Key
	rows Rows
}

// NewStore returns a Store that seals under key into rows.
func NewStore(key *Key, rows Rows) *Store { return &Store{key: key, rows: rows} }

// Get returns the secret stored under name.
func (s *Store) Get(ctx context.Context, name string) (string, error) {
	sealed, err := s.rows.SealedSecret(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("sealed secrets read %q: %w", name, secrets.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sealed secrets read %q: %w", name, err)
	}
	plain, err := s.key.Open(name, sealed)
	if err != nil {
		return "", fmt.Errorf("sealed secrets read: %w", err)
	}
	return string(plain), nil
}

// Set stores value under name, replacing what was there.
func (s *Store) Set(ctx context.Context, name, value string) error {
	sealed, err := s.key.Seal(name, []byte(value))
	if err != nil {
		return fmt.Errorf("sealed secrets store: %w", err)
	}
	if err := s.rows.PutSealedSecret(ctx, name, sealed); err != nil {
		return fmt.Errorf("sealed secrets store: %w", err)
	}
	return nil
}

// Delete removes the secret under name; deleting a missing secret is not an error.
func (s *Store) Delete(ctx context.Context, name string) error {
	if err := s.rows.DeleteSealedSecret(ctx, name); err != nil {
		return fmt.Errorf("sealed secrets delete: %w", err)
	}
	return nil
}
