package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migration is one schema step. Its SQL, its data fill and the version bump
// run in one transaction, so a crash or a failing step leaves the database
// at the version before the step, never half-way through it.
//
// Each engine keeps its own ordered list (sqliteMigrations); step i of a list
// brings the database to version i+1. Never edit a released step: append one.
type migration struct {
	sql string
	// fill derives from the rows already stored what SQL alone cannot; nil
	// for most steps. now is the store's clock.
	fill func(ctx context.Context, q querier, now time.Time) error
	// staleSLA marks a step that leaves the deadlines stored before it wrong
	// (computed by older rules, or from data the step rewrote): Open
	// recomputes every deadline after an upgrade that crosses it.
	staleSLA bool
}

// versionKeeper is where an engine records the schema version (SQLite:
// PRAGMA user_version; an engine without one keeps a schema_version row).
// The runner calls both inside a step's transaction, and readVersion there
// must see steps other processes committed meanwhile (SQLite: the write lock
// its BEGIN IMMEDIATE takes; PostgreSQL would lock the row), so two
// processes upgrading one database never apply a step twice.
type versionKeeper interface {
	readVersion(ctx context.Context, q querier) (int, error)
	writeVersion(ctx context.Context, q querier, v int) error
}

// checkKnownVersion refuses a database a newer Stormdesk has migrated: its
// schema may hold what this one would misread or overwrite. where names the
// database in the error.
func checkKnownVersion(where string, v int, steps []migration) error {
	if v > len(steps) {
		return fmt.Errorf("store: %s: database schema version %d is newer than this Stormdesk (knows up to %d); upgrade Stormdesk: %w",
			where, v, len(steps), ErrNewerSchema)
	}
	return nil
}

// runMigrations applies steps[from:] in order, one transaction each.
func runMigrations(ctx context.Context, db *sql.DB, vk versionKeeper, steps []migration, from int, now func() time.Time) error {
	for i := from; i < len(steps); i++ {
		if err := applyMigration(ctx, db, vk, i+1, steps[i], now()); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies one step and records its version atomically.
func applyMigration(ctx context.Context, db *sql.DB, vk versionKeeper, version int, m migration, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	defer tx.Rollback()
	// Another process may have migrated while we waited for the write lock.
	cur, err := vk.readVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if cur >= version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if m.fill != nil {
		if err := m.fill(ctx, tx, now); err != nil {
			return fmt.Errorf("migrate to version %d: %w", version, err)
		}
	}
	if err := vk.writeVersion(ctx, tx, version); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	return nil
}

// staleDeadlines reports whether upgrading a database from version from
// crossed a step that left its stored deadlines wrong. A new database (from
// 0) has none.
func staleDeadlines(steps []migration, from int) bool {
	if from <= 0 || from >= len(steps) {
		return false
	}
	for _, m := range steps[from:] {
		if m.staleSLA {
			return true
		}
	}
	return false
}
