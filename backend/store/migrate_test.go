package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestMigrationStepIsAtomic runs the engine-agnostic runner over a list of
// its own: a step whose fill fails leaves neither its SQL nor its version.
func TestMigrationStepIsAtomic(t *testing.T) {
	sqliteOnly(t, "runs SQLite steps on a raw SQLite file")
	ctx := context.Background()
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	boom := errors.New("boom")
	steps := []migration{
		{sql: `CREATE TABLE a (x INTEGER)`},
		{sql: `CREATE TABLE b (x INTEGER)`, fill: func(context.Context, querier, time.Time) error { return boom }},
	}
	if err := runMigrations(ctx, db, sqliteVersion{}, steps, 0, time.Now); !errors.Is(err, boom) {
		t.Fatalf("runMigrations = %v; want the fill's error", err)
	}
	if v, err := (sqliteVersion{}).readVersion(ctx, db); err != nil || v != 1 {
		t.Fatalf("version %d, %v; want 1", v, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table of the failed step: %d, %v", n, err)
	}
	// A step another process already applied is skipped, not run again.
	if err := runMigrations(ctx, db, sqliteVersion{}, steps[:1], 0, time.Now); err != nil {
		t.Fatalf("re-running an applied step: %v", err)
	}
}

func TestStaleDeadlines(t *testing.T) {
	// Open recomputed after upgrades from versions 1 to 10 before the list said so.
	steps := sqliteMigrations()[:11]
	for from := 0; from <= len(steps); from++ {
		want := from > 0 && from < 11
		if got := staleDeadlines(steps, from); got != want {
			t.Errorf("staleDeadlines(from %d) = %v, want %v", from, got, want)
		}
	}
}
