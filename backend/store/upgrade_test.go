package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestUpgradeBacksUpThenMigrates builds a schema-1 database as an older
// Stormdesk left it, opens it with this one and checks the data survived,
// the schema is current, and a copy of the old file was taken first.
func TestUpgradeBacksUpThenMigrates(t *testing.T) {
	sqliteOnly(t, "backup file before upgrading an old SQLite schema")
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
	if v, _ := s.SchemaVersion(ctx); v != len(sqliteMigrations()) {
		t.Fatalf("schema version %d, want %d", v, len(sqliteMigrations()))
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

// TestUpgradeFromV2RecomputesProvisionalDeadlines opens a schema-2 database whose
// conversation carries the old provisional deadline (first inbound + 4h for a DM,
// in calendar time) and checks that the default policies replace it on open.
func TestUpgradeFromV2RecomputesProvisionalDeadlines(t *testing.T) {
	sqliteOnly(t, "upgrade from an old SQLite schema")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	// Saturday 2026-03-07 21:00 UTC: the default DM hours (08-20 daily) are closed, so the
	// 4h first-response target ends Sunday 12:00, not at the provisional 01:00.
	in := time.Date(2026, 3, 7, 21, 0, 0, 0, time.UTC).UnixMilli()
	provisional := in + (4 * time.Hour).Milliseconds()
	for _, q := range []string{schemaV1, schemaV2, "PRAGMA user_version = 2",
		`INSERT INTO accounts (id, channel, name, created_at) VALUES (1, 'telegram', 'acme-tg', 0)`,
		fmt.Sprintf(`INSERT INTO conversations (id, account_id, channel, thread_key, kind, message_count, first_message_at,
			last_message_at, last_in_at, waiting_since, sla_due_at, sla_key)
			VALUES (1, 1, 'telegram', 'th', 'dm', 1, %[1]d, %[1]d, %[1]d, %[1]d, %[2]d, %[2]d)`, in, provisional),
		fmt.Sprintf(`INSERT INTO messages (conversation_id, account_id, external_id, direction, kind, sent_at)
			VALUES (1, 1, 'q', 'in', 'dm', %d)`, in),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("build v2 db: %v", err)
		}
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open v2 db: %v", err)
	}
	defer s.Close()
	c, err := s.ConversationByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	if c.SLADueAt == nil || !c.SLADueAt.Equal(want) || c.SLAPolicy != "dm" || c.SLAState == "" {
		t.Fatalf("after upgrade: due %v policy %q state %q; want %v, dm", c.SLADueAt, c.SLAPolicy, c.SLAState, want)
	}
}
