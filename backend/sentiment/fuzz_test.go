package sentiment

import (
	"math"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzScore: any text, however broken, gets a valid judgement, and the same
// one whatever was scored before it (the feature buffers are recycled
// between calls, so a stale byte from a longer text would change a score).
func FuzzScore(f *testing.F) {
	m, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"", "Worst airline ever, lost my bag again @united #fail http://t.co/x",
		"Спасибо, всё отлично работает!", "Die Lieferung ist schon wieder zu spät!!!",
		"😡😡😡", "\xff\xfe bad \xc3", strings.Repeat("ab", 3000), "don't not never",
		"Ä ö ü ß ẞ İ ı", "a\u0301\u0301\u0301", "@@@ ### !!! ...",
	} {
		f.Add(s, "the other text, scored in between")
	}
	f.Fuzz(func(t *testing.T, text, other string) {
		first := m.Score(text)
		m.Score(other)
		if again := m.Score(text); again != first {
			t.Fatalf("Score(%q) = %+v, then %+v after scoring %q", text, first, again, other)
		}
		if !first.Label.Valid() || first.Label == "" {
			t.Fatalf("label %q", first.Label)
		}
		if math.IsNaN(first.Score) || first.Score < -1 || first.Score > 1 {
			t.Fatalf("score %v", first.Score)
		}
		if c := first.Confidence; c != 0 && (c < 1.0/3-1e-9 || c > 1) || math.IsNaN(c) {
			t.Fatalf("confidence %v", c)
		}
		switch first.Lang {
		case LangUnknown, LangEnglish, LangRussian, LangGerman:
		default:
			t.Fatalf("language %q", first.Lang)
		}
		if first.Confidence == 0 && first.Label != inbox.SentimentNeutral {
			t.Fatalf("unjudged text labelled %q", first.Label)
		}
	})
}
