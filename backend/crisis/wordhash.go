package crisis

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// appendWordSet appends text's word set (the hashes of tokenize's words,
// sorted, without repeats) to dst; buf is a reusable scratch buffer,
// returned for the next call. Content words only, unless the text has fewer
// than 3 of them: "where is my bag" is almost all stopwords. It follows
// tokenize's rules in one pass over the bytes without building strings,
// since the topic index runs it on every negative (TestWordSetMatchesTokenize
// keeps the two in step).
func appendWordSet(dst []uint64, text string, buf []byte) ([]uint64, []byte) {
	start := len(dst)
	var stopBuf [16]uint64
	stop := stopBuf[:0]
	word := buf[:0]
	skip, fieldStart := false, true
	end := func() {
		w := trimWord(word)
		if w != nil {
			h := fnv64a(w)
			if stopwords[string(w)] {
				stop = append(stop, h)
			} else {
				dst = append(dst, h)
			}
		}
		word = word[:0]
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		if unicode.IsSpace(r) {
			end()
			skip, fieldStart = false, true
			continue
		}
		if fieldStart {
			// Mentions and links, as tokenize drops them (after lowercasing).
			f := text[i-size:]
			skip = f[0] == '@' || hasFoldPrefix(f, "http") || hasFoldPrefix(f, "www.") ||
				strings.HasPrefix(f, ".@") || strings.HasPrefix(f, "“@") || strings.HasPrefix(f, "\"@")
			fieldStart = false
		}
		if skip {
			continue
		}
		if r == '’' {
			r = '\''
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '\'' {
				word = append(word, byte(r))
			} else {
				end()
			}
			continue
		}
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			word = utf8.AppendRune(word, r)
		} else {
			end()
		}
	}
	end()
	if len(dst)-start < 3 {
		dst = append(dst, stop...)
	}
	set := dst[start:]
	slices.Sort(set)
	return dst[:start+len(slices.Compact(set))], word
}

// trimWord applies appendWord's rules to a lowercased run of letters,
// digits and apostrophes: nil when it is no word.
func trimWord(w []byte) []byte {
	for len(w) > 0 && w[0] == '\'' {
		w = w[1:]
	}
	for len(w) > 0 && w[len(w)-1] == '\'' {
		w = w[:len(w)-1]
	}
	if n := len(w); n >= 2 && w[n-2] == '\'' && w[n-1] == 's' {
		w = w[:n-2]
	}
	n := utf8.RuneCount(w)
	if n < 2 {
		return nil
	}
	if n < 3 {
		digits := true
		for _, c := range string(w) {
			if !unicode.IsDigit(c) {
				digits = false
				break
			}
		}
		if digits {
			return nil
		}
	}
	return w
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// fnv64a is FNV-1a (hash/fnv's New64a) without the allocation.
func fnv64a[T string | []byte](s T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
