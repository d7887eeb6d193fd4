package store

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// A team backs its store up with pg_dump (docs/team.md): the dump must
// restore into an empty database and search there as before. pg_restore
// computes the generated search columns with an empty search_path.
func TestPostgresDumpRestores(t *testing.T) {
	if !testOnPostgres() {
		t.Skip("PostgreSQL only: pg_dump and pg_restore")
	}
	const bin = "/usr/lib/postgresql/15/bin"
	dsn := testDSN(t)
	src := openAt(t, dsn)
	saveStemTexts(t, src)
	dump := filepath.Join(t.TempDir(), "store.pgdump")
	if out, err := exec.Command(filepath.Join(bin, "pg_dump"), "-Fc", "-f", dump, dsn).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, out)
	}
	dst := pgtest.NewDatabase(t)
	if out, err := exec.Command(filepath.Join(bin, "pg_restore"), "--no-owner", "--exit-on-error", "-d", dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v: %s", err, out)
	}
	restored := openAt(t, dst)
	checkStemCases(t, restored)
}
