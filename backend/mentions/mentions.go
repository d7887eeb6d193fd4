// Package mentions finds @mentions of team members in a note's text.
//
// A mention is "@" followed by a member's name as the team spells it, in any
// case. Names may hold spaces ("@Pete Lee"), so the text cannot be split into
// words first: at each "@" the longest name that matches wins, which makes
// "@Ann Lee" mention "Ann Lee" rather than "Ann" when both are members. Text
// after "@" that is no member's name is plain text.
package mentions

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is one mention: the member's name as the team spells it and where the
// mention ("@" included) starts and ends in the text, in bytes.
type Span struct {
	Name       string
	Start, End int
}

// Find returns the mentions of names in text, in the order they appear.
func Find(text string, names []string) []Span {
	byLength := longestFirst(names)
	if len(byLength) == 0 {
		return nil
	}
	var out []Span
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		i = at + 1
		if at > 0 {
			// An "@" inside a word (an e-mail address) mentions nobody.
			if r, _ := utf8.DecodeLastRuneInString(text[:at]); isWordRune(r) {
				continue
			}
		}
		for _, name := range byLength {
			n, ok := prefixFold(text[at+1:], name)
			if !ok {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(text[at+1+n:]); isWordRune(r) {
				continue // "@Annabel" is not "@Ann"
			}
			out = append(out, Span{Name: name, Start: at, End: at + 1 + n})
			i = at + 1 + n
			break
		}
	}
	return out
}

// Names returns the members text mentions, each once, in the order of their
// first mention.
func Names(text string, names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range Find(text, names) {
		if !seen[s.Name] {
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	return out
}

// longestFirst drops empty names and orders the rest longest first (in
// characters), so the longest match is tried first.
func longestFirst(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return utf8.RuneCountInString(out[i]) > utf8.RuneCountInString(out[j])
	})
	return out
}

// prefixFold says whether s starts with name, compared rune by rune without
// case, and how many bytes of s the match covers (case folding can change a
// rune's length in bytes, so it need not be len(name)).
func prefixFold(s, name string) (int, bool) {
	n := 0
	for _, want := range name {
		got, size := utf8.DecodeRuneInString(s[n:])
		if size == 0 || !foldEqual(got, want) {
			return 0, false
		}
		n += size
	}
	return n, true
}

func foldEqual(a, b rune) bool {
	return a == b || strings.EqualFold(string(a), string(b))
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
