package query

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchWords are the vocabularies the benchmark's posts are made of: the
// words of complaints and chatter in English, Russian and German.
var benchWords = [][]string{
	strings.Fields("the a my flight was delayed again and nobody answers support chat I want refund today " +
		"lost luggage gate crew seat booking app crashed customer service terrible great thanks love hate " +
		"never fly with them waiting hours phone call email reply ticket cancelled airport staff rude"),
	strings.Fields("опять задержка рейса никто не отвечает в чате поддержки хочу вернуть деньги сегодня " +
		"потеряли багаж приложение сломалось персонал грубый спасибо ужасно отлично билет отменили " +
		"жду уже три часа звонок письмо ответ аэропорт самолёт счёт пришёл интернет"),
	strings.Fields("die lieferung hat schon wieder verspätung das ist wirklich ärgerlich bitte um rückmeldung " +
		"flug gestrichen koffer verloren kundendienst antwortet nicht erstattung heute danke super schlecht " +
		"warte seit stunden anruf e-mail ticket flughafen personal unfreundlich"),
}

// benchBrands are the names the topics look for; a post names one now and then.
var benchBrands = []string{"stormair", "skyjet", "aerolux", "nordwing", "bluecrest", "fastfly", "airnova", "jetpoint",
	"cloudair", "airbaltic", "aeroflot", "lufthansa", "easyfly", "sunwing", "polarair", "redtail", "greenjet"}

// benchTopics returns n topic queries of the shapes people write: the brand
// and its misspellings, a phrase, exclusions, a language or source.
func benchTopics(n int) []*Query {
	var qs []*Query
	for i := range n {
		b := benchBrands[i%len(benchBrands)]
		var s string
		switch i % 5 {
		case 0:
			s = fmt.Sprintf(`%s OR "%s airlines" OR %s* -job -hiring`, b, b, b[:4])
		case 1:
			s = fmt.Sprintf(`(%s OR @%s) (delay OR задержка OR Verspätung OR refund)`, b, b)
		case 2:
			s = fmt.Sprintf(`%s lang:ru OR %s lang:de`, b, b)
		case 3:
			s = fmt.Sprintf(`"%s" (luggage OR багаж OR koffer) -source:rss`, b)
		default:
			s = fmt.Sprintf(`%s NOT ("%s careers" OR vacancy)`, b, b)
		}
		q, err := Parse(s)
		if err != nil {
			panic(fmt.Sprintf("Parse(%q): %v", s, err))
		}
		qs = append(qs, q)
	}
	return qs
}

// benchDocs returns n posts of 10 to 40 words; about one in ten holds a word
// never seen before (names, typos, links), so the word cache keeps missing
// as it does on real traffic.
func benchDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(19, 3))
	sources := Sources()
	docs := make([]Doc, n)
	for i := range docs {
		vocab := benchWords[r.IntN(len(benchWords))]
		nw := 10 + r.IntN(31)
		words := make([]string, nw)
		for j := range words {
			switch x := r.IntN(100); {
			case x < 3:
				words[j] = benchBrands[r.IntN(len(benchBrands))]
			case x < 13:
				words[j] = fmt.Sprintf("w%x", r.Uint32())
			default:
				words[j] = vocab[r.IntN(len(vocab))]
			}
		}
		docs[i] = Doc{Text: strings.Join(words, " "), Source: sources[r.IntN(len(sources))]}
		if r.IntN(2) == 0 {
			docs[i].Lang = []string{"en", "ru", "de"}[r.IntN(3)] // half the sources say the language
		}
	}
	return docs
}

// BenchmarkSetMatch is the figure: posts matched against 50 topics,
// each post read once (mentions/s).
func BenchmarkSetMatch(b *testing.B) {
	set := NewSet(benchTopics(50)...)
	docs := benchDocs(20_000)
	var dst []int
	matched := 0
	b.ResetTimer()
	for i := range b.N {
		dst = set.AppendMatches(dst[:0], docs[i%len(docs)])
		matched += len(dst)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mentions/s")
	b.ReportMetric(float64(matched)/float64(b.N), "topics/mention")
}

// BenchmarkQueryMatch50 matches the same posts with 50 separate
// Query.Match calls, for comparison: each call reads the post again.
func BenchmarkQueryMatch50(b *testing.B) {
	qs := benchTopics(50)
	docs := benchDocs(20_000)
	b.ResetTimer()
	for i := range b.N {
		for _, q := range qs {
			q.Match(docs[i%len(docs)])
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mentions/s")
}
