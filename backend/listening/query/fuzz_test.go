package query

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// FuzzParse: Parse never panics, refuses only with an *Error whose span lies
// inside the query, and what it accepts round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "a", `a "b c" -d`, "(a OR b) AND NOT c", "a --AND", "lang:ru source:vk x", "deliv* e-mail",
		"((a)", `"`, "-(", "NOT NOT a", "a OR -b", "Задержка OR Verspätung", "lang:", "x:y", "http://a.b/c", "--A:", "--a:b*",
	} {
		f.Add(s, "a b задержка Verspätung")
	}
	f.Fuzz(func(t *testing.T, s, text string) {
		q, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T %v; want *Error", s, err, err)
			}
			if n := utf8.RuneCountInString(s); e.Pos < 0 || e.Pos > e.End || e.End > n {
				t.Fatalf("Parse(%q) error span %d-%d outside 0-%d", s, e.Pos, e.End, n)
			}
			return
		}
		again, err := Parse(q.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, q.String(), err)
		}
		if again.String() != q.String() {
			t.Fatalf("Parse(%q).String() = %q, parsed again %q", s, q.String(), again.String())
		}
		d := Doc{Text: text, Title: s}
		if q.Match(d) != again.Match(d) {
			t.Fatalf("Parse(%q) and its String %q disagree on %q", s, q.String(), text)
		}
		if len(q.Terms()) == 0 {
			t.Fatalf("Parse(%q) accepted a query with no terms", s)
		}
	})
}

// FuzzEachWord: the matcher splits a post into the words search does.
func FuzzEachWord(f *testing.F) {
	for _, s := range []string{"", "a b", "Задержка, Verspätung! e-mail 12:30 🔥x", "\xff\xfeab", "a\u0301b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got []string
		eachWord(s, func(w string) { got = append(got, w) })
		var want []string
		for _, sp := range textsearch.Words(s) {
			want = append(want, s[sp.Start:sp.End])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("eachWord(%q) = %q; textsearch.Words gives %q", s, got, want)
		}
	})
}
