package store

import (
	"context"
	"fmt"
	"strings"
)

// OpenAssignedCounts answers how many conversations each assignee has that
// are not closed (open or pending), the load round-robin assignment caps.
func (s *Store) OpenAssignedCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT assignee, count(*) FROM conversations WHERE assignee <> '' AND status <> 'closed' GROUP BY assignee`)
	if err != nil {
		return nil, fmt.Errorf("store: open assigned counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("store: open assigned counts: %w", err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open assigned counts: %w", err)
	}
	return out, nil
}

// UnassignedOpenAfter answers up to limit open, unassigned conversations
// with ids above after, oldest first: the new conversations round-robin
// assignment has not handed out yet.
func (s *Store) UnassignedOpenAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id FROM conversations WHERE id > ? AND assignee = '' AND status = 'open' ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unassigned conversations after %d: %w", after, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: unassigned conversations after %d: %w", after, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unassigned conversations after %d: %w", after, err)
	}
	return ids, nil
}

// LastConversationID answers the highest conversation id (0: none yet).
func (s *Store) LastConversationID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM conversations`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last conversation id: %w", err)
	}
	return id, nil
}

// AssignIfUnassigned gives conversation id to assignee unless someone was
// assigned meanwhile (by hand, between the read and this write): it answers
// whether it assigned.
func (s *Store) AssignIfUnassigned(ctx context.Context, id int64, assignee string) (bool, error) {
	r, err := s.db.ExecContext(ctx, `UPDATE conversations SET assignee = ? WHERE id = ? AND assignee = ''`, strings.TrimSpace(assignee), id)
	if err != nil {
		return false, fmt.Errorf("store: assign conversation %d to %q: %w", id, assignee, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: assign conversation %d to %q: %w", id, assignee, err)
	}
	return n == 1, nil
}
