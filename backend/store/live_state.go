package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"
)

// schemaLiveState holds what a once-per-team loop otherwise knows only in
// its own memory (the crisis monitor's per-stream states and charts, the
// classification pass's progress): the instance running the loop writes it,
// and every instance's pages read it, so a page shows the same whichever
// instance serves it. Values are opaque text (JSON) to the store.
const schemaLiveState = `
CREATE TABLE live_state (
	name       TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);
`

// pgSchemaLiveState is schemaLiveState on PostgreSQL.
const pgSchemaLiveState = `
CREATE TABLE live_state (
	name       TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at BIGINT  NOT NULL
);
`

// LiveState is one stored piece of a loop's live state.
type LiveState struct {
	Name      string
	Value     string
	UpdatedAt time.Time
}

// LiveState returns the live state stored under name, or ErrNotFound.
func (s *Store) LiveState(ctx context.Context, name string) (LiveState, error) {
	st := LiveState{Name: name}
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT value, updated_at FROM live_state WHERE name = ?`, name).Scan(&st.Value, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("store: live state %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("store: live state %q: %w", name, err)
	}
	st.UpdatedAt = fromMS(at)
	return st, nil
}

// PutLiveState stores every value of set under its name and removes the
// names in drop, in one transaction, so a reader never sees half of one
// publication.
func (s *Store) PutLiveState(ctx context.Context, set map[string]string, drop []string) error {
	return s.inTx(ctx, "store: put live state", func(tx *sql.Tx) error {
		return putLiveState(ctx, tx, ms(s.now()), set, drop)
	})
}

// ReplaceLiveState makes set the whole live state under prefix: names under
// prefix that set lacks are removed. A loop that has just taken over uses it,
// since it does not know what the previous holder left.
func (s *Store) ReplaceLiveState(ctx context.Context, prefix string, set map[string]string) error {
	return s.inTx(ctx, "store: replace live state", func(tx *sql.Tx) error {
		// substr rather than LIKE: a prefix may hold % or _ (account names).
		if _, err := tx.ExecContext(ctx, `DELETE FROM live_state WHERE substr(name, 1, ?) = ?`,
			len([]rune(prefix)), prefix); err != nil {
			return err
		}
		return putLiveState(ctx, tx, ms(s.now()), set, nil)
	})
}

func putLiveState(ctx context.Context, tx *sql.Tx, at int64, set map[string]string, drop []string) error {
	// In name order: two writers of overlapping names lock rows in one order.
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO live_state (name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			n, set[n], at); err != nil {
			return fmt.Errorf("%q: %w", n, err)
		}
	}
	for _, n := range drop {
		if _, err := tx.ExecContext(ctx, `DELETE FROM live_state WHERE name = ?`, n); err != nil {
			return fmt.Errorf("drop %q: %w", n, err)
		}
	}
	return nil
}
