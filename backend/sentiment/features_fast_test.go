package sentiment

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tokenize returns the tokens of text as strings, for tests that look at
// what the tokenizer made of a message.
func tokenize(text string) (toks []refToken, meta []string) {
	var s scratch
	s.tokenize(text)
	for _, t := range s.toks {
		rt := refToken{neg: t.neg, isWord: t.kind == tokWord, isEmoji: t.kind == tokEmoji}
		switch t.kind {
		case tokWord:
			rt.text = string(s.word(t))
		case tokEmoji:
			rt.text = string(s.arena[t.start:t.end])
		default:
			rt.text = marks[t.mark]
		}
		toks = append(toks, rt)
	}
	return toks, append(meta, s.meta...)
}

// fuzzTexts mixes the pieces the tokenizer and language detector treat
// specially (case, links, mentions, elongation, negators, punctuation runs,
// emoji, invalid UTF-8, the two non-ASCII runes that lower-case to ASCII,
// long words, odd white space) into random messages.
func fuzzTexts(n int) []string {
	pieces := []string{
		"HTTP://x.co/A", "https://T.co/x", "WWW.example.com", "wwwx", "Http:/", "@United", "@", "@_a1", "a@b", "@K\u212Aelvin",
		"Sooooo", "GOOOD", "ааааа", "ÄÖÜ", "Straße", "İstanbul", "\u212A", "don't", "isn’t", "NOT", "не", "nicht", "kein",
		"!!!", "?!", "?", "!", "...", ",", ";", ":", "\n", "\t", "\u00a0", "\u0085", "😍", "👍🏽", "❤", "©", "\xff", "\xe2\x82",
		"good", "bad", "hilfe", "спасибо", "Сервис", "the", "der", "el", "que", "123", "'quoted'", "’", "#Tag", "ǅ", "Ⱥ",
		strings.Repeat("x", 70), strings.Repeat("щ", 70), strings.Repeat("ab", 40),
	}
	r := rand.New(rand.NewPCG(21, 32))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for k := r.IntN(12); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
			if r.IntN(3) > 0 {
				b.WriteByte(" .,!\n"[r.IntN(5)])
			}
		}
		out[i] = b.String()
	}
	return out
}

// evaluationTexts are the messages the model is measured on: the seeds and
// customer-service tests always, the held-out tweets when shared/data is
// beside the repository.
func evaluationTexts(t *testing.T) []string {
	var texts []string
	add := func(ex []Example) {
		for _, e := range ex {
			texts = append(texts, e.Text)
		}
	}
	add(ServiceSeed(1))
	add(GermanTest())
	add(RussianTest())
	add(EnglishTest())
	dir := filepath.Join("..", "..", "..", "shared", "data")
	_, errAir := os.Stat(filepath.Join(dir, "airline_tweets_dev.csv"))
	_, errRu := os.Stat(filepath.Join(dir, "rusentitweet_train.csv"))
	if errAir == nil && errRu == nil {
		airTrain, airTest, ruTrain, ruTest := sharedData(t)
		add(airTrain)
		add(airTest)
		add(ruTrain)
		add(ruTest)
	} else {
		t.Log("shared data not found: comparing on the seeds, service tests and generated texts only")
	}
	return append(texts, fuzzTexts(20000)...)
}

// TestFastFeaturesMatchReference proves the allocation-free feature path is
// the one the shipped weights were trained with: same language, same hashed
// features in the same order (the float32 sum depends on it) and the same
// Score, on every evaluation text.
func TestFastFeaturesMatchReference(t *testing.T) {
	m := shipped(t)
	f := m.featurizer()
	var s scratch
	for _, text := range evaluationTexts(t) {
		want, wantLang, wantOK := f.refFeatures(text, nil)
		got, lang, ok := f.extract(&s, text)
		if lang != wantLang || ok != wantOK || !equalIdx(got, want) {
			t.Fatalf("%q: got lang %q ok %v %d features, reference lang %q ok %v %d features",
				text, lang, ok, len(got), wantLang, wantOK, len(want))
		}
		if DetectLang(text) != refDetectLang(text) {
			t.Fatalf("%q: DetectLang %q, reference %q", text, DetectLang(text), refDetectLang(text))
		}
		if got, want := m.Score(text), refScore(m, text); got != want {
			t.Fatalf("%q: Score %+v, reference %+v", text, got, want)
		}
	}
}

// refScore is Score over the reference features.
func refScore(m *Model, text string) Result {
	var buf [512]uint32
	idx, lang, ok := m.featurizer().refFeatures(text, buf[:0])
	if !ok || lang == LangUnknown {
		return Result{Label: classes[1], Lang: lang}
	}
	p := m.probs(idx)
	best := 0
	for c := 1; c < numClasses; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	return Result{Label: classes[best], Score: p[2] - p[0], Confidence: p[best], Lang: lang}
}

func equalIdx(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFuzzTextsCoverInvalidUTF8(t *testing.T) {
	bad := 0
	for _, s := range fuzzTexts(2000) {
		if !utf8.ValidString(s) {
			bad++
		}
	}
	if bad == 0 {
		t.Fatal("no generated text has invalid UTF-8: the comparison would not cover the repair path")
	}
}

// TestScoreAllocatesNothing keeps the scoring path free of per-message
// allocations once the pooled buffers have grown.
func TestScoreAllocatesNothing(t *testing.T) {
	m := shipped(t)
	texts := []string{
		"@united my flight was Cancelled Flightled and nobody at the desk could help, 3 hours on hold!!! http://t.co/x",
		"Спасибо большое, всё пришло вовремя и в отличном состоянии 😍",
		"Die Lieferung ist schon wieder nicht angekommen, ich bin echt enttäuscht",
	}
	for _, s := range texts {
		m.Score(s)
	}
	i := 0
	if n := testing.AllocsPerRun(300, func() { m.Score(texts[i%len(texts)]); i++ }); n > 0.05 {
		t.Errorf("Score allocates %.2f times per message, want 0", n)
	}
}

// TestOnlyTwoRunesLowerToASCII backs hasPrefixFold's argument: ASCII case
// folding of the link prefixes equals strings.ToLower only because no other
// non-ASCII rune lower-cases into ASCII.
func TestOnlyTwoRunesLowerToASCII(t *testing.T) {
	var got []rune
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if lowerRune(r) < utf8.RuneSelf {
			got = append(got, r)
		}
	}
	if len(got) != 2 || got[0] != 0x130 || got[1] != 0x212A {
		t.Fatalf("runes lower-casing to ASCII: %U, want [U+0130 U+212A]", got)
	}
}
