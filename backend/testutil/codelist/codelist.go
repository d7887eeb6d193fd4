// Package codelist keeps a JSON list of codes in the frontend equal to the
// codes Go sends. The frontend's translation tests read such a list (error
// codes, platform limit notes, import reasons) and check every language has a
// text for each code; these lists are what ties the two sides together.
package codelist

import (
	"encoding/json"
	"os"
	"testing"
)

// Check fails t unless the file at path holds exactly codes, as an indented
// JSON array. With the environment variable update set to 1 it first rewrites
// the file; hint says what to do after that (which dictionary to add texts to).
func Check(t *testing.T, path string, codes []string, update, hint string) {
	t.Helper()
	want, err := json.MarshalIndent(codes, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if os.Getenv(update) == "1" {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the frontend's code list: %v", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s is stale: run %s=1 go test on this package, then %s", path, update, hint)
	}
}
