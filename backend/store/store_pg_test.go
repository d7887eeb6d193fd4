package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// The PostgreSQL counterparts of the SQLite-only Open tests. They run in
// both runs of the package: they need only the test cluster.

func TestPostgresOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open fresh: %v", err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(postgresMigrations()) {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(postgresMigrations()))
	}
	if s.Path() != dsn { // the test DSN has no password to hide
		t.Fatalf("Path = %q; want %q", s.Path(), dsn)
	}
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("m1", "th1", inbox.DirectionIn, 0, "hello"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s, err = Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil || st.Messages != 1 || st.Conversations != 1 {
		t.Fatalf("Stats after reopen = %+v, %v; want 1 message, 1 conversation", st, err)
	}
}

func TestPostgresOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, dsn)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v; want ErrNewerSchema", err)
	}
	want := fmt.Sprintf("database schema version 99 is newer than this Stormdesk (knows up to %d); upgrade Stormdesk", len(postgresMigrations()))
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
}

// Several server instances may start at once against one new database: each
// migration step runs once and every Open succeeds.
func TestPostgresConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

// TestPostgresJITOffUnlessTheDSNSetsIt checks that the store's connections
// run with JIT off (store_pg.go says why), and that a DSN naming jit keeps
// its choice.
func TestPostgresJITOffUnlessTheDSNSetsIt(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, tt := range []struct{ dsn, want string }{
		{dsn, "off"},
		{dsn + sep + "jit=on", "on"},
		{dsn + sep + "jit=off", "off"},
	} {
		s, err := Open(ctx, tt.dsn)
		if err != nil {
			t.Fatalf("Open %s: %v", tt.dsn, err)
		}
		var got string
		err = s.db.QueryRowContext(ctx, `SHOW jit`).Scan(&got)
		s.Close()
		if err != nil || got != tt.want {
			t.Errorf("%s: jit = %q, %v; want %q", tt.dsn, got, err, tt.want)
		}
	}
}
