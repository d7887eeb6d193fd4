package fileimport

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/codelist"
)

// problemCode matches a code where a problem is made.
var problemCode = regexp.MustCompile(`(?:rowProblem|brokenAt)\("([A-Za-z0-9]+)"`)

// Every code the package makes has an English sentence, every sentence is
// used, and each names only params the code is made with.
func TestProblemCodesHaveText(t *testing.T) {
	used := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range problemCode.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	for code := range used {
		if problemText[code] == "" {
			t.Errorf("code %q has no English text in problemText", code)
		}
	}
	for code := range problemText {
		if !used[code] {
			t.Errorf("problemText has %q, which nothing makes", code)
		}
	}
	p := rowProblem("fieldCountSpan", "got", 3, "want", 5, "line", 7, "end", 9)
	if got, want := p.Error(), "wrong number of fields: got 3, want 5 in a record spanning lines 7–9 (unterminated quote?)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := rowProblem("unknownKind", "value", "a\xffb").params["value"]; got != `"a\xffb"` {
		t.Errorf("a string param = %s, want it quoted with the invalid byte escaped", got)
	}
}

// The app words each reason from its dictionaries (import.reason.<code>); the
// frontend's translation test reads reasonCodes.json, and this keeps that list
// equal to problemText's codes. STORMDESK_UPDATE_REASON_CODES=1 rewrites it.
func TestReasonCodesJSONIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "..", "frontend", "src", "lib", "importReasonCodes.json")
	codelist.Check(t, path, slices.Sorted(maps.Keys(problemText)), "STORMDESK_UPDATE_REASON_CODES", "add the texts to i18n.importer.ts")
}
