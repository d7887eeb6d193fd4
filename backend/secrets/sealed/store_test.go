package sealed

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/secrets/secretstest"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// The workspace takes the sealed store where it takes the OS keyring.
var _ workspace.AccountSecrets = (*Store)(nil)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// testStore opens a fresh store on the engine this run tests: SQLite by
// default, PostgreSQL with STORMDESK_TEST_ENGINE=postgres (as in backend/store).
// It returns the store and a raw connection to the same database.
func testStore(t *testing.T) (*store.Store, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var dsn, driver string
	switch e := os.Getenv("STORMDESK_TEST_ENGINE"); e {
	case "", "sqlite":
		dsn, driver = filepath.Join(t.TempDir(), "stormdesk.db"), "sqlite3"
	case "postgres":
		dsn = pgtest.NewDatabaseFrom(t, "stormdesk_schema", func(dsn string) error {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				return err
			}
			return s.Close()
		})
		driver = "pgx"
	default:
		t.Fatalf("STORMDESK_TEST_ENGINE=%q: want sqlite or postgres", e)
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return s, raw
}

func TestStoreOnTheDatabase(t *testing.T) {
	ctx := context.Background()
	db, raw := testStore(t)
	key := testKey(t)
	s := NewStore(key, db)
	tests := []struct{ name, value string }{
		{secrets.Key("acme-mail", "password"), "p@ss wörd-1"},
		{secrets.Key("север-vk", "token"), "vk1.a.токен-😀"},
		{secrets.Key("acme-mail", "smtp-password"), "smtp-secret-3"},
	}
	for _, tt := range tests {
		if err := s.Set(ctx, tt.name, tt.value); err != nil {
			t.Fatalf("Set %q: %v", tt.name, err)
		}
	}

	// The database holds ciphertext only: no row, in any column, contains a secret.
	rows, err := raw.QueryContext(ctx, `SELECT name, sealed, updated_at FROM sealed_secrets`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var name string
		var sealed []byte
		var at int64
		if err := rows.Scan(&name, &sealed, &at); err != nil {
			t.Fatal(err)
		}
		n++
		row := append([]byte(name+"|"), sealed...)
		for _, tt := range tests {
			if bytes.Contains(row, []byte(tt.value)) {
				t.Fatalf("row %q holds the plaintext of %q", name, tt.name)
			}
		}
		if sealed[0] != version1 || len(sealed) <= headSize+nonceSize+16 {
			t.Fatalf("row %q: %x is not a sealed value", name, sealed)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if n != len(tests) {
		t.Fatalf("%d rows, want %d", n, len(tests))
	}

	// A ciphertext copied to another name in the database does not open there.
	moved := secrets.Key("acme-mail", "moved")
	if _, err := raw.ExecContext(ctx, `INSERT INTO sealed_secrets (name, sealed, updated_at)
		SELECT '`+moved+`', sealed, updated_at FROM sealed_secrets WHERE name = '`+tests[0].name+`'`); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, moved); !errors.Is(err, ErrUnsealable) || got != "" {
		t.Fatalf("Get of a moved ciphertext = %q, %v; want ErrUnsealable", got, err)
	}
	// A ciphertext changed in the database does not open.
	if _, err := raw.ExecContext(ctx, `UPDATE sealed_secrets SET sealed = sealed || sealed WHERE name = '`+tests[1].name+`'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, tests[1].name); !errors.Is(err, ErrUnsealable) {
		t.Fatalf("Get of an altered ciphertext: %v; want ErrUnsealable", err)
	}
	// Another key (a server started with the wrong --secrets-key) reads nothing.
	wrong := NewStore(testKey(t), db)
	if got, err := wrong.Get(ctx, tests[2].name); !errors.Is(err, ErrWrongKey) || got != "" {
		t.Fatalf("Get under another key = %q, %v; want ErrWrongKey", got, err)
	} else if strings.Contains(err.Error(), tests[2].value) {
		t.Fatalf("the error shows the secret: %v", err)
	}

	// The right key still reads what nobody altered.
	if got, err := s.Get(ctx, tests[2].name); err != nil || got != tests[2].value {
		t.Fatalf("Get %q = %q, %v; want %q", tests[2].name, got, err, tests[2].value)
	}
}

// TestStoreBehavesAsTheKeyring runs the keyring's own test on the sealed
// store: set, get, replace, delete, secrets.ErrNotFound when missing.
func TestStoreBehavesAsTheKeyring(t *testing.T) {
	db, _ := testStore(t)
	secretstest.RoundTrip(t, NewStore(testKey(t), db))
}
