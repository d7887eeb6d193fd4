// Package pgtest starts a throwaway PostgreSQL cluster for tests: one per
// test binary, in a temporary directory, run as nobody when the test runs as
// root (initdb refuses root), with fsync off. Each test gets a fresh database.
//
// A test binary that uses it wraps its run so the cluster is stopped at the end:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// binDir is where Debian's postgresql package puts the server binaries (not on PATH).
const binDir = "/usr/lib/postgresql/15/bin"

// user is the cluster's superuser; every test database belongs to it.
const user = "stormdesk"

// cluster is the one server of this test binary, started by the first test
// that asks for a database and stopped by Run.
type cluster struct {
	once sync.Once
	err  error
	dir  string
	port int
	seq  atomic.Int64

	mu        sync.Mutex
	templates map[string]error // prepared template databases, by name
}

// The cluster must outlive single tests and be stopped after all of them,
// which only a package-level value reachable from Run can do.
var shared cluster

// Run runs the tests and then stops the cluster if a test started one.
func Run(m *testing.M) int {
	code := m.Run()
	shared.stop()
	return code
}

// Available reports why PostgreSQL cannot run here, or "" when it can.
func Available() string {
	if _, err := os.Stat(filepath.Join(binDir, "initdb")); err != nil {
		return "PostgreSQL 15 not installed (apt-get install postgresql)"
	}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("setpriv"); err != nil {
			return "setpriv not installed (util-linux); needed to run PostgreSQL as nobody"
		}
	}
	return ""
}

// Require skips the test when PostgreSQL is not installed, except when the
// environment variable CI is set, where a missing server is a failure.
func Require(t testing.TB) {
	t.Helper()
	reason := Available()
	if reason == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; CI is set, so PostgreSQL tests must run", reason)
	}
	t.Skip(reason)
}

// NewDatabase creates an empty database for this test and returns its DSN
// (postgres://...). The database is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	// template0: a pristine copy, independent of anything a test did to template1.
	return newDatabase(t, "template0")
}

// NewDatabaseFrom returns, like NewDatabase, a database of its own for this
// test, as a copy of the template database name, which prepare fills once
// per test binary (the first caller runs it; a failure fails every caller).
// Copying a prepared schema is much faster than creating it in every test.
func NewDatabaseFrom(t testing.TB, name string, prepare func(dsn string) error) string {
	t.Helper()
	c := startedCluster(t)
	c.mu.Lock()
	err, done := c.templates[name]
	if !done {
		err = c.createTemplate(name, prepare)
		if c.templates == nil {
			c.templates = map[string]error{}
		}
		c.templates[name] = err
	}
	c.mu.Unlock()
	if err != nil {
		t.Fatalf("prepare template database %s: %v", name, err)
	}
	return newDatabase(t, name)
}

// startedCluster starts the shared cluster on first use.
func startedCluster(t testing.TB) *cluster {
	t.Helper()
	Require(t)
	c := &shared
	c.once.Do(func() { c.err = c.start() })
	if c.err != nil {
		t.Fatalf("start PostgreSQL: %v", c.err)
	}
	return c
}

// createTemplate creates database name, fills it with prepare and marks it
// a template. prepare must close its connections: a template being copied
// may have none.
func (c *cluster) createTemplate(name string, prepare func(dsn string) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, c.dsn("postgres"))
	if err != nil {
		return err
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return err
	}
	if err := prepare(c.dsn(name)); err != nil {
		return err
	}
	// prepare may take minutes (a benchmark's 1M-message store): the
	// timeout above is for the statements, not for it.
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
	return err
}

func newDatabase(t testing.TB, template string) string {
	t.Helper()
	c := startedCluster(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, c.dsn("postgres"))
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer admin.Close(context.Background())
	// FILE_COPY copies the template's files instead of logging every page to
	// the WAL; with fsync off that is several times faster.
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+pgx.Identifier{template}.Sanitize()+" ENCODING 'UTF8' STRATEGY FILE_COPY"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, c.dsn("postgres"))
		if err != nil {
			t.Errorf("connect to PostgreSQL to drop %s: %v", name, err)
			return
		}
		defer admin.Close(context.Background())
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return c.dsn(name)
}

// dsn addresses a database over TCP on loopback.
func (c *cluster) dsn(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User(user), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)), Path: "/" + db,
		RawQuery: "sslmode=disable"}
	return u.String()
}

// settingsEnv names more server settings, "name=value" separated by
// spaces: the benchmarks' runs with a server sized for its data
// (shared_buffers; docs/benchmarks.md). Tests run on the defaults.
const settingsEnv = "STORMDESK_PG_SETTINGS"

// dirPrefix names the clusters' temporary directories, so a later run finds
// the ones a killed test binary left running.
const dirPrefix = "pgtest-"

// ownerFile holds the pid of the test binary a cluster belongs to.
const ownerFile = "owner.pid"

func (c *cluster) start() error {
	reapOrphans()
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return err
	}
	c.dir = dir
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	// nobody must own the directory: initdb and the server write there.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "nobody:nogroup", dir).CombinedOutput(); err != nil {
			return fmt.Errorf("chown %s: %v: %s", dir, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	// The port is probed free and then released, so another process may take
	// it first: retry with a new one.
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		c.port, err = freePort()
		if err != nil {
			return err
		}
		opts := fmt.Sprintf("-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir, c.port)
		for _, kv := range strings.Fields(os.Getenv(settingsEnv)) {
			opts += " -c " + kv
		}
		out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start")
		if err == nil {
			return nil
		}
		logs, _ := os.ReadFile(filepath.Join(dir, "log"))
		lastErr = fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, logs)
	}
	return lastErr
}

func (c *cluster) stop() {
	if c.dir == "" {
		return
	}
	data := filepath.Join(c.dir, "data")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
		if out, err := c.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: pg_ctl stop: %v: %s\n", err, out)
		}
	}
	os.RemoveAll(c.dir)
}

// reapOrphans stops and removes the clusters of test binaries that died
// without stopping theirs (killed, or timed out: Run never returned). Their
// servers would otherwise run on, detached, until the machine restarts.
func reapOrphans() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // not ours, or still being created
		}
		pid, err := strconv.Atoi(string(raw))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue // its owner still runs
		}
		c := cluster{dir: dir}
		c.stop()
	}
}

// run runs a PostgreSQL binary, as nobody when we are root.
func (c *cluster) run(name string, args ...string) ([]byte, error) {
	bin := filepath.Join(binDir, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("setpriv", append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("probe a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Standalone starts a cluster of its own, outside a test binary (for
// backend/e2e/cmd/pgcluster, which the browser tests run), with an empty
// database named db, and returns its DSN and a stop that ends the cluster
// and removes its files. If the process dies without calling stop, the next
// cluster any test starts reaps it (see reapOrphans).
func Standalone(db string) (dsn string, stop func(), err error) {
	if reason := Available(); reason != "" {
		return "", nil, errors.New(reason)
	}
	c := &cluster{}
	if err := c.start(); err != nil {
		c.stop()
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, c.dsn("postgres"))
	if err != nil {
		c.stop()
		return "", nil, err
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		c.stop()
		return "", nil, err
	}
	return c.dsn(db), c.stop, nil
}
