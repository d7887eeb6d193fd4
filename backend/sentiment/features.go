package sentiment

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature namespaces keep a word, a character n-gram and an emoji that happen
// to share bytes from landing in the same hash bucket on purpose.
const (
	nsWord    = 'w'
	nsNegWord = 'n'
	nsBigram  = 'b'
	nsChar    = 'c'
	nsNegChar = 'k'
	nsEmoji   = 'e'
	nsMeta    = 'm'
)

// negators open a negation scope: the words after them, up to the next
// punctuation or maxNegScope words, are marked as negated.
var negators = wordSet("not no never nothing nobody none nor cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't ain't dont cant wont didnt isnt doesnt wasnt не нет ни никогда ничего никто нельзя нисколько nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder")

const maxNegScope = 4

type token struct {
	text    string
	neg     bool // inside a negation scope
	isWord  bool
	isEmoji bool
}

// tokenize lower-cases text and splits it into words, emoji and punctuation
// markers. URLs and @mentions collapse to placeholders, #hashtags become
// words, and letter runs longer than two are shortened ("soooo" -> "soo")
// with an elongation marker, so rare spellings share weights with common ones.
func tokenize(text string) (toks []token, meta []string) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	text = strings.ToLower(text)
	negLeft := 0
	elong := false
	var wb strings.Builder
	flush := func() {
		if wb.Len() == 0 {
			return
		}
		w := wb.String()
		wb.Reset()
		t := token{text: w, isWord: true, neg: negLeft > 0}
		if negLeft > 0 {
			negLeft--
		}
		toks = append(toks, t)
		if negators[w] || strings.HasSuffix(w, "n't") {
			negLeft = maxNegScope
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case (r == 'h' && (strings.HasPrefix(text[i:], "http://") || strings.HasPrefix(text[i:], "https://"))) ||
			(r == 'w' && strings.HasPrefix(text[i:], "www.")):
			flush()
			j := i
			for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
				j++
			}
			meta = append(meta, "URL")
			i = j
			continue
		case r == '@' && wb.Len() == 0:
			j := i + 1
			for j < len(text) {
				c := text[j]
				if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
					j++
					continue
				}
				break
			}
			if j > i+1 {
				meta = append(meta, "USER")
				i = j
				continue
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' || r == '’') && wb.Len() > 0:
			if r == '’' {
				r = '\''
			}
			// Collapse runs of three or more identical runes to two.
			s := wb.String()
			if n := len(s); n >= 2 {
				last, l1 := utf8.DecodeLastRuneInString(s)
				prev, _ := utf8.DecodeLastRuneInString(s[:n-l1])
				if last == r && prev == r {
					elong = true
					i += size
					continue
				}
			}
			wb.WriteRune(r)
			i += size
			continue
		}
		flush()
		switch {
		case r == '!' || r == '?':
			j := i
			for j < len(text) && (text[j] == '!' || text[j] == '?') {
				j++
			}
			run := text[i:j]
			mark := string(r)
			if len(run) > 1 {
				mark = string(r) + string(r)
				if strings.Contains(run, "!") && strings.Contains(run, "?") {
					mark = "?!"
				}
			}
			toks = append(toks, token{text: mark})
			negLeft = 0
			i = j
			continue
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '\n':
			negLeft = 0
		case isEmoji(r):
			toks = append(toks, token{text: string(r), isEmoji: true})
		}
		i += size
	}
	flush()
	if elong {
		meta = append(meta, "ELONG")
	}
	return toks, meta
}

// isEmoji reports whether r is a pictograph or symbol worth a feature of its own.
func isEmoji(r rune) bool {
	if r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF {
		return r < 0x1F3FB || r > 0x1F3FF // skin-tone modifiers carry no sentiment
	}
	return r == 0x2764 || unicode.Is(unicode.So, r)
}

// featurizer hashes features into a fixed number of buckets.
type featurizer struct {
	mask uint32
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashStr(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func hashNS(ns byte) uint32 { return (fnvOffset ^ uint32(ns)) * fnvPrime }

// features returns the hashed feature indices of text (duplicates allowed)
// together with the detected language. A message with no word and no emoji
// yields no features.
func (f featurizer) features(text string, buf []uint32) ([]uint32, string, bool) {
	lang := DetectLang(text)
	toks, meta := tokenize(text)
	idx := buf[:0]
	words := 0
	prev := "<s>"
	for _, t := range toks {
		switch {
		case t.isWord:
			words++
			ns, cns := byte(nsWord), byte(nsChar)
			if t.neg {
				ns, cns = nsNegWord, nsNegChar
			}
			idx = append(idx, hashStr(hashNS(ns), t.text)&f.mask)
			idx = append(idx, hashStr(hashStr(hashNS(nsBigram), prev)^' ', t.text)&f.mask)
			prev = t.text
			if t.neg {
				prev = "NOT_" + t.text
			}
			idx = f.charNgrams(idx, cns, t.text)
		case t.isEmoji:
			idx = append(idx, hashStr(hashNS(nsEmoji), t.text)&f.mask)
		default:
			idx = append(idx, hashStr(hashNS(nsMeta), t.text)&f.mask)
			prev = t.text
		}
	}
	hasContent := words > 0
	for _, m := range meta {
		idx = append(idx, hashStr(hashNS(nsMeta), m)&f.mask)
	}
	idx = append(idx, hashStr(hashNS(nsMeta), "LANG="+lang)&f.mask)
	return idx, lang, hasContent
}

// charNgrams adds the 2..5-grams of word with boundary markers: "<good>"
// gives "<g", "go", ..., "od>". They let Russian and German inflections share
// weights with forms never seen in training.
func (f featurizer) charNgrams(idx []uint32, ns byte, word string) []uint32 {
	var runes [64]int // byte offsets of rune starts in "<word>"
	w := "<" + word + ">"
	n := 0
	for i := range w {
		if n == len(runes)-1 {
			break
		}
		runes[n] = i
		n++
	}
	end := len(w)
	if n == len(runes)-1 {
		end = runes[n-1]
		n--
	}
	runes[n] = end
	base := hashNS(ns)
	for k := 2; k <= 5; k++ {
		for s := 0; s+k <= n; s++ {
			idx = append(idx, hashStr(base, w[runes[s]:runes[s+k]])&f.mask)
		}
	}
	return idx
}

// featureValue is the weight of every feature occurrence: the vector is
// L2-normalised (for distinct features) so long mails and short tweets get
// comparable scores.
func featureValue(n int) float32 {
	if n == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(n)))
}
