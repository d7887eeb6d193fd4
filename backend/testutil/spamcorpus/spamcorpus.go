// Package spamcorpus finds and loads the SpamAssassin public mail corpus that
// `bash backend/testutil/spamcorpus/fetch.sh` (make testdata) unpacks: real
// RFC 5322 messages with real threads, MIME variety and broken input.
package spamcorpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// EnvVar names the directory holding the corpus' data/ folders (…/package/data).
const EnvVar = "STORMDESK_SPAM_CORPUS"

// Dir returns the corpus data directory: $STORMDESK_SPAM_CORPUS, else
// .cache/spam-assassin/package/data under the repository root.
func Dir() (string, error) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, ".cache", "spam-assassin", "package", "data"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("repository root (go.mod) not found")
		}
	}
}

// Files lists the corpus' raw message files in a stable order.
func Files() ([]string, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no messages in %s: run `bash backend/testutil/spamcorpus/fetch.sh` (make testdata) or set %s", dir, EnvVar)
	}
	sort.Strings(files)
	return files, nil
}

// Load returns up to n raw messages (all when n <= 0). Without the corpus the
// test is skipped, or fails under CI (CI=true).
func Load(t testing.TB, n int) [][]byte {
	t.Helper()
	files, err := Files()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("spam corpus: %v", err)
		}
		t.Skipf("spam corpus: %v", err)
	}
	if n > 0 && n < len(files) {
		files = files[:n]
	}
	out := make([][]byte, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("spam corpus: %v", err)
		}
		out = append(out, b)
	}
	return out
}
