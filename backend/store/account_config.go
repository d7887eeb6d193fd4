package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
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

// InCrisis reports whether crisis mode is on for an account (see SetCrisis).
func (s *Store) InCrisis(ctx context.Context, accountID int64) (bool, error) {
	var on bool
	err := s.db.QueryRowContext(ctx, `SELECT crisis_since IS NOT NULL FROM accounts WHERE id = ?`, accountID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: crisis mode of account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("store: crisis mode of account %d: %w", accountID, err)
	}
	return on, nil
}

// MessageSentAt returns when the account's message with this external id was
// sent; ok is false if it is not stored.
func (s *Store) MessageSentAt(ctx context.Context, accountID int64, externalID string) (time.Time, bool, error) {
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT sent_at FROM messages WHERE account_id = ? AND external_id = ?`, accountID, externalID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: time of message %q: %w", externalID, err)
	}
	return fromMS(at), true, nil
}
