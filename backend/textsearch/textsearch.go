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
// stemmers apart: the German stemmer reads "kinder" as "kind", and without
// the tag a search for "Kinder" would find every English "kind".
//
// A word that is its own stem under the stemmer that applies ("order", "за",
// "12345") is not kept among the stems: the index holds the words too, and a
// query looks such a stem up there (see Analyzer.Document and Parse). That
// is most words of a message, each a token fewer for an import to index.
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
	"slices"
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

// Stemmer tokens: which stemmers a message's Latin words got. A message
// holds one when a Latin word of it was left out of its stems for being its
// own stem (see Document): a query then finds that word among the message's
// words, but only with the stemmer the message used. Tags are single letters
// other than "l", so these never equal a tagged stem.
const (
	stemmerEnglish = "le" // the message's Latin words have English stems only
	stemmerGerman  = "ld" // German stems only
	stemmerBoth    = "lu" // both (language unknown or another one)
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
	if !HasLatin(subject) && !HasLatin(text) {
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
	if r <= unicode.MaxASCII { // most text: skip the Unicode tables
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
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
			return StripLatinMarks(folded)
		}
	}
	return folded
}

// unmarked reports whether folded has no Latin letter with a diacritic, so
// the index reads it as it is written.
func unmarked(folded string) bool { return matchKey(folded) == folded }

// StripLatinMarks removes the diacritics of Latin letters ("verspätung" is
// "verspatung"), as the index's tokenizer reads words.
func StripLatinMarks(s string) string {
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
	cache map[stemKey][]string  // by folded word
	raw   map[stemKey]wordForms // by the word as written
	seen  map[string]struct{}   // Document's scratch set
}

// wordForms is what Document keeps of one written word.
type wordForms struct {
	stems    []string // the tagged stems that differ from the folded word
	ownLatin bool     // a Latin word was left out for being its own stem
}

type stemKey struct {
	lang string
	word string
}

// maxCached bounds the cache; it starts over when full.
const maxCached = 50_000

// NewAnalyzer returns an analyzer with an empty cache.
func NewAnalyzer() *Analyzer {
	return &Analyzer{env: snowballstem.NewEnv(""), cache: map[stemKey][]string{}, raw: map[stemKey]wordForms{},
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
//
// A stem that is the folded word itself ("order", "за", "12345") is left out:
// the index has the word already, among the message's words, and a query
// looks a stem up there too when it is its own stem (see Parse). That is
// most words of a message, and every token left out is index work an import
// does not do. When a Latin word is left out, the message gets the token of
// the stemmers its Latin words had (stemmerEnglish, stemmerGerman or
// stemmerBoth), so a query can tell an English "new" from a German one.
func (a *Analyzer) Document(lang string, parts ...string) string {
	var b strings.Builder
	clear(a.seen)
	ownLatin := false
	for _, p := range parts {
		eachWord(p, func(w string) {
			f := a.rawForms(lang, w)
			ownLatin = ownLatin || f.ownLatin
			for _, st := range f.stems {
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
	if ownLatin {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(stemmerToken(lang))
	}
	return b.String()
}

// stemmerToken is the stemmer token of a message in lang.
func stemmerToken(lang string) string {
	switch lang {
	case LangEnglish:
		return stemmerEnglish
	case LangGerman:
		return stemmerGerman
	}
	return stemmerBoth
}

// rawForms is what Document keeps of a word as written: a bulk import meets
// the same few thousand spellings again and again, so they are cached before
// folding.
func (a *Analyzer) rawForms(lang, raw string) wordForms {
	if scriptOf(raw) != scriptLatin || (lang != LangEnglish && lang != LangGerman) {
		lang = ""
	}
	k := stemKey{lang, raw}
	if f, ok := a.raw[k]; ok {
		return f
	}
	folded := Fold(raw)
	// Only words without Latin diacritics are left out: the index reads
	// words without them, so "café" and "cafe" are one word there, yet they
	// need not stem alike (German keeps "café" and cuts "cafe" to "caf").
	own := unmarked(folded)
	var f wordForms
	for _, st := range a.Stems(lang, folded) {
		if !own || st[len(tagWord):] != folded {
			f.stems = append(f.stems, st)
		} else if st[:len(tagWord)] == tagEnglish || st[:len(tagWord)] == tagGerman {
			f.ownLatin = true
		}
	}
	if len(a.raw) >= maxCached {
		clear(a.raw)
	}
	a.raw[stemKey{lang, strings.Clone(raw)}] = f
	return f
}

// OwnStem is a query word's stem that a message may hold as the word itself
// (Document leaves such stems out): Word is looked up among the message's
// words, in a message holding one of Stemmers (nil: any message).
type OwnStem struct {
	Word     string
	Stemmers []string
}

// ownStems returns, for the tagged stems of a query word, the stems that are
// their own stem under their stemmer: only those can have been left out of a
// message's stems, as the word itself. A stem that its stemmer changes again
// ("дела" of "делать" stems to "дел") cannot be a word left out, and looking
// it up among the words would find other words.
func (a *Analyzer) ownStems(stems []string) []OwnStem {
	var out []OwnStem
	for _, st := range stems {
		// The index reads a stem without its Latin diacritics (the stem
		// "café" matches the word "cafe"), and Document leaves out only
		// words without them.
		tag, s := st[:len(tagWord)], matchKey(st[len(tagWord):])
		st = tag + s
		var stemmers []string
		switch tag {
		case tagEnglish:
			if !slices.Equal(a.Stems(LangEnglish, s), []string{st}) {
				continue
			}
			stemmers = []string{stemmerEnglish, stemmerBoth}
		case tagGerman:
			if !slices.Equal(a.Stems(LangGerman, s), []string{st}) {
				continue
			}
			stemmers = []string{stemmerGerman, stemmerBoth}
		default: // Russian and other words do not depend on the message's language
			if !slices.Equal(a.Stems(LangUnknown, s), []string{st}) {
				continue
			}
		}
		i := slices.IndexFunc(out, func(o OwnStem) bool { return o.Word == s })
		switch {
		case i < 0:
			out = append(out, OwnStem{Word: s, Stemmers: stemmers})
		case out[i].Stemmers != nil:
			out[i].Stemmers = mergeStemmers(out[i].Stemmers, stemmers)
		}
	}
	return out
}

// mergeStemmers is the union of two stemmer token lists; nil (any message)
// when it holds all three, since every message with a Latin word left out
// holds one of them and a message stored before stems were left out holds
// all its stems.
func mergeStemmers(x, y []string) []string {
	if x == nil || y == nil {
		return nil
	}
	out := slices.Clone(x)
	for _, t := range y {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 3 {
		return nil
	}
	return out
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

// HasLatin reports whether s has a Latin letter, the only kind of word whose
// stemmer depends on the message's language.
func HasLatin(s string) bool {
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
