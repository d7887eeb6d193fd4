package drafts

import (
	"strings"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Languages the drafter writes in.
const (
	LangEN = "en"
	LangRU = "ru"
	LangDE = "de"
)

// SupportedLang reports whether lang is one Stormdesk drafts in.
func SupportedLang(lang string) bool { return lang == LangEN || lang == LangRU || lang == LangDE }

// Stopwords are frequent and short, so even a one-line comment usually
// contains one; words shared by EN and DE ("in", "was") are left out.
var (
	enWords = wordSet("the and is are was not you your my me we our this that it to of with for have has please thanks thank why what when where can can't don't didn't still order been will would hello hi")
	deWords = wordSet("und der die das ist sind nicht ich mich mir mein meine meiner sie ihr ihre wir unser ein eine einen mit für auf zu den dem des bitte danke warum wann wo noch schon bestellung kann keine kein hallo guten seit immer")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLanguage guesses whether text is English, Russian or German and
// returns "" when there is no usable signal (emoji, numbers, a link). It is a
// heuristic: Cyrillic letters mean Russian; among Latin texts, umlauts/ß and
// German stopwords are weighed against English stopwords.
func DetectLanguage(text string) string {
	var cyr, lat, umlaut int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
			switch unicode.ToLower(r) {
			case 'ä', 'ö', 'ü', 'ß':
				umlaut++
			}
		}
	}
	if cyr == 0 && lat == 0 {
		return ""
	}
	if cyr >= lat {
		return LangRU
	}
	var en, de int
	for _, w := range words(text) {
		if enWords[w] {
			en++
		}
		if deWords[w] {
			de++
		}
	}
	de += umlaut
	switch {
	case de > en:
		return LangDE
	case en > de:
		return LangEN
	case en == 0 && de == 0 && lat < 3:
		return ""
	default:
		// Latin text with no stopword either way: English is the likeliest
		// for short product names and "ok"-style messages.
		return LangEN
	}
}

// ThreadLanguage picks the language to answer a thread in: the language of
// the newest inbound message that has one, so a customer who switches
// language mid-thread is answered in the language they use now. fallback is
// returned when no inbound message gives a signal.
func ThreadLanguage(thread []inbox.Message, fallback string) string {
	for i := len(thread) - 1; i >= 0; i-- {
		m := thread[i]
		if m.Direction != inbox.DirectionIn {
			continue
		}
		if l := DetectLanguage(m.Subject + " " + m.Text); l != "" {
			return l
		}
	}
	return fallback
}

// words splits text into lower-case letter/digit runs (apostrophes kept).
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}
