package benchdata

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// pgBin is where Debian's postgresql package puts pg_dump and pg_restore.
const pgBin = "/usr/lib/postgresql/15/bin"

// Postgres returns the DSN of a database of the test cluster (pgtest) that
// holds a copy of the benchmark database key. The first call of a test binary
// makes the template database key: from the dump .cache/<key>.pgdump of
// an earlier run when there is one, else by build(dsn), which must close its
// connections, and then dumps it there for the next run. Building 1M messages
// is minutes, restoring them about one; later calls in the same binary copy
// the template in seconds. key must change whenever the dataset or the schema
// does (callers put the message count and the schema version in it).
//
// The copy lives until the cluster stops at the end of the test binary, so a
// fixture shared by several benchmarks may keep it open.
func Postgres(tb testing.TB, key string, build func(dsn string) error) string {
	tb.Helper()
	pgtest.Require(tb)
	dump := ""
	if dir, err := cacheDir(); err == nil {
		dump = filepath.Join(dir, key+".pgdump")
	} else {
		tb.Logf("no dump cache: %v", err)
	}
	return pgtest.NewDatabaseFrom(keepTB{tb}, key, func(dsn string) error {
		if err := restoreOrBuild(key, dump, dsn, build); err != nil {
			return err
		}
		// A server that has run for a while has had autovacuum: planner
		// statistics, and a visibility map that lets the inbox's index-only
		// scans skip the table. pg_restore leaves neither, and a fresh import
		// may not have waited for them.
		start := time.Now()
		if out, err := exec.Command(filepath.Join(pgBin, "vacuumdb"), "--analyze", "-d", dsn).CombinedOutput(); err != nil {
			return fmt.Errorf("vacuumdb %s: %v: %s", key, err, out)
		}
		fmt.Fprintf(os.Stderr, "benchdata: %s vacuumed and analyzed in %v\n", key, time.Since(start).Round(time.Second))
		return nil
	})
}

// restoreOrBuild fills the empty database dsn from the dump when it exists,
// else by build, and then writes the dump.
func restoreOrBuild(key, dump, dsn string, build func(dsn string) error) error {
	if dump != "" {
		if _, err := os.Stat(dump); err == nil {
			start := time.Now()
			out, err := exec.Command(filepath.Join(pgBin, "pg_restore"), "--no-owner", "--exit-on-error", "-j", "2", "-d", dsn, dump).CombinedOutput()
			if err != nil {
				return fmt.Errorf("pg_restore %s: %v: %s", dump, err, out)
			}
			fmt.Fprintf(os.Stderr, "benchdata: %s restored from the cached dump in %v\n", key, time.Since(start).Round(time.Second))
			return nil
		}
	}
	if err := build(dsn); err != nil {
		return err
	}
	if dump == "" {
		return nil
	}
	tmp := dump + ".tmp"
	if out, err := exec.Command(filepath.Join(pgBin, "pg_dump"), "-Fc", "-Z", "1", "-f", tmp, dsn).CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pg_dump %s: %v: %s", key, err, out)
	}
	return os.Rename(tmp, dump)
}

// keepTB is tb without its cleanups: the copy outlives the benchmark that
// asked for it first (the cluster, and every database in it, is removed when
// the test binary ends).
type keepTB struct{ testing.TB }

func (keepTB) Cleanup(func()) {}

// cacheDir is the module's .cache directory (git-ignored; make test keeps its
// 1M-message SQLite store there too), found from the working directory up.
func cacheDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, ".cache")
			return c, os.MkdirAll(c, 0o755)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
