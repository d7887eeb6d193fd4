package drafts

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// confusable maps a lower-case letter that looks like a Latin letter to
// that letter: a compact subset of Unicode TR39 confusables.txt covering the
// Cyrillic and Greek letters an attacker can slip into an English phrase
// ("ignоre" with a Cyrillic о). Upper-case look-alikes are covered too,
// because Skeleton lower-cases first (Cyrillic Т, М, Н, В, К become т, м, н,
// в, к, which are listed). Mapping whole Cyrillic words to Latin is harmless:
// the Russian patterns are folded with the same table (see foldPattern).
// A switch rather than a map keeps the table out of package state.
func confusable(r rune) (string, bool) {
	switch r { // Cyrillic first, then Greek and Latin look-alikes of the same letter
	case 'а':
		return "a", true
	case 'в', 'ь', 'β':
		return "b", true
	case 'е', 'ε':
		return "e", true
	case 'к', 'κ':
		return "k", true
	case 'м', 'μ':
		return "m", true
	case 'н', 'һ', 'ħ':
		return "h", true
	case 'о', 'ο', 'ø':
		return "o", true
	case 'р', 'ρ':
		return "p", true
	case 'с', 'ϲ':
		return "c", true
	case 'т', 'τ':
		return "t", true
	case 'у', 'ү', 'γ':
		return "y", true
	case 'х', 'χ':
		return "x", true
	case 'і', 'ι', 'ı':
		return "i", true
	case 'ј', 'ȷ':
		return "j", true
	case 'ѕ':
		return "s", true
	case 'ԁ', 'đ':
		return "d", true
	case 'ԛ':
		return "q", true
	case 'ԝ':
		return "w", true
	case 'ӏ', 'ł', 'ŀ':
		return "l", true
	case 'ɡ':
		return "g", true
	// Greek letters with no Cyrillic twin listed above
	case 'α':
		return "a", true
	case 'ζ':
		return "z", true
	case 'η':
		return "n", true
	case 'ν':
		return "v", true
	case 'υ':
		return "u", true
	}
	return "", false
}

// Skeleton folds s for matching, after Unicode TR39's skeleton: NFKD
// (fullwidth and mathematical letters become plain ones), combining marks and
// default-ignorable characters (zero-width spaces and joiners, bidi controls,
// variation selectors, soft hyphens) removed, lower-cased, and Cyrillic/Greek
// look-alikes mapped to Latin. The result is for comparison only, never shown:
// Russian text comes out as a mix of scripts. Invalid UTF-8 becomes U+FFFD.
// Skeleton(Skeleton(s)) == Skeleton(s).
func Skeleton(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		foldRune(&b, r)
	}
	return b.String()
}

// skeletonWithOrigin is Skeleton plus, for every byte of the result, the
// offset in s of the rune it came from, and len(s) for the end, so a match in
// the skeleton can be shown as the person wrote it. Every offset is a rune
// start, so slicing s with them never splits a character.
func skeletonWithOrigin(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	origin := make([]int, 0, len(s)+1)
	for i, r := range s {
		before := b.Len()
		foldRune(&b, r)
		for j := before; j < b.Len(); j++ {
			origin = append(origin, i)
		}
	}
	origin = append(origin, len(s))
	return b.String(), origin
}

// foldRune writes the skeleton of one rune. A rune that NFKD decomposes is
// folded piece by piece, so a letter whose lower case decomposes (İ -> i +
// dot) comes out the same however often it is folded.
func foldRune(b *strings.Builder, r rune) {
	if invisible(r) {
		return
	}
	r = unicode.ToLower(r)
	if m, ok := confusable(r); ok {
		b.WriteString(m)
		return
	}
	d := norm.NFKD.String(string(r))
	if d == string(r) {
		b.WriteRune(r)
		return
	}
	for _, x := range d {
		if x == r {
			b.WriteRune(x)
			continue
		}
		foldRune(b, x)
	}
}

// invisible reports characters that change nothing a reader sees: combining
// marks (after NFKD they are the dots and accents), format characters
// (zero-width space/joiners, bidi controls, soft hyphen) and the other
// default-ignorable code points (variation selectors, Hangul fillers).
func invisible(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// foldPattern folds the literal letters of a regular expression written in
// plain lower case the way Skeleton folds text, leaving ASCII (the regexp
// syntax, and \S, \b, \d, which lower-casing would break) untouched.
func foldPattern(expr string) string {
	var b strings.Builder
	for _, r := range expr {
		if r < unicode.MaxASCII {
			b.WriteRune(r)
			continue
		}
		foldRune(&b, r)
	}
	return b.String()
}
