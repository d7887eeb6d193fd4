package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// schemaSealedSecrets holds the team server's secrets (channel tokens and
// passwords), each sealed by backend/secrets/sealed under a key kept outside
// the database: the store only ever sees ciphertext.
const schemaSealedSecrets = `
CREATE TABLE sealed_secrets (
	name       TEXT    PRIMARY KEY,
	sealed     BLOB    NOT NULL,
	updated_at INTEGER NOT NULL
);
`

// pgSchemaSealedSecrets is schemaSealedSecrets on PostgreSQL.
const pgSchemaSealedSecrets = `
CREATE TABLE sealed_secrets (
	name       TEXT    PRIMARY KEY,
	sealed     BYTEA   NOT NULL,
	updated_at BIGINT  NOT NULL
);
`

// SealedSecret returns the ciphertext stored under name, or ErrNotFound.
func (s *Store) SealedSecret(ctx context.Context, name string) ([]byte, error) {
	var sealed []byte
	err := s.db.QueryRowContext(ctx, `SELECT sealed FROM sealed_secrets WHERE name = ?`, name).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: sealed secret %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: sealed secret %q: %w", name, err)
	}
	return sealed, nil
}

// PutSealedSecret stores ciphertext under name, replacing what was there.
func (s *Store) PutSealedSecret(ctx context.Context, name string, sealed []byte) error {
	if len(sealed) == 0 {
		return fmt.Errorf("store: put sealed secret %q: empty ciphertext", name)
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sealed_secrets (name, sealed, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
		name, sealed, ms(s.now()))
	if err != nil {
		return fmt.Errorf("store: put sealed secret %q: %w", name, err)
	}
	return nil
}

// DeleteSealedSecret removes the ciphertext under name; a missing one is not an error.
func (s *Store) DeleteSealedSecret(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sealed_secrets WHERE name = ?`, name); err != nil {
		return fmt.Errorf("store: delete sealed secret %q: %w", name, err)
	}
	return nil
}
