//go:build e2e

package e2e

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	out, _, code := runCLI(t, nil, "version")
	if code != 0 || !regexp.MustCompile(`^stormdesk \S+ \(commit \S+, built \S+\)\n$`).MatchString(out) {
		t.Fatalf("version: exit %d, output %q", code, out)
	}
}

// TestImportBadRowsThenReimport imports a file with broken rows through the real
// binary, then imports it again: bad rows are reported by line, good rows are
// stored once (a row whose time is unreadable too, flagged, with a warning), and
// the second run changes nothing.
func TestImportBadRowsThenReimport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	args := []string{"import", "testdata/mixed.csv", "--db", db, "--account-column", "brand", "--time-column", "time"}

	out, errOut, code := runCLI(t, nil, args...)
	if code != 3 {
		t.Fatalf("first import: exit %d, want 3 (partial); stdout %s stderr %s", code, out, errOut)
	}
	if !strings.Contains(out, "4 new messages") {
		t.Errorf("first import stdout = %q, want 4 new messages", out)
	}
	for _, want := range []string{"line 5:", "line 7:", "suspicious-date"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not report %s:\n%s", want, errOut)
		}
	}

	out, _, code = runCLI(t, nil, args...)
	if code != 3 || !strings.Contains(out, "0 new messages, 4 duplicates") {
		t.Fatalf("second import: exit %d, stdout %q; want 0 new messages and 4 duplicates", code, out)
	}
	stats, _, _ := runCLI(t, nil, "stats", "--db", db)
	if !regexp.MustCompile(`(?m)^\s*import\s+4\s+0\s+0\s+4\s*$`).MatchString(stats) {
		t.Errorf("stats after two imports:\n%s\nwant import: 4 open, 4 messages", stats)
	}
}

func TestCorruptDatabaseIsNotReset(t *testing.T) {
	db := filepath.Join(t.TempDir(), "broken.db")
	writeFile(t, db, strings.Repeat("this is not a database ", 400))
	_, errOut, code := runCLI(t, nil, "stats", "--db", db)
	if code != 1 || !strings.Contains(strings.ToLower(errOut), "corrupt") {
		t.Fatalf("stats on a corrupt file: exit %d, stderr %q; want exit 1 naming corruption", code, errOut)
	}
	if got := readFile(t, db); got != strings.Repeat("this is not a database ", 400) {
		t.Fatal("the corrupt file was changed")
	}
}
