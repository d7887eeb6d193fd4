package store

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// The search column of a message (pgSearchOneIndex) is
//
//	to_tsvector('simple', subject) || to_tsvector('simple', text)
//	    || setweight(to_tsvector('simple', stems), 'A')
//
// of the strings folded in Go (pgfold.go). pgVectorBuilder writes that value
// in tsvector's text form, which the server only reads back (tsvector_in:
// no word parser, no dictionary), so an imported row no longer costs the
// server a run of its word parser over three strings: about a seventh of the
// inserting backend's time in the profiles (docs/benchmarks.md).
//
// Folded words are runs of [[:alnum:]] separated by one space, and such a
// run is one token of PostgreSQL's default parser, whose lexeme under the
// 'simple' configuration is the run itself: positions count the words from
// 1, and || shifts the right side's positions by the left side's greatest.
// The builder answers only where that holds and none of PostgreSQL's limits
// applies; otherwise (a number the parser reads as two tokens, a very long
// word, a word repeated near the 256 positions a lexeme keeps, positions near
// their 16,383 ceiling) it declines and the server computes the value from
// the folded strings, as before. The tests compare both over every word
// character (TestPGSearchVectorEveryCharacter) and many strings.
type pgVectorBuilder struct {
	words []pgVectorWordPos
	buf   []byte
}

type pgVectorWordPos struct {
	word string
	pos  uint16 // with pgWeightA set for a stem
}

const (
	pgWeightA = 1 << 15
	// Within these the server's limits (256 positions per lexeme, positions up
	// to 16,383, words under 2,047 bytes) cannot be met.
	pgVectorMaxPos     = 250
	pgVectorMaxWords   = 16000
	pgVectorMaxWordLen = 1000
)

// build returns the search column of the folded subject, text and stems in
// tsvector's text form, or false when the server must compute it. subject
// and text are pgFoldWords's (only word characters and spaces); stems is
// pgFoldCase's, whose characters are checked here.
func (v *pgVectorBuilder) build(subject, text, stems string) (string, bool) {
	v.words = v.words[:0]
	pos := 0
	for part, s := range [...]string{subject, text, stems} {
		stem := part == 2
		for w := range strings.SplitSeq(s, " ") {
			if w == "" {
				continue
			}
			if !pgVectorWord(w, stem) {
				return "", false
			}
			pos++
			p := uint16(pos)
			if stem {
				p |= pgWeightA
			}
			v.words = append(v.words, pgVectorWordPos{w, p})
		}
	}
	if pos > pgVectorMaxWords {
		return "", false
	}
	// Lexemes in the server's order (bytewise, as tsvector_in sorts them:
	// given sorted, its sort only checks the order), positions ascending.
	slices.SortFunc(v.words, func(a, b pgVectorWordPos) int {
		if c := strings.Compare(a.word, b.word); c != 0 {
			return c
		}
		return cmp.Compare(a.pos&^pgWeightA, b.pos&^pgWeightA)
	})
	b := v.buf[:0]
	n := 0
	for i, w := range v.words {
		if i > 0 && w.word == v.words[i-1].word {
			if n++; n > pgVectorMaxPos {
				return "", false
			}
			b = append(b, ',')
		} else {
			if i > 0 {
				b = append(b, ' ')
			}
			n = 1
			b = append(b, '\'')
			b = append(b, w.word...)
			b = append(b, '\'', ':')
		}
		b = strconv.AppendUint(b, uint64(w.pos&^pgWeightA), 10)
		if w.pos&pgWeightA != 0 {
			b = append(b, 'A')
		}
	}
	v.buf = b
	return string(b), true
}

// pgVectorWord says whether the server's parser reads w as one token whose
// 'simple' lexeme is w: letters and digits only (no quote or backslash to
// escape), not too long, and not a number in scientific notation with more
// after it (the parser ends "7e3a" after "7e3"; "7e3" and "90er" are one
// token each). Only a stem's characters need checking: folded words are made
// of word characters.
func pgVectorWord(w string, checkChars bool) bool {
	if len(w) > pgVectorMaxWordLen || pgScientificPrefix(w) {
		return false
	}
	if !checkChars {
		return true
	}
	for _, r := range w {
		if !pgIsAlnum(r) {
			return false
		}
	}
	return true
}

// pgScientificPrefix reports whether w is digits, e, digits and then more.
func pgScientificPrefix(w string) bool {
	i := 0
	for i < len(w) && '0' <= w[i] && w[i] <= '9' {
		i++
	}
	if i == 0 || i == len(w) || (w[i] != 'e' && w[i] != 'E') {
		return false
	}
	j := i + 1
	for j < len(w) && '0' <= w[j] && w[j] <= '9' {
		j++
	}
	return j > i+1 && j < len(w)
}
