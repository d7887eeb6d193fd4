package textsearch

import (
	"slices"
	"strings"
	"unicode"
)

// Kind says how a query term matches.
type Kind int

const (
	// Word matches any form of the word (its stems).
	Word Kind = iota
	// Phrase matches the exact words in this order ("quoted phrase"; also an
	// unquoted word that the tokenizer splits, such as e-mail).
	Phrase
	// Prefix matches words that start with the term (deliv*).
	Prefix
)

// Term is one searched word, phrase or prefix.
type Term struct {
	Kind  Kind
	Words []string // folded words
	Stems []string // Word only: the tagged stems to look up
	// Own (Word only) are the stems also to be looked up among a message's
	// words, where Document leaves a word that is its own stem.
	Own []OwnStem
}

// Query is a parsed search: groups are ANDed, the terms inside a group ORed;
// a message holding any Excluded term is left out.
type Query struct {
	Groups   [][]Term
	Excluded []Term
}

// Empty reports whether the query can match nothing: it has no positive term
// (exclusions alone select nothing).
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// MaxTerms bounds how many terms a query may have; the rest is ignored.
const MaxTerms = 32

// Parse reads the search box's syntax:
//
//   - words are ANDed and match any form of the word (refunds finds refund);
//   - "quoted phrases" match those exact words in that order, not stemmed;
//   - a trailing * makes a word a prefix (deliv* matches delivery);
//   - OR between two terms matches either (OR binds tighter than the
//     implicit AND: a b OR c = a AND (b OR c));
//   - a leading - excludes a word or "phrase" (refund -paypal).
//
// Case, ё/е and the diacritics of Latin letters never matter. Everything else
// (other operators, punctuation, unbalanced quotes) is plain text and can never
// cause a syntax error.
func (a *Analyzer) Parse(text string) Query {
	var q Query
	joinNext := false // the previous token was OR
	nterms := 0
	add := func(words string, kind Kind, neg bool) {
		ws := slices.DeleteFunc(strings.Fields(Fold(words)), func(w string) bool {
			return !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) })
		})
		if len(ws) == 0 || nterms >= MaxTerms {
			return
		}
		nterms++
		if kind == Word && len(ws) > 1 {
			kind = Phrase // e-mail: the words in a row, as typed
		}
		t := Term{Kind: kind, Words: ws}
		if kind == Word {
			t.Stems = a.Stems(LangUnknown, ws[0])
			t.Own = a.ownStems(t.Stems)
		}
		switch {
		case neg:
			q.Excluded = append(q.Excluded, t)
		case joinNext && len(q.Groups) > 0:
			q.Groups[len(q.Groups)-1] = append(q.Groups[len(q.Groups)-1], t)
		default:
			q.Groups = append(q.Groups, []Term{t})
		}
		joinNext = false
	}

	rs := []rune(strings.ToValidUTF8(text, " "))
	space := func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
	for i := 0; i < len(rs); {
		r := rs[i]
		neg := false
		if r == '-' && i+1 < len(rs) && !space(rs[i+1]) && rs[i+1] != '-' {
			neg = true
			i++
			r = rs[i]
		}
		switch {
		case space(r):
			i++
		case r == '"':
			// A phrase runs to the closing quote, or to the end if there is none.
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			add(cleanWords(rs[i+1:j]), Phrase, neg)
			i = j + 1
		default:
			j := i
			for j < len(rs) && !space(rs[j]) && rs[j] != '"' {
				j++
			}
			word := string(rs[i:j])
			i = j
			if !neg {
				switch word {
				case "OR":
					joinNext = len(q.Groups) > 0
					continue
				case "AND":
					joinNext = false
					continue
				}
			}
			kind := Word
			if strings.HasSuffix(word, "*") {
				kind = Prefix
			}
			add(cleanWords([]rune(strings.TrimRight(word, "*"))), kind, neg)
		}
	}
	return q
}

// cleanWords keeps the characters words are made of, turning every other one
// into a space, as the tokenizer would.
func cleanWords(rs []rune) string {
	out := make([]rune, len(rs))
	for i, r := range rs {
		if IsWordRune(r) {
			out[i] = r
		} else {
			out[i] = ' '
		}
	}
	return string(out)
}
