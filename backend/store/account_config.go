package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// AccountConfig returns the connector settings stored for an account (JSON,
// never secrets: those live in the OS keyring), or "{}" when none are set.
func (s *Store) AccountConfig(ctx context.Context, accountID int64) (json.RawMessage, error) {
	var cfg string
	err := s.db.QueryRowContext(ctx, `SELECT config FROM accounts WHERE id = ?`, accountID).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: config of account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: config of account %d: %w", accountID, err)
	}
	return json.RawMessage(cfg), nil
}

// SetAccountConfig replaces an account's connector settings; cfg must be a JSON object.
func (s *Store) SetAccountConfig(ctx context.Context, accountID int64, cfg json.RawMessage) error {
	var obj map[string]any
	if err := json.Unmarshal(cfg, &obj); err != nil || obj == nil {
		return fmt.Errorf("store: config of account %d: not a JSON object", accountID)
	}
	r, err := s.db.ExecContext(ctx, `UPDATE accounts SET config = ? WHERE id = ?`, string(cfg), accountID)
	return affectedOne(r, err, fmt.Sprintf("store: set config of account %d", accountID))
}
