package sentiment

import (
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestShippedModelOnServiceTest holds the shipped model to the self-made
// customer-service test sentences, which were written apart from the seeds
// and never trained on. The floors are the commercially trained model's
// own figures (en 26/32, ru 49/60, de 53/62 with the sources added for
// issue 21's quality step; the first commercial model had 25, 50 and 54;
// docs/sentiment.md), so a retrain that loses a sentence fails here; the
// research model reached 0.85 in every language.
func TestShippedModelOnServiceTest(t *testing.T) {
	m := shipped(t)
	minAccuracy := map[string]float64{LangEnglish: 0.81, LangRussian: 0.81, LangGerman: 0.85}
	byLang := map[string][]Example{}
	for _, e := range ServiceTest() {
		byLang[e.Lang] = append(byLang[e.Lang], e)
	}
	for _, lang := range []string{LangEnglish, LangRussian, LangGerman} {
		ex := byLang[lang]
		if len(ex) < 30 {
			t.Fatalf("%s: only %d test sentences", lang, len(ex))
		}
		right := 0
		for _, e := range ex {
			if r := m.Score(e.Text); r.Label == e.Label {
				right++
			} else {
				t.Logf("%s miss: %q want %s, got %s (%+.2f)", lang, e.Text, e.Label, r.Label, r.Score)
			}
		}
		if acc := float64(right) / float64(len(ex)); acc < minAccuracy[lang] {
			t.Errorf("%s: %d/%d = %.3f right, want >= %.2f", lang, right, len(ex), acc, minAccuracy[lang])
		}
	}
}

// TestShippedModelRussianComplaints pins the complaints the RuSentiTweet-only
// model got wrong (positive +0.51 and neutral).
func TestShippedModelRussianComplaints(t *testing.T) {
	m := shipped(t)
	for _, text := range []string{
		"Ужасный сервис, верните деньги!",
		"Мой заказ потерялся 😡",
		"Посылка не пришла, поддержка не отвечает",
		"Верните деньги за сломанный чайник",
	} {
		r := m.Score(text)
		if r.Label != inbox.SentimentNegative || r.Lang != LangRussian || r.Score > -0.3 {
			t.Errorf("Score(%q) = %+v, want clearly negative Russian", text, r)
		}
	}
}

// normText reduces a sentence to its lower-cased words, so a test sentence
// that differs from a seed one only in punctuation or emoji counts as a copy.
func normText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func TestServiceTestDisjointFromSeeds(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range ServiceSeed(0) {
		seen[normText(e.Text)] = true
	}
	test := ServiceTest()
	for _, e := range test {
		if seen[normText(e.Text)] {
			t.Errorf("test sentence %q is also a seed example", e.Text)
		}
	}
	// The two complaints that motivated the Russian seed stay out of it too,
	// so TestShippedModelRussianComplaints checks generalisation.
	for _, s := range []string{"Ужасный сервис, верните деньги!", "Мой заказ потерялся 😡"} {
		if seen[normText(s)] {
			t.Errorf("%q is a seed example", s)
		}
	}
	dup := map[string]bool{}
	for _, e := range test {
		if dup[normText(e.Text)] {
			t.Errorf("test sentence %q appears twice", e.Text)
		}
		dup[normText(e.Text)] = true
	}
}

// A test sentence detected as another language would be scored with the
// wrong language's features, and its figure would not measure what it says.
func TestServiceTestLanguages(t *testing.T) {
	for _, e := range ServiceTest() {
		if got := DetectLang(e.Text); got != e.Lang {
			t.Errorf("DetectLang(%q) = %q, labelled %q", e.Text, got, e.Lang)
		}
		if classIndex(e.Label) < 0 {
			t.Errorf("%q: bad label %q", e.Text, e.Label)
		}
	}
}

func TestServiceSeedBalancesClassesPerLanguage(t *testing.T) {
	const w = 2.5
	seed := ServiceSeed(w)
	weight := map[string]*[numClasses]float64{}
	n := map[string]float64{}
	for _, e := range seed {
		if weight[e.Lang] == nil {
			weight[e.Lang] = new([numClasses]float64)
		}
		weight[e.Lang][classIndex(e.Label)] += e.Weight
		n[e.Lang]++
	}
	minSize := map[string]float64{LangRussian: 300, LangGerman: 300, LangEnglish: 100}
	for lang, min := range minSize {
		if n[lang] < min {
			t.Errorf("%s seed has %.0f examples, want >= %.0f", lang, n[lang], min)
		}
		for c, got := range weight[lang] {
			if want := w * n[lang] / numClasses; math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s %s total weight %.3f, want %.3f", lang, classes[c], got, want)
			}
		}
	}
	if len(weight) != len(minSize) {
		t.Errorf("seed languages = %d, want %d", len(weight), len(minSize))
	}
}
