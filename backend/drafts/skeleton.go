package drafts

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// confusables maps lower-case letters that look like a Latin letter to that
// letter: a compact subset of Unicode TR39 confusables.txt covering the
// Cyrillic and Greek letters an attacker can slip into an English phrase
// ("ignоre" with a Cyrillic о). Upper-case look-alikes are covered too,
// because Skeleton lower-cases first (Cyrillic Т, М, Н, В, К become т, м, н,
// в, к, which are listed). Mapping whole Cyrillic words to Latin is harmless:
// the Russian patterns are folded with the same table (see foldPattern).
var confusables = map[rune]string{
	// Cyrillic
	'а': "a", 'в': "b", 'е': "e", 'к': "k", 'м': "m", 'н': "h", 'о': "o", 'р': "p",
	'с': "c", 'т': "t", 'у': "y", 'х': "x", 'ь': "b", 'і': "i", 'ј': "j", 'ѕ': "s",
	'һ': "h", 'ԁ': "d", 'ԛ': "q", 'ԝ': "w", 'ӏ': "l", 'ү': "y", 'ɡ': "g",
	// Greek
	'α': "a", 'β': "b", 'ε': "e", 'ζ': "z", 'η': "n", 'ι': "i", 'κ': "k", 'μ': "m",
	'ν': "v", 'ο': "o", 'ρ': "p", 'τ': "t", 'υ': "u", 'χ': "x", 'γ': "y", 'ϲ': "c",
	// Latin letters outside ASCII that NFKD leaves alone.
	'ı': "i", 'ȷ': "j", 'ł': "l", 'ø': "o", 'đ': "d", 'ħ': "h", 'ŀ': "l",
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
	if m, ok := confusables[r]; ok {
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
