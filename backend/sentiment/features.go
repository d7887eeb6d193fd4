package sentiment

import (
	"bytes"
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
	// Feature version 2: words and punctuation markers of English and German
	// messages, once more per language (the language follows the namespace).
	nsLangWord = 'l'
	nsLangMark = 'p'
)

// negators open a negation scope: the words after them, up to the next
// punctuation or maxNegScope words, are marked as negated.
var negators = wordSet("not no never nothing nobody none nor cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't ain't dont cant wont didnt isnt doesnt wasnt не нет ни никогда ничего никто нельзя нисколько nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder")

const maxNegScope = 4

// Token kinds.
const (
	tokWord uint8 = iota
	tokEmoji
	tokMark
)

// token is one word, emoji or punctuation marker of a message. Its text is
// not a string of its own: words live in the scratch arena as "<word>" (the
// boundary marks the character n-grams need), emoji as their UTF-8 bytes and
// markers in the marks table, so tokenizing allocates nothing.
type token struct {
	start, end int32 // arena[start:end]; for a word including '<' and '>'
	kind       uint8
	mark       uint8 // index in marks for tokMark
	neg        bool  // inside a negation scope
}

// marks are the punctuation markers: single and repeated '!' and '?', and
// runs mixing both.
var marks = [...]string{"!", "!!", "?", "??", "?!"}

// Meta features besides the punctuation markers.
const (
	metaURL   = "URL"
	metaUser  = "USER"
	metaElong = "ELONG"
)

// scratch holds the buffers of one feature extraction. Score takes one from
// the model's pool, so after the first messages scoring allocates nothing.
type scratch struct {
	arena     []byte
	toks      []token
	meta      []string
	idx       []uint32
	wordStart int // arena offset of the open word's '<', -1 when none
	negLeft   int
}

func (s *scratch) reset() {
	s.arena = s.arena[:0]
	s.toks = s.toks[:0]
	s.meta = s.meta[:0]
	s.wordStart = -1
	s.negLeft = 0
}

// word returns the text of a word token without its boundary marks.
func (s *scratch) word(t token) []byte { return s.arena[t.start+1 : t.end-1] }

// flush closes the open word, if any, and opens a negation scope after a negator.
func (s *scratch) flush() {
	if s.wordStart < 0 {
		return
	}
	w := s.arena[s.wordStart+1:]
	opens := negators[string(w)] || bytes.HasSuffix(w, []byte("n't"))
	s.arena = append(s.arena, '>')
	s.toks = append(s.toks, token{start: int32(s.wordStart), end: int32(len(s.arena)), kind: tokWord, neg: s.negLeft > 0})
	if s.negLeft > 0 {
		s.negLeft--
	}
	if opens {
		s.negLeft = maxNegScope
	}
	s.wordStart = -1
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix p,
// ignoring ASCII case. No non-ASCII rune lower-cases to a letter of the
// prefixes used ("http://", "https://", "www."; only U+0130 and U+212A
// lower-case to ASCII, to 'i' and 'k'), so this equals HasPrefix on
// strings.ToLower(s).
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

// isWordRune reports whether r is a letter or a digit, with an ASCII fast path.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lowerRune is unicode.ToLower with an ASCII fast path.
func lowerRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// tokenize lower-cases text and splits it into words, emoji and punctuation
// markers. URLs and @mentions collapse to placeholders, #hashtags become
// words, and letter runs longer than two are shortened ("soooo" -> "soo")
// with an elongation marker, so rare spellings share weights with common ones.
// It lower-cases rune by rune while scanning instead of calling
// strings.ToLower first; every decision below looks at lower-cased runes or
// at ASCII bytes that lower-casing keeps, so the tokens are the same.
func (s *scratch) tokenize(text string) {
	s.reset()
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	elong := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		r = lowerRune(r)
		switch {
		case (r == 'h' && (hasPrefixFold(text[i:], "http://") || hasPrefixFold(text[i:], "https://"))) ||
			(r == 'w' && hasPrefixFold(text[i:], "www.")):
			s.flush()
			j := i
			for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
				j++
			}
			s.meta = append(s.meta, metaURL)
			i = j
			continue
		case r == '@' && s.wordStart < 0:
			j := i + 1
			for j < len(text) {
				c, n := rune(text[j]), 1
				if c >= utf8.RuneSelf {
					c, n = utf8.DecodeRuneInString(text[j:])
				}
				c = lowerRune(c)
				if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
					j += n
					continue
				}
				break
			}
			if j > i+1 {
				s.meta = append(s.meta, metaUser)
				i = j
				continue
			}
		case isWordRune(r) || (r == '\'' || r == '’') && s.wordStart >= 0:
			if r == '’' {
				r = '\''
			}
			if s.wordStart < 0 {
				s.wordStart = len(s.arena)
				s.arena = append(s.arena, '<')
			}
			// Collapse runs of three or more identical runes to two.
			if w := s.arena[s.wordStart+1:]; len(w) >= 2 {
				last, l1 := utf8.DecodeLastRune(w)
				prev, _ := utf8.DecodeLastRune(w[:len(w)-l1])
				if last == r && prev == r {
					elong = true
					i += size
					continue
				}
			}
			s.arena = utf8.AppendRune(s.arena, r)
			i += size
			continue
		}
		s.flush()
		switch {
		case r == '!' || r == '?':
			j := i
			bang, quest := false, false
			for j < len(text) && (text[j] == '!' || text[j] == '?') {
				bang = bang || text[j] == '!'
				quest = quest || text[j] == '?'
				j++
			}
			m := uint8(0) // "!"
			if r == '?' {
				m = 2 // "?"
			}
			if j-i > 1 {
				m++ // "!!" or "??"
				if bang && quest {
					m = 4 // "?!"
				}
			}
			s.toks = append(s.toks, token{kind: tokMark, mark: m})
			s.negLeft = 0
			i = j
			continue
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '\n':
			s.negLeft = 0
		case isEmoji(r):
			start := len(s.arena)
			s.arena = utf8.AppendRune(s.arena, r)
			s.toks = append(s.toks, token{start: int32(start), end: int32(len(s.arena)), kind: tokEmoji})
		}
		i += size
	}
	s.flush()
	if elong {
		s.meta = append(s.meta, metaElong)
	}
}

// isEmoji reports whether r is a pictograph or symbol worth a feature of its own.
func isEmoji(r rune) bool {
	if r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF {
		return r < 0x1F3FB || r > 0x1F3FF // skin-tone modifiers carry no sentiment
	}
	return r == 0x2764 || unicode.Is(unicode.So, r)
}

// featurizer hashes features into a fixed number of buckets, the way the
// feature version says (features_version.go).
type featurizer struct {
	mask    uint32
	version uint8
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

func hashBytes(h uint32, s []byte) uint32 {
	for _, c := range s {
		h ^= uint32(c)
		h *= fnvPrime
	}
	return h
}

func hashNS(ns byte) uint32 { return (fnvOffset ^ uint32(ns)) * fnvPrime }

// features returns the hashed feature indices of text (duplicates allowed),
// appended to buf, together with the detected language. A message with no
// word and no emoji yields no features.
func (f featurizer) features(text string, buf []uint32) ([]uint32, string, bool) {
	s := scratch{idx: buf}
	return f.extract(&s, text)
}

// extract is features with caller-owned buffers; the returned indices alias
// s.idx. FNV-1a is a streaming hash, so hashing a prefix once and continuing
// from it ("NOT_" then the word, the bigram's left word then ' ' and the
// right word) gives the same buckets as hashing the concatenated string.
func (f featurizer) extract(s *scratch, text string) ([]uint32, string, bool) {
	lang := DetectLang(text)
	s.tokenize(text)
	idx := s.idx[:0]
	words := 0
	bigram := hashNS(nsBigram)
	prev := hashStr(bigram, "<s>") // hash of the bigram's left side
	// Version 2 gives English and German words and markers a second,
	// language-specific feature; Russian, where it lowered the held-out
	// figures, keeps the shared ones only.
	perLang := f.version >= FeaturesV2 && (lang == LangEnglish || lang == LangGerman)
	var langWord, langNegWord, langMark uint32
	if perLang {
		langWord = hashStr(hashStr(hashNS(nsLangWord), lang), " ")
		langNegWord = hashStr(hashStr(hashNS(nsLangWord), lang), " NOT_")
		langMark = hashStr(hashStr(hashNS(nsLangMark), lang), " ")
	}
	for _, t := range s.toks {
		switch t.kind {
		case tokWord:
			words++
			w := s.word(t)
			ns, cns := byte(nsWord), byte(nsChar)
			if t.neg {
				ns, cns = nsNegWord, nsNegChar
			}
			idx = append(idx, hashBytes(hashNS(ns), w)&f.mask)
			idx = append(idx, hashBytes(prev^' ', w)&f.mask)
			if t.neg {
				prev = hashBytes(hashStr(bigram, "NOT_"), w)
			} else {
				prev = hashBytes(bigram, w)
			}
			idx = f.charNgrams(idx, cns, s.arena[t.start:t.end])
			if perLang {
				lw := langWord
				if t.neg {
					lw = langNegWord
				}
				idx = append(idx, hashBytes(lw, w)&f.mask)
			}
		case tokEmoji:
			idx = append(idx, hashBytes(hashNS(nsEmoji), s.arena[t.start:t.end])&f.mask)
		default:
			m := marks[t.mark]
			idx = append(idx, hashStr(hashNS(nsMeta), m)&f.mask)
			if perLang {
				idx = append(idx, hashStr(langMark, m)&f.mask)
			}
			prev = hashStr(bigram, m)
		}
	}
	hasContent := words > 0
	for _, m := range s.meta {
		idx = append(idx, hashStr(hashNS(nsMeta), m)&f.mask)
	}
	idx = append(idx, hashStr(hashStr(hashNS(nsMeta), "LANG="), lang)&f.mask)
	s.idx = idx
	return idx, lang, hasContent
}

// charNgrams adds the 2..5-grams of a word given with its boundary markers
// ("<good>" gives "<g", "go", ..., "od>"). They let Russian and German
// inflections share weights with forms never seen in training. Only the
// first 62 runes of the marked word count.
func (f featurizer) charNgrams(idx []uint32, ns byte, w []byte) []uint32 {
	var runes [64]int // byte offsets of rune starts in w
	n := 0
	for i := 0; i < len(w) && n < len(runes)-1; {
		runes[n] = i
		n++
		if w[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(w[i:])
			i += size
		}
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
			idx = append(idx, hashBytes(base, w[runes[s]:runes[s+k]])&f.mask)
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
