package sentiment

// This file keeps the feature extraction as it was before issue 21's speed
// work (string tokens, strings.ToLower, per-word allocations), verbatim, so
// TestFastFeaturesMatchReference can prove the allocation-free path hashes
// every text into the same features, in the same order, as the models were
// trained with.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type refToken struct {
	text    string
	neg     bool
	isWord  bool
	isEmoji bool
}

func refTokenize(text string) (toks []refToken, meta []string) {
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
		t := refToken{text: w, isWord: true, neg: negLeft > 0}
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
			toks = append(toks, refToken{text: mark})
			negLeft = 0
			i = j
			continue
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '\n':
			negLeft = 0
		case isEmoji(r):
			toks = append(toks, refToken{text: string(r), isEmoji: true})
		}
		i += size
	}
	flush()
	if elong {
		meta = append(meta, "ELONG")
	}
	return toks, meta
}

func (f featurizer) refFeatures(text string, buf []uint32) ([]uint32, string, bool) {
	lang := refDetectLang(text)
	toks, meta := refTokenize(text)
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
			idx = f.refCharNgrams(idx, cns, t.text)
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
func (f featurizer) refCharNgrams(idx []uint32, ns byte, word string) []uint32 {
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

func refDetectLang(text string) string {
	var latin, cyr, other int
	text = refStripHandles(text)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
		case r < 0x80:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				latin++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.IsLetter(r):
			other++
		}
	}
	if latin+cyr+other == 0 {
		return LangUnknown
	}
	if other > latin && other > cyr {
		return LangUnknown
	}
	if cyr >= latin {
		return LangRussian
	}
	var en, de, oth int
	umlaut := false
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if enStop[w] {
			en++
		}
		if deStop[w] {
			de++
		}
		if otherStop[w] {
			oth++
		}
		if strings.ContainsAny(w, "äöüß") {
			umlaut = true
		}
	}
	if umlaut {
		de++
	}
	switch {
	case de > en && de >= oth:
		return LangGerman
	case oth > en && oth > de:
		return LangUnknown
	default:
		return LangEnglish
	}
}

func refStripHandles(text string) string {
	f := strings.Fields(text)
	out := f[:0]
	for _, w := range f {
		lw := strings.ToLower(w)
		if strings.HasPrefix(lw, "@") || strings.HasPrefix(lw, "http://") || strings.HasPrefix(lw, "https://") || strings.HasPrefix(lw, "www.") {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
