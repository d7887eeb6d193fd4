package store

import (
	"context"
	"fmt"
)

// SwapLiveState stores value under name only if the stored state is still
// was (as LiveState read it; nil: nothing stored yet), in one statement, and
// answers whether it did. Instances claiming one piece of work at once (a
// "Classify now" pressed on two of them) read the same state and try to swap
// it: exactly one swap finds it unchanged.
func (s *Store) SwapLiveState(ctx context.Context, name string, was *LiveState, value string) (bool, error) {
	at := ms(s.now())
	var q string
	var args []any
	if was == nil {
		q = `INSERT INTO live_state (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`
		args = []any{name, value, at}
	} else {
		q = `UPDATE live_state SET value = ?, updated_at = ? WHERE name = ? AND value = ? AND updated_at = ?`
		args = []any{value, at, name, was.Value, ms(was.UpdatedAt)}
	}
	r, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("store: swap live state %q: %w", name, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: swap live state %q: %w", name, err)
	}
	return n == 1, nil
}
