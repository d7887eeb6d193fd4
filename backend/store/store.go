// Package store keeps Stormdesk's data in SQLite (github.com/mattn/go-sqlite3,
// built with the tag sqlite_fts5), the single-person default, or in
// PostgreSQL (github.com/jackc/pgx/v5) for a team. It is the only package
// that writes SQL; both engines run the same queries (see dialect).
//
// Times are stored as Unix milliseconds (UTC) in integer columns. The inbox is
// paged with keyset cursors only; message text is indexed with FTS5 on
// SQLite and a tsvector on PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/stormdesk/stormdesk/backend/sla"
)

// Errors callers can test with errors.Is.
var (
	// ErrCorrupt means the database file is not a SQLite database or is damaged.
	// The store never modifies such a file.
	ErrCorrupt = errors.New("database file is corrupt or not a Stormdesk database")
	// ErrNewerSchema means the database was written by a newer Stormdesk.
	ErrNewerSchema = errors.New("database schema is newer than this Stormdesk")
	// ErrNotFound means the requested row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrBadCursor means an inbox cursor could not be decoded or belongs to another order.
	ErrBadCursor = errors.New("invalid inbox cursor")
)

// Store is the database of one Stormdesk profile (SQLite) or team
// (PostgreSQL). It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// path is the SQLite file, or the PostgreSQL DSN without its password.
	path string
	d    dialect
	// slaEng evaluates deadlines under the saved policy set; replaced when it is saved.
	slaEng atomic.Pointer[sla.Engine]
	// slaAt is the stored policy set's updated_at that slaEng was built from:
	// on PostgreSQL another instance may save policies (see engineIn).
	slaAt atomic.Int64
	// now is the clock SLA evaluations and recorded events use; tests replace it.
	now func() time.Time
	// sweepChunk bounds one RecomputeSLA transaction; tests make it small.
	sweepChunk int
	// searchWindow, when set, is the width in ids of PostgreSQL search's
	// first window instead of the planner's estimate; tests make it small.
	searchWindow int64
	// searchWalkFirst, with searchWindow, makes that first window a walk of
	// messages_pkey, as dense matches do (pgWalkDensity); tests set it.
	searchWalkFirst bool
	// searchMemory keeps PostgreSQL searches' scans for their next pages,
	// and their densities (search_pg_rest.go).
	searchMemory pgSearchMemory
	// searchSettle is pgSearchSettle; tests make it 0.
	searchSettle int64
	// locks holds the connections of advisory locks (PostgreSQL only, see
	// locks.go): a pool of its own, so held locks never starve queries, and
	// without idle connections, so a released lock's session ends.
	locks     *sql.DB
	lockCheck atomic.Int64 // a time.Duration; see SetLockCheck
}

// connPragmas run on every new connection. WAL mode is persistent in the file
// and is switched on by migrate, only once the file is known to be ours.
const connPragmas = `
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 10000;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -32000;
`

// Open opens the database at path and runs pending migrations. A
// postgres:// or postgresql:// URL opens that PostgreSQL database (see
// openPostgres); anything else is a SQLite file, created with its directory
// if missing and configured (WAL, synchronous=NORMAL, foreign keys, busy
// timeout). A file that is not a healthy SQLite database yields an error
// wrapping ErrCorrupt and is left untouched; a database written by a newer
// Stormdesk yields an error wrapping ErrNewerSchema, on either engine.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgresDSN(path) {
		return openPostgres(ctx, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	if err := checkHeader(abs); err != nil {
		return nil, err
	}

	drv := &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(connPragmas, nil)
		return err
	}}
	db := sql.OpenDB(connector{drv: drv, dsn: dsn(abs)})
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)

	s := &Store{db: db, path: abs, now: time.Now, sweepChunk: sweepChunk}
	return s.start(ctx, s.openErr, s.migrate)
}

// start finishes Open on either engine: it checks the connection (pingErr
// words a failure), brings the schema up to date with migrate, which returns
// the version the database had, and readies the store. On failure it closes
// the database.
func (s *Store) start(ctx context.Context, pingErr func(error) error, migrate func(context.Context) (int, error)) (*Store, error) {
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, pingErr(err)
	}
	from, err := migrate(ctx)
	if err == nil {
		err = s.ready(ctx, from)
	}
	if err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// ready loads the SLA policies once the schema is current and, after an
// upgrade from version from that left stored deadlines stale, recomputes them.
func (s *Store) ready(ctx context.Context, from int) error {
	if err := s.loadPolicies(ctx); err != nil {
		return err
	}
	if staleDeadlines(s.migrations(), from) {
		// Deadlines of older versions were provisional (before 3) or counted
		// from dates the repair of version 11 replaced; compute them under the policies.
		if _, err := s.RecomputeSLA(ctx, s.now()); err != nil {
			return err
		}
	}
	return nil
}

// migrate brings the schema up to date, one transaction per step, and
// returns the version the database had before.
func (s *Store) migrate(ctx context.Context) (int, error) {
	steps := sqliteMigrations()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, s.openErr(err)
	}
	if v == 0 {
		// A fresh file has no schema; a SQLite file of another program does.
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
			if isCorrupt(err) {
				return v, s.openErr(err)
			}
			return v, fmt.Errorf("store: read schema of %s: %w", s.path, err)
		}
		if n > 0 {
			return v, fmt.Errorf("store: %s is a SQLite database of another program (no Stormdesk schema version): %w; the file was left untouched", s.path, ErrCorrupt)
		}
	}
	if err := checkKnownVersion(s.path, v, steps); err != nil {
		return v, err
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return v, fmt.Errorf("store: %s: enable WAL: %w", s.path, err)
	}
	if mode != "wal" {
		return v, fmt.Errorf("store: %s: cannot enable WAL (journal mode stays %q)", s.path, mode)
	}
	if v > 0 && v < len(steps) {
		if err := s.backup(ctx, v); err != nil {
			return v, err
		}
	}
	if err := runMigrations(ctx, s.db, sqliteVersion{}, steps, v, s.now); err != nil {
		return v, s.openErr(err)
	}
	return v, nil
}

// BackupPath is where Open copies a database before upgrading it from schema version v.
func BackupPath(dbPath string, v int, at time.Time) string {
	return fmt.Sprintf("%s.v%d-%s.bak", dbPath, v, at.UTC().Format("20060102T150405Z"))
}

// backup writes a consistent copy of the database before a migration changes
// it, so an upgrade that goes wrong can be undone by hand.
func (s *Store) backup(ctx context.Context, v int) error {
	dst := BackupPath(s.path, v, time.Now())
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("store: back up %s before upgrading: %s already exists", s.path, dst)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("store: back up %s to %s before upgrading from schema version %d: %w", s.path, dst, v, err)
	}
	return nil
}

// Close checkpoints the write-ahead log and closes the database.
func (s *Store) Close() error {
	if !s.d.pg {
		// Let SQLite refresh planner statistics it considers stale; cheap and optional.
		_, _ = s.db.Exec("PRAGMA optimize")
	}
	if s.locks != nil {
		_ = s.locks.Close()
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the absolute path of the database file (PostgreSQL: the DSN
// without its password).
func (s *Store) Path() string { return s.path }

// openErr wraps an error met while opening, mapping SQLite's corruption codes to ErrCorrupt.
func (s *Store) openErr(err error) error {
	if isCorrupt(err) {
		return fmt.Errorf("store: %s is not a usable SQLite database (%v): %w; the file was left untouched, restore it from a backup or move it away", s.path, err, ErrCorrupt)
	}
	return fmt.Errorf("store: open %s: %w", s.path, err)
}

// isCorrupt reports whether err is SQLite's "malformed" or "not a database" error.
func isCorrupt(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB
	}
	return false
}

// dsn builds a file: URI for go-sqlite3 that survives any character in the path.
func dsn(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letters
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: "_txlock=immediate&_busy_timeout=10000"}
	return u.String()
}

// connector opens connections through a driver value of our own, so the
// connect hook needs no global sql.Register.
type connector struct {
	drv *sqlite3.SQLiteDriver
	dsn string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// checkHeader inspects an existing file before SQLite touches it: a missing or
// empty file is a new database; anything else must carry a SQLite header whose
// page size is valid and whose recorded size fits in the file.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	if st.IsDir() {
		return fmt.Errorf("store: open %s: is a directory", path)
	}
	size := st.Size()
	if size == 0 {
		return nil
	}
	corrupt := func(why string) error {
		return fmt.Errorf("store: %s is not a usable SQLite database (%s): %w; the file was left untouched, restore it from a backup or move it away", path, why, ErrCorrupt)
	}
	hdr := make([]byte, 100)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return corrupt("file too short for a SQLite header")
	}
	if string(hdr[:16]) != sqliteMagic {
		return corrupt("no SQLite header")
	}
	pageSize := int64(binary.BigEndian.Uint16(hdr[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return corrupt(fmt.Sprintf("invalid page size %d", pageSize))
	}
	// With a live WAL the main file may legitimately lag behind the header.
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil
	}
	pages := int64(binary.BigEndian.Uint32(hdr[28:32]))
	changeCounter := binary.BigEndian.Uint32(hdr[24:28])
	validFor := binary.BigEndian.Uint32(hdr[92:96])
	if pages > 0 && changeCounter == validFor && size < pages*pageSize {
		return corrupt(fmt.Sprintf("file is truncated: %d bytes, header says %d pages of %d bytes", size, pages, pageSize))
	}
	if size%pageSize != 0 {
		return corrupt(fmt.Sprintf("file size %d is not a multiple of the page size %d", size, pageSize))
	}
	return nil
}

// ms converts a time to stored Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts stored Unix milliseconds to a UTC time, clamped into the
// range JSON can carry (see readMS, which also says whether it clamped).
func fromMS(v int64) time.Time {
	t, _ := readMS(v)
	return t
}

// nullMS converts a nullable stored time.
func nullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// splitList splits a stored separator-joined list, never returning nil.
func splitList(s, sep string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}
