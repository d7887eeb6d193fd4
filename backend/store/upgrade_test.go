package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestUpgradeBacksUpThenMigrates builds a schema-1 database as an older
// Stormdesk left it, opens it with this one and checks the data survived,
// the schema is current, and a copy of the old file was taken first.
func TestUpgradeBacksUpThenMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{schemaV1, "PRAGMA user_version = 1",
		`INSERT INTO accounts (channel, name, brand, handle, created_at) VALUES ('mail', 'acme-mail', 'Acme', 'help@acme', 0)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("build v1 db: %v", err)
		}
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open v1 db: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(migrations()) {
		t.Fatalf("schema version %d, want %d", v, len(migrations()))
	}
	if _, err := s.AccountByName(ctx, "acme-mail"); err != nil {
		t.Fatalf("account lost in the upgrade: %v", err)
	}
	backups, _ := filepath.Glob(path + ".v1-*.bak")
	if len(backups) != 1 {
		t.Fatalf("backups %v, want one", backups)
	}
	b, err := sql.Open("sqlite3", backups[0])
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var v, n int
	if err := b.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 1 {
		t.Fatalf("backup schema version %d, %v; want 1", v, err)
	}
	if err := b.QueryRow("SELECT count(*) FROM accounts").Scan(&n); err != nil || n != 1 {
		t.Fatalf("backup has %d accounts, %v", n, err)
	}
	// A current database is not backed up again on open.
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if again, _ := filepath.Glob(path + ".v*.bak"); len(again) != 1 {
		t.Fatalf("backups after reopening a current db: %v", again)
	}
}
