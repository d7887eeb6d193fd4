package store

import "testing"

func TestRebind(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b IN (?, ?)`, `SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)`},
		{`SELECT '?', "a?b", ? FROM t`, `SELECT '?', "a?b", $1 FROM t`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2"},
		{`SELECT /* ? */ ?`, `SELECT /* ? */ $1`},
		{`VALUES (?1, ?2) ON CONFLICT DO UPDATE SET a = ?2, b = b + ?1`, `VALUES ($1, $2) ON CONFLICT DO UPDATE SET a = $2, b = b + $1`},
		{`to_tsquery('simple', quote_literal(?) || ':*')`, `to_tsquery('simple', quote_literal($1) || ':*')`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	} {
		if got := rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsPostgresDSN(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db":       true,
		"postgresql://u@h:5432/x": true,
		"stormdesk.db":            false,
		"postgres.db":             false,
		"/home/a/postgres://x":    false,
	} {
		if got := IsPostgresDSN(dsn); got != want {
			t.Errorf("IsPostgresDSN(%q) = %v; want %v", dsn, got, want)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	got := redactDSN("postgres://team:s3cret@db.example:5432/stormdesk?sslmode=require")
	if want := "postgres://team:xxxxx@db.example:5432/stormdesk?sslmode=require"; got != want {
		t.Fatalf("redactDSN = %q; want %q", got, want)
	}
}
