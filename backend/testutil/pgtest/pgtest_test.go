package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// Two databases of one cluster are separate: a table made in one is absent in the other.
func TestNewDatabaseIsFreshPerCall(t *testing.T) {
	ctx := context.Background()
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("same DSN twice: %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, `CREATE TABLE only_in_a (x int)`); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("table of database a visible in database b")
	}
	var v string
	if err := ca.QueryRow(ctx, `SHOW server_version_num`).Scan(&v); err != nil || v < "150000" {
		t.Fatalf("server version %q, %v; want 15 or newer", v, err)
	}
}

// Databases made from one template start with what prepare put there, once,
// and are separate from each other afterwards.
func TestNewDatabaseFromTemplate(t *testing.T) {
	ctx := context.Background()
	prepared := 0
	prepare := func(dsn string) error {
		prepared++
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, `CREATE TABLE seed (x int); INSERT INTO seed VALUES (7)`)
		return err
	}
	a, b := NewDatabaseFrom(t, "seeded", prepare), NewDatabaseFrom(t, "seeded", prepare)
	if prepared != 1 {
		t.Fatalf("prepare ran %d times; want once", prepared)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, `INSERT INTO seed VALUES (8)`); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var sum int
	if err := cb.QueryRow(ctx, `SELECT sum(x) FROM seed`).Scan(&sum); err != nil || sum != 7 {
		t.Fatalf("sum in the second copy = %d, %v; want 7 (the seed only)", sum, err)
	}
}
