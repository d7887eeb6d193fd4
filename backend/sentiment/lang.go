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
func DetectLang(text string) string {
	var latin, cyr, other int
	text = stripHandles(text)
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

// stripHandles drops @mentions and links, whose Latin letters say nothing
// about the language of a Russian or German message.
func stripHandles(text string) string {
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
