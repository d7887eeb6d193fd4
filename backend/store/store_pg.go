package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgMaxConns bounds the pool; the server's instances share the database's
// max_connections, so each takes few.
const pgMaxConns = 16

// openPostgres opens the PostgreSQL database dsn names (postgres://...),
// creates or upgrades its schema and returns the store. The SQLite-only parts
// of Open (file header check, WAL, backup before upgrade) have no counterpart:
// PostgreSQL guards its own files, and a team backs up with pg_dump.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	where := redactDSN(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	// The store's statements are short (a page, a batch, a window of a
	// search), and JIT compiling one costs more than it saves: during a 1M
	// import LLVM took 15 % of the machine's CPU, and with JIT off the
	// server's CPU per message fell by 28 % (docs/benchmarks.md). A DSN that
	// sets jit keeps its own choice.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	connector := pgConnector{inner: stdlib.GetConnector(*cfg)}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgMaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	locks := sql.OpenDB(connector)
	locks.SetMaxIdleConns(0)

	s := &Store{db: db, path: where, d: dialect{pg: true}, now: time.Now, sweepChunk: sweepChunk, locks: locks,
		searchSettle: pgSearchSettle}
	s.lockCheck.Store(int64(defaultLockCheck))
	pingErr := func(err error) error { return fmt.Errorf("store: open %s: %w", where, err) }
	st, err := s.start(ctx, pingErr, s.migratePostgres)
	if err != nil {
		locks.Close()
	}
	return st, err
}

// migratePostgres brings the schema up to date, one transaction per step,
// and returns the version the database had before.
func (s *Store) migratePostgres(ctx context.Context) (int, error) {
	steps := postgresMigrations()
	if err := s.ensureVersionTable(ctx); err != nil {
		return 0, fmt.Errorf("store: %s: create schema_version: %w", s.path, err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", s.path, err)
	}
	if err := checkKnownVersion(s.path, v, steps); err != nil {
		return v, err
	}
	if err := runMigrations(ctx, s.db, pgVersion{}, steps, v, s.now); err != nil {
		return v, fmt.Errorf("store: open %s: %w", s.path, err)
	}
	return v, nil
}

// pgSchemaLock is the advisory lock key under which a new database gets its
// schema_version table ("stormdsk" in ASCII).
const pgSchemaLock = 0x73746f726d64736b

// ensureVersionTable creates the schema_version row of a new database. CREATE
// TABLE IF NOT EXISTS is not safe against a concurrent twin (both may try to
// create the table's row type), so instances starting at once take turns.
func (s *Store) ensureVersionTable(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgSchemaLock)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, pgEnsureVersionTable); err != nil {
		return err
	}
	return tx.Commit()
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// redactDSN is dsn without its password, for errors and Path.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres database (unparsable URL)"
	}
	return u.Redacted()
}
