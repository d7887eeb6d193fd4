package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// A snooze hides a conversation from every inbox view but the snoozed one
// until its time (the page query compares it with the store's clock, so a
// snooze ends on time even when nothing runs then) or until the customer
// writes again (a trigger on messages deletes it). WakeSnoozed then brings the
// conversation back as open and clears the row.

// snoozeTx snoozes conversation id until `until`; a zero time ends its snooze.
func snoozeTx(ctx context.Context, tx *sql.Tx, id int64, until, now time.Time, agent string) error {
	if until.IsZero() {
		_, err := tx.ExecContext(ctx, `DELETE FROM conversation_snoozes WHERE conversation_id = ?`, id)
		return err
	}
	if !until.After(now) {
		return fmt.Errorf("snooze conversation %d: %s is not in the future", id, until.Format(time.RFC3339))
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO conversation_snoozes (conversation_id, until, snoozed_at, snoozed_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET until = excluded.until, snoozed_at = excluded.snoozed_at,
			snoozed_by = excluded.snoozed_by`, id, ms(until), ms(now), agent)
	return err
}

// SnoozedUntil returns when conversation id's snooze ends, or the zero time
// when it is not snoozed (or its snooze is over).
func (s *Store) SnoozedUntil(ctx context.Context, id int64) (time.Time, error) {
	var until int64
	err := s.db.QueryRowContext(ctx, `SELECT until FROM conversation_snoozes WHERE conversation_id = ? AND until > ?`,
		id, ms(s.now())).Scan(&until)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: snooze of conversation %d: %w", id, err)
	}
	return fromMS(until), nil
}

// WakeSnoozed ends every snooze whose time has come: the conversation is
// opened again (recorded as a status change by "snooze" when it was pending
// or closed) and its snooze row removed, in one transaction. It returns the
// woken conversations and the time the next snooze ends (zero when none).
func (s *Store) WakeSnoozed(ctx context.Context) ([]int64, time.Time, error) {
	now := s.now()
	var woken []int64
	var next time.Time
	err := s.inTx(ctx, "store: wake snoozed conversations", func(tx *sql.Tx) error {
		if s.d.pg {
			// Locked as a triage step locks, before the first write.
			due, err := queryIDs(ctx, tx, `SELECT conversation_id FROM conversation_snoozes WHERE until <= ?`, []any{ms(now)})
			if err != nil {
				return err
			}
			if err := s.lockConversations(ctx, tx, due); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `DELETE FROM conversation_snoozes WHERE until <= ? RETURNING conversation_id`, ms(now))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			woken = append(woken, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range woken {
			if _, err := setStatusTx(ctx, tx, now, id, inbox.StatusOpen, "snooze"); err != nil {
				return err
			}
		}
		var nextMS sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(until) FROM conversation_snoozes`).Scan(&nextMS); err != nil {
			return err
		}
		if nextMS.Valid {
			next = fromMS(nextMS.Int64)
		}
		if len(woken) == 0 {
			return nil
		}
		return s.refresh(ctx, tx, now, false, woken...)
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	return woken, next, nil
}
