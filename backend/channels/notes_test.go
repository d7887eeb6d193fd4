package channels

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/codelist"
)

// noteCode matches the Code of a Note literal in a connector's Limits.
var noteCode = regexp.MustCompile(`Code:\s+"([a-z]+\.[A-Za-z]+)"`)

// The UI words every limit note from its dictionaries (limits.<code>); the frontend's
// translation test reads limitCodes.json, and this keeps that list equal to the codes
// the connectors use. STORMDESK_UPDATE_LIMIT_CODES=1 rewrites it after adding a note.
func TestLimitCodesJSONIsCurrent(t *testing.T) {
	var codes []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range noteCode.FindAllStringSubmatch(string(src), -1) {
			codes = append(codes, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	if len(codes) < 5 || len(slices.Compact(slices.Clone(codes))) != len(codes) {
		t.Fatalf("limit note codes %v: expected every connector's notes, each code once", codes)
	}
	path := filepath.Join("..", "..", "frontend", "src", "lib", "limitCodes.json")
	codelist.Check(t, path, codes, "STORMDESK_UPDATE_LIMIT_CODES", "add the texts to i18n.limits.ts")
}
