package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// schemaSettings holds what the workspace kept in files beside the SQLite
// file (brand voices, the LLM settings, the YouTube quota spent today, the
// retrained sentiment model): a team server has no such folder, and several
// instances on one database must share them. Values are opaque text to the
// store (JSON, or base64 for binary values); secrets never go here.
const schemaSettings = `
CREATE TABLE settings (
	key        TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);
`

// pgSchemaSettings is schemaSettings on PostgreSQL.
const pgSchemaSettings = `
CREATE TABLE settings (
	key        TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at BIGINT  NOT NULL
);
`

// Setting is one stored setting.
type Setting struct {
	Key       string
	Value     string
	UpdatedAt time.Time
}

// Setting returns the value stored under key, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: setting %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %q: %w", key, err)
	}
	return v, nil
}

// PutSetting stores value under key, replacing what was there.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, ms(s.now())); err != nil {
		return fmt.Errorf("store: put setting %q: %w", key, err)
	}
	return nil
}

// PutSettingIfAbsent stores value under key unless a value is already
// stored there, and reports whether it stored it. Moving a side file in
// uses it, so a value another instance or a newer save wrote is kept.
func (s *Store) PutSettingIfAbsent(ctx context.Context, key, value string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, value, ms(s.now()))
	if err != nil {
		return false, fmt.Errorf("store: put setting %q: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: put setting %q: %w", key, err)
	}
	return n > 0, nil
}

// DeleteSetting removes the value under key; a missing one is not an error.
func (s *Store) DeleteSetting(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: delete setting %q: %w", key, err)
	}
	return nil
}

// Settings returns every stored setting, by key.
func (s *Store) Settings(ctx context.Context) ([]Setting, error) {
	out, err := s.settingsWhere(ctx, `TRUE`)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	return out, nil
}

// SettingsWithPrefix returns the settings whose key starts with prefix, by
// key: a family of rows (the forwarding ledger's) read without the others.
func (s *Store) SettingsWithPrefix(ctx context.Context, prefix string) ([]Setting, error) {
	out, err := s.settingsWhere(ctx, `substr(key, 1, ?) = ?`, len(prefix), prefix)
	if err != nil {
		return nil, fmt.Errorf("store: settings %q…: %w", prefix, err)
	}
	return out, nil
}

// SettingsStamp sums up when the settings under keys last changed, without
// reading their values: it differs after any of them is written, added or
// deleted (by this process or another sharing the database).
func (s *Store) SettingsStamp(ctx context.Context, keys ...string) (string, error) {
	if len(keys) == 0 {
		return "", nil
	}
	var n, sum, latest int64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), CAST(coalesce(sum(updated_at), 0) AS BIGINT), coalesce(max(updated_at), 0)
		FROM settings WHERE key IN (`+placeholders(len(keys))+`)`, toAny(keys)...).Scan(&n, &sum, &latest)
	if err != nil {
		return "", fmt.Errorf("store: settings stamp %q: %w", keys, err)
	}
	return fmt.Sprintf("%d/%d/%d", n, sum, latest), nil
}

func (s *Store) settingsWhere(ctx context.Context, where string, args ...any) ([]Setting, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value, updated_at FROM settings WHERE `+where+` ORDER BY key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Setting
	for rows.Next() {
		var st Setting
		var at int64
		if err := rows.Scan(&st.Key, &st.Value, &at); err != nil {
			return nil, err
		}
		st.UpdatedAt = fromMS(at)
		out = append(out, st)
	}
	return out, rows.Err()
}

// UpdateSetting changes the value under key in one atomic step: fn gets the
// stored value (found false when there is none) and returns the value to
// store. On PostgreSQL the row is locked from the read to the write, so
// instances updating one key take turns and none writes back a value another
// has changed meanwhile (SQLite's write transactions take turns anyway). An
// error from fn stores nothing and is returned as it is.
func (s *Store) UpdateSetting(ctx context.Context, key string, fn func(value string, found bool) (string, error)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: update setting %q: %w", key, err)
	}
	defer tx.Rollback()
	now := ms(s.now())
	// A first writer inserts the row; a second one waits here for its
	// commit, then finds the row and locks it below.
	res, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, '', ?) ON CONFLICT (key) DO NOTHING`, key, now)
	if err != nil {
		return fmt.Errorf("store: update setting %q: %w", key, err)
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update setting %q: %w", key, err)
	}
	var old string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`+s.d.forUpdate(), key).Scan(&old); err != nil {
		return fmt.Errorf("store: update setting %q: %w", key, err)
	}
	v, err := fn(old, inserted == 0)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE settings SET value = ?, updated_at = ? WHERE key = ?`, v, now, key); err != nil {
		return fmt.Errorf("store: update setting %q: %w", key, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: update setting %q: commit: %w", key, err)
	}
	return nil
}
