package store

import (
	"context"
	"fmt"
)

// MaxMessageID returns the highest message id stored (0 for an empty store).
// It reads one end of the primary key, so followers such as the crisis monitor
// can ask "anything new?" every few seconds at any store size, including for
// messages written by another process (`stormdesk import`).
func (s *Store) MaxMessageID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: newest message id: %w", err)
	}
	return id, nil
}
