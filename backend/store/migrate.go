package store

import (
	"context"
	"fmt"
	"os"
	"time"
)

// SchemaVersion returns the database's schema version (PRAGMA user_version).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

// migrate brings the schema up to date, one transaction per migration, and
// returns the version the database had before.
func (s *Store) migrate(ctx context.Context) (int, error) {
	steps := migrations()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, s.openErr(err)
	}
	if v == 0 {
		// A fresh file has no schema; a SQLite file of another program does.
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
			if isCorrupt(err) {
				return v, s.openErr(err)
			}
			return v, fmt.Errorf("store: read schema of %s: %w", s.path, err)
		}
		if n > 0 {
			return v, fmt.Errorf("store: %s is a SQLite database of another program (no Stormdesk schema version): %w; the file was left untouched", s.path, ErrCorrupt)
		}
	}
	if v > len(steps) {
		return v, fmt.Errorf("store: %s: database schema version %d is newer than this Stormdesk (knows up to %d); upgrade Stormdesk: %w",
			s.path, v, len(steps), ErrNewerSchema)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return v, fmt.Errorf("store: %s: enable WAL: %w", s.path, err)
	}
	if mode != "wal" {
		return v, fmt.Errorf("store: %s: cannot enable WAL (journal mode stays %q)", s.path, mode)
	}
	if v > 0 && v < len(steps) {
		if err := s.backup(ctx, v); err != nil {
			return v, err
		}
	}
	for i := v; i < len(steps); i++ {
		if err := s.migrateStep(ctx, i+1, steps[i]); err != nil {
			return v, s.openErr(err)
		}
	}
	return v, nil
}

// migrateStep applies one migration and records its version atomically.
func (s *Store) migrateStep(ctx context.Context, version int, ddl string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	defer tx.Rollback()
	// Another process may have migrated while we waited for the write lock.
	var cur int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if cur >= version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if fill := dataMigration(version, s.now()); fill != nil {
		if err := fill(ctx, tx); err != nil {
			return fmt.Errorf("migrate to version %d: %w", version, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	return nil
}

// BackupPath is where Open copies a database before upgrading it from schema version v.
func BackupPath(dbPath string, v int, at time.Time) string {
	return fmt.Sprintf("%s.v%d-%s.bak", dbPath, v, at.UTC().Format("20060102T150405Z"))
}

// backup writes a consistent copy of the database before a migration changes
// it, so an upgrade that goes wrong can be undone by hand.
func (s *Store) backup(ctx context.Context, v int) error {
	dst := BackupPath(s.path, v, time.Now())
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("store: back up %s before upgrading: %s already exists", s.path, dst)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("store: back up %s to %s before upgrading from schema version %d: %w", s.path, dst, v, err)
	}
	return nil
}
