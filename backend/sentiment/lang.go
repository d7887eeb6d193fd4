package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language codes DetectLang returns. The empty string means "unknown".
const (
	LangEnglish = "en"
	LangRussian = "ru"
	LangGerman  = "de"
	LangUnknown = ""
)

// Stopword lists are short on purpose: they only have to separate English
// from German (Cyrillic is settled by script) and spot other Latin languages.
var (
	enStop = wordSet("the a an and or but is are was were be been to of in on at for with my your you i me we it this that not no do does did don't can't have has had just so what why how when will would can get got from they there thanks thank please")
	deStop = wordSet("der die das und oder aber ist sind war waren sein zu von im in am auf für mit mein meine dein ich mich mir wir es dies das nicht kein keine tun hat haben hatte nur so was warum wie wann wird würde kann bekommen vom sie da danke bitte ein eine einen sehr schon noch auch ja nein doch wieder immer vielen dank ihr euch bei dass mal heute ganz gar leider weiter gerne jetzt hier euer eure mehr")
	// Other Latin-script languages: a hit here without English or German
	// evidence means the message is in a language the model was not built for.
	otherStop = wordSet("el la los las y que de por para con una es muy pero le les et est une pour avec pas je tu il nous vous ce qui il lo gli e di che non per sono um uma não com para")
)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLang guesses the language of text: "en", "ru", "de" or "" (unknown).
// The dominant script decides first (Cyrillic means Russian); Latin text is
// split between English and German by stopwords and German letters (ä ö ü ß).
// Short Latin text with no evidence either way counts as English, because the
// alternative would throw away most one-word customer messages.
// @mentions and links are skipped: their Latin letters say nothing about the
// language of a Russian or German message. It allocates nothing: it walks the
// whitespace-separated fields twice instead of building a cleaned copy.
func DetectLang(text string) string {
	var latin, cyr, other int
	for f, rest := nextField(text); f != ""; f, rest = nextField(rest) {
		if isHandle(f) {
			continue
		}
		for i := 0; i < len(f); {
			if c := f[i]; c < utf8.RuneSelf {
				if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
					latin++
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(f[i:])
			i += size
			switch {
			case r == utf8.RuneError && size <= 1:
			case r < 0x80:
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					latin++
				}
			case r >= 0x430 && r <= 0x44F || r >= 0x410 && r <= 0x42F || r == 0x451 || unicode.Is(unicode.Cyrillic, r):
				cyr++
			case unicode.Is(unicode.Latin, r):
				latin++
			case unicode.IsLetter(r):
				other++
			}
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
	var wbuf [64]byte
	for f, rest := nextField(text); f != ""; f, rest = nextField(rest) {
		if isHandle(f) {
			continue
		}
		// Words are runs of letters and ASCII apostrophes, lower-cased.
		w := wbuf[:0]
		for i := 0; i <= len(f); {
			r, size := utf8.RuneError, 1
			if i < len(f) {
				r, size = utf8.DecodeRuneInString(f[i:])
				r = lowerRune(r)
			}
			if i < len(f) && (unicode.IsLetter(r) || r == '\'') {
				w = utf8.AppendRune(w, r)
				umlaut = umlaut || r == 'ä' || r == 'ö' || r == 'ü' || r == 'ß'
			} else if len(w) > 0 {
				if enStop[string(w)] {
					en++
				}
				if deStop[string(w)] {
					de++
				}
				if otherStop[string(w)] {
					oth++
				}
				w = w[:0]
			}
			i += size
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

// nextField returns the first field of s separated by Unicode white space
// (as strings.Fields splits) and the rest after it; "" when none is left.
func nextField(s string) (field, rest string) {
	i := 0
	for i < len(s) {
		size := spaceAt(s, i)
		if size == 0 {
			break
		}
		i += size
	}
	j := i
	for j < len(s) {
		if spaceAt(s, j) > 0 {
			break
		}
		if s[j] < utf8.RuneSelf {
			j++
		} else {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
		}
	}
	return s[i:j], s[j:]
}

// spaceAt returns the byte length of the white-space rune at s[i], 0 if the
// rune there is not white space.
func spaceAt(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if c == ' ' || c >= '\t' && c <= '\r' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return size
	}
	return 0
}

// isHandle reports whether a field is an @mention or a link.
func isHandle(f string) bool {
	return strings.HasPrefix(f, "@") || hasPrefixFold(f, "http://") || hasPrefixFold(f, "https://") || hasPrefixFold(f, "www.")
}
