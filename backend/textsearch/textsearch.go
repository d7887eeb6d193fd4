// Package textsearch turns message text and search queries into the word
// forms the full-text index matches on: words folded (lower case, ё as е) and
// reduced to their Snowball stems in English, Russian and German, so that
// "счет" finds "счёт", "интернет" finds "интернета" and "Verspätungen" finds
// "Verspätung".
//
// SQLite's FTS5 cannot call a Go tokenizer through go-sqlite3, so the store
// keeps the stems as plain text beside each message (see Analyzer.Document)
// and indexes them with the ordinary unicode61 tokenizer; queries are
// translated here the same way (see Parse).
//
// Stems are tagged with their stemmer: "e" English, "d" German, "r" Russian,
// "w" a word no stemmer applies to (digits, other scripts). The tag keeps the
// stemmers apart: the German stemmer reads "news" as "new", and without the
// tag an English search for "news" would find every English "new".
//
// Which stemmer applies to a word: Cyrillic words always get the Russian one.
// Latin words get the English stemmer in a message detected as English, the
// German one in a message detected as German, and both when the language is
// unknown or another one (Latin words in a Russian message, Spanish text).
// A query's language cannot be told from a few words, so a Latin query word
// asks for both stems; each one only meets the stems of its own stemmer.
// Since a query word is stemmed by every stemmer the index may have used,
// a search always finds the word's own form, whatever the detection said.
package textsearch

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/russian"
	"golang.org/x/text/unicode/norm"

	"github.com/stormdesk/stormdesk/backend/sentiment"
)

// Stem tags, the first letter of every indexed stem.
const (
	tagEnglish = "e"
	tagGerman  = "d"
	tagRussian = "r"
	tagWord    = "w"
)

// Languages a message's Latin words may be stemmed as; "" means both.
const (
	LangEnglish = sentiment.LangEnglish
	LangGerman  = sentiment.LangGerman
	LangRussian = sentiment.LangRussian
	LangUnknown = sentiment.LangUnknown
)

// DetectLang guesses the language of a message (subject and text together),
// with the sentiment model's detector: "en", "de", "ru" or "" when unknown.
// A message without Latin letters is not looked at further: only Latin
// words depend on the language (Cyrillic ones are always Russian).
func DetectLang(subject, text string) string {
	if !hasLatin(subject) && !hasLatin(text) {
		return LangUnknown
	}
	if subject == "" {
		return sentiment.DetectLang(text)
	}
	return sentiment.DetectLang(subject + "\n" + text)
}

// Fold is the form a word is stemmed and matched in: lower case, ё as е
// (Russian writes ё optionally, so "счет" and "счёт" are one word). Other
// diacritics are left to the stemmers (German ä ö ü ß) and to the FTS
// tokenizer, which removes them from Latin letters.
func Fold(s string) string {
	s = strings.ToLower(s)
	if strings.ContainsRune(s, 'ё') {
		s = strings.ReplaceAll(s, "ё", "е")
	}
	return s
}

// Span is one word of a text, as byte offsets [Start, End).
type Span struct{ Start, End int }

// IsWordRune reports whether r belongs to a word, as the unicode61 tokenizer
// reads it: letters, numbers and combining marks; everything else separates.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r)
}

// Words returns the spans of the words of s.
func Words(s string) []Span {
	var out []Span
	start := -1
	for i, r := range s {
		if IsWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, Span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, Span{start, len(s)})
	}
	return out
}

// matchKey is how two folded words are compared when highlighting: also
// without the diacritics of Latin letters, as the tokenizer compares them.
func matchKey(folded string) string {
	for _, r := range folded {
		if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) {
			return stripLatinMarks(folded)
		}
	}
	return folded
}

func stripLatinMarks(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= unicode.MaxASCII || !unicode.Is(unicode.Latin, r) {
			b.WriteRune(r)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
	}
	return b.String()
}

// script classes of a word, which decide its stemmers.
type script int

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
)

func scriptOf(word string) script {
	for _, r := range word {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return scriptCyrillic
		case unicode.Is(unicode.Latin, r):
			return scriptLatin
		case unicode.IsLetter(r):
			return scriptOther
		}
	}
	return scriptOther
}

// Analyzer stems words, caching the stems of the words it has seen (message
// vocabularies are small and repetitive: the cache makes stemming a bulk
// import cheap). It is not safe for concurrent use; make one per batch.
type Analyzer struct {
	env   *snowballstem.Env
	cache map[stemKey][]string // by folded word
	raw   map[stemKey][]string // by the word as written
	seen  map[string]struct{}  // Document's scratch set
}

type stemKey struct {
	lang string
	word string
}

// maxCached bounds the cache; it starts over when full.
const maxCached = 50_000

// NewAnalyzer returns an analyzer with an empty cache.
func NewAnalyzer() *Analyzer {
	return &Analyzer{env: snowballstem.NewEnv(""), cache: map[stemKey][]string{}, raw: map[stemKey][]string{},
		seen: map[string]struct{}{}}
}

// Stems returns the tagged stems of one folded word of a message in lang
// ("" when unknown; then Latin words get both the English and the German stem).
func (a *Analyzer) Stems(lang, word string) []string {
	sc := scriptOf(word)
	if sc != scriptLatin || (lang != LangEnglish && lang != LangGerman) {
		lang = "" // only Latin words depend on the message's language
	}
	k := stemKey{lang, word}
	if s, ok := a.cache[k]; ok {
		return s
	}
	var out []string
	switch sc {
	case scriptCyrillic:
		out = []string{tagRussian + a.stem(russian.Stem, word)}
	case scriptLatin:
		if lang != LangGerman {
			out = append(out, tagEnglish+a.stem(english.Stem, word))
		}
		if lang != LangEnglish {
			out = append(out, tagGerman+a.stem(german.Stem, word))
		}
	default:
		out = []string{tagWord + word}
	}
	if len(a.cache) >= maxCached {
		clear(a.cache)
	}
	a.cache[k] = out
	return out
}

func (a *Analyzer) stem(fn func(*snowballstem.Env) bool, word string) string {
	a.env.SetCurrent(word)
	fn(a.env)
	if s := a.env.Current(); s != "" {
		return s
	}
	return word
}

// Document returns what the index keeps for a message in lang: the distinct
// tagged stems of the words of its parts, space-separated, in first-seen
// order. Only single words are matched against stems (phrases and prefixes
// use the text itself), so repeats and word order are not kept.
func (a *Analyzer) Document(lang string, parts ...string) string {
	var b strings.Builder
	clear(a.seen)
	for _, p := range parts {
		eachWord(p, func(w string) {
			for _, st := range a.rawStems(lang, w) {
				if _, dup := a.seen[st]; dup {
					continue
				}
				a.seen[st] = struct{}{}
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(st)
			}
		})
	}
	return b.String()
}

// rawStems is Stems of a word as written: a bulk import meets the same few
// thousand spellings again and again, so they are cached before folding.
func (a *Analyzer) rawStems(lang, raw string) []string {
	if scriptOf(raw) != scriptLatin || (lang != LangEnglish && lang != LangGerman) {
		lang = ""
	}
	k := stemKey{lang, raw}
	if s, ok := a.raw[k]; ok {
		return s
	}
	s := a.Stems(lang, Fold(raw))
	if len(a.raw) >= maxCached {
		clear(a.raw)
	}
	a.raw[stemKey{lang, strings.Clone(raw)}] = s
	return s
}

// eachWord calls fn with every word of s, as Words finds them.
func eachWord(s string, fn func(string)) {
	start := -1
	for i, r := range s {
		if IsWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(s[start:])
	}
}

// hasLatin reports whether s has a Latin letter, the only kind of word whose
// stemmer depends on the message's language.
func hasLatin(s string) bool {
	for _, r := range s {
		if r < unicode.MaxASCII {
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				return true
			}
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}
