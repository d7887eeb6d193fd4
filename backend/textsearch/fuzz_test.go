package textsearch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSnippet feeds the search box's parser and the result snippet whatever a
// user may type and a message may hold (invalid UTF-8, combining marks, ligatures
// that fold to several letters, stray quotes and operators): neither panics, the
// snippet is one stretch of the message with marks around matches and
// ellipses at cuts, holds at most maxWords words, and counts no more matched
// words than it has.
func FuzzSnippet(f *testing.F) {
	f.Add(`"flight delayed" OR refund* -paypal`, "Our flight delayed, flight was late. Refunds?", uint8(4), uint8(0))
	f.Add("интернет", "Нет интернета, счёт пришёл", uint8(24), uint8(2))
	f.Add("arger*", "Das ist ärgerlich, Straße gesperrt", uint8(3), uint8(1))
	f.Add(`"ﬁ" OR -- " OR`, "ﬁle \xff\xfe İstanbul ǅ e\u0301", uint8(1), uint8(3))
	f.Add("", "", uint8(0), uint8(0))
	a := NewAnalyzer()
	langs := []string{LangUnknown, LangEnglish, LangGerman, LangRussian}
	marks := Marks{Start: "\x00<", End: "\x00>", Ellipsis: "\x00…"}
	f.Fuzz(func(t *testing.T, query, text string, maxWords, lang uint8) {
		if strings.Contains(query+text, "\x00") {
			return // the marks must be told apart from the text
		}
		q := a.Parse(query)
		if terms := len(q.Excluded) + func() (n int) {
			for _, g := range q.Groups {
				n += len(g)
			}
			return n
		}(); terms > MaxTerms {
			t.Fatalf("Parse(%q) kept %d terms, more than %d", query, terms, MaxTerms)
		}
		l := langs[int(lang)%len(langs)]
		max := int(maxWords % 40)
		got, n := a.Snippet(q, l, text, max, marks)
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("Snippet of valid text is not UTF-8: %q", got)
		}
		core := strings.TrimSuffix(strings.TrimPrefix(got, marks.Ellipsis), marks.Ellipsis)
		if strings.Contains(core, marks.Ellipsis) {
			t.Fatalf("Snippet %q cuts inside", got)
		}
		if strings.Count(core, marks.Start) != strings.Count(core, marks.End) {
			t.Fatalf("Snippet %q has unbalanced marks", got)
		}
		plain := strings.NewReplacer(marks.Start, "", marks.End, "").Replace(core)
		if !strings.Contains(text, plain) {
			t.Fatalf("Snippet %q is not a stretch of %q", got, text)
		}
		words := len(Words(plain))
		if max > 0 && words > max {
			t.Fatalf("Snippet %q has %d words, more than %d", got, words, max)
		}
		if n > len(Words(text)) {
			t.Fatalf("Snippet %q counts %d matched words of %d", got, n, len(Words(text)))
		}
		if a.Document(l, text) != a.Document(l, text) {
			t.Fatalf("Document(%q) is not deterministic", text)
		}
	})
}
