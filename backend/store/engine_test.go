package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// The package's tests run on SQLite by default and once more on PostgreSQL
// with STORMDESK_TEST_ENGINE=postgres (make test-go does both), so every test
// states one behaviour that both engines must have.
const engineEnv = "STORMDESK_TEST_ENGINE"

// testOnPostgres reports whether this run's stores are PostgreSQL databases.
func testOnPostgres() bool { return os.Getenv(engineEnv) == "postgres" }

// testDSN returns where a test's fresh store lives: a new file in a temporary
// directory on SQLite, a new database of the test cluster on PostgreSQL (a
// copy of one migrated once per run, which is what Open makes of an empty one).
func testDSN(t testing.TB) string {
	t.Helper()
	if e := os.Getenv(engineEnv); e != "" && e != "sqlite" && e != "postgres" {
		t.Fatalf("%s=%q: want sqlite or postgres", engineEnv, e)
	}
	if testOnPostgres() {
		return pgtest.NewDatabaseFrom(t, "stormdesk_schema", func(dsn string) error {
			s, err := Open(context.Background(), dsn)
			if err != nil {
				return err
			}
			return s.Close()
		})
	}
	return filepath.Join(t.TempDir(), "stormdesk.db")
}

// openAt opens a store at dsn with the test clock and closes it at cleanup.
func openAt(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if s.d.pg != testOnPostgres() {
		t.Fatalf("store at %s: PostgreSQL %v, want %v", s.Path(), s.d.pg, testOnPostgres())
	}
	s.now = func() time.Time { return testNow }
	return s
}

// sqliteOnly skips a test that checks what only the SQLite engine has (its
// file format, WAL, backup file, FTS5, upgrades from old SQLite schemas).
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if testOnPostgres() {
		t.Skip("SQLite only: " + why)
	}
}
