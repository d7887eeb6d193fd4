package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// TestMigrationStepIsAtomic runs the engine-agnostic runner over a list of
// its own: a step whose fill fails leaves neither its SQL nor its version.
func TestMigrationStepIsAtomic(t *testing.T) {
	ctx := context.Background()
	db, vk, tableExists := rawTestDB(t)
	boom := errors.New("boom")
	steps := []migration{
		{sql: `CREATE TABLE a (x INTEGER)`},
		{sql: `CREATE TABLE b (x INTEGER)`, fill: func(context.Context, querier, time.Time) error { return boom }},
	}
	if err := runMigrations(ctx, db, vk, steps, 0, time.Now); !errors.Is(err, boom) {
		t.Fatalf("runMigrations = %v; want the fill's error", err)
	}
	if v, err := vk.readVersion(ctx, db); err != nil || v != 1 {
		t.Fatalf("version %d, %v; want 1", v, err)
	}
	var n int
	if err := db.QueryRow(tableExists, "b").Scan(&n); err != nil || n != 0 {
		t.Fatalf("table of the failed step: %d, %v", n, err)
	}
	// A step another process already applied is skipped, not run again.
	if err := runMigrations(ctx, db, vk, steps[:1], 0, time.Now); err != nil {
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

// rawTestDB is an empty database of the engine under test without the
// store's schema, its version keeper, and a query counting tables named ?.
func rawTestDB(t *testing.T) (*sql.DB, versionKeeper, string) {
	t.Helper()
	if !testOnPostgres() {
		db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, sqliteVersion{}, `SELECT count(*) FROM sqlite_schema WHERE name = ?`
	}
	cfg, err := pgx.ParseConfig(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(pgConnector{inner: stdlib.GetConnector(*cfg)})
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(pgEnsureVersionTable); err != nil {
		t.Fatal(err)
	}
	return db, pgVersion{}, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ?`
}
