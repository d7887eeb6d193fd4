package query

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// realPosts reads the shared evaluation data next to the repository (the
// airline tweets in English, RuSentiTweet in Russian), or skips tb without
// it. Each file's text column is read; at most n posts from each.
func realPosts(tb testing.TB, n int) []Doc {
	tb.Helper()
	var docs []Doc
	for _, f := range []struct{ path, column string }{
		{"../../../../shared/data/airline_tweets_dev.csv", "text"},
		{"../../../../shared/data/rusentitweet_train.csv", "text"},
	} {
		fh, err := os.Open(f.path)
		if err != nil {
			tb.Skipf("evaluation data %s not found (the repository is expected next to shared/): %v", f.path, err)
		}
		rows, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.path, err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == f.column {
				col = i
			}
		}
		if col < 0 {
			tb.Fatalf("%s has no %s column", f.path, f.column)
		}
		for i, r := range rows[1:] {
			if i >= n {
				break
			}
			docs = append(docs, Doc{Text: r[col], Source: sources[i%len(sources)]})
		}
	}
	return docs
}

// realTopics are 50 topics about the airlines and subjects the data holds.
func realTopics(tb testing.TB) []*Query {
	brands := []string{"united", "usairways", "americanair", "southwestair", "jetblue", "virginamerica", "delta", "аэрофлот", "победа", "s7"}
	shapes := []string{
		`@{b} OR "{b} airlines"`,
		`{b} (delay OR delayed OR cancelled OR задержка OR отменили)`,
		`{b} (bag OR luggage OR багаж) -thanks`,
		`{b} lang:en (refund OR "customer service")`,
		`{b} NOT (love OR great OR спасибо) (hold OR hours OR час*)`,
	}
	var qs []*Query
	for _, b := range brands {
		for _, sh := range shapes {
			s := strings.ReplaceAll(sh, "{b}", b)
			q, err := Parse(s)
			if err != nil {
				tb.Fatalf("Parse(%q): %v", s, err)
			}
			qs = append(qs, q)
		}
	}
	return qs
}

// On real posts a Set answers as each query on its own does, and the topics
// find what they are about.
func TestRealPosts(t *testing.T) {
	docs := realPosts(t, 1000)
	qs := realTopics(t)
	set := NewSet(qs...)
	hits := make([]int, len(qs))
	for _, d := range docs {
		got := map[int]bool{}
		for _, i := range set.Match(d) {
			got[i] = true
			hits[i]++
		}
		for i, q := range qs {
			if got[i] != q.Match(d) {
				t.Fatalf("Set and Query.Match disagree on %q for %q", q.String(), d.Text)
			}
		}
	}
	// The airline data starts with Virgin America's tweets, then United's.
	if hits[0] < 100 {
		t.Errorf("%q matched %d tweets; want at least 100", qs[0].String(), hits[0])
	}
	t.Logf("matches per topic: %v", hits)
}

// BenchmarkSetMatchReal is BenchmarkSetMatch on real tweets in English and
// Russian (mentions/s), when the shared data is there.
func BenchmarkSetMatchReal(b *testing.B) {
	docs := realPosts(b, 1<<30)
	set := NewSet(realTopics(b)...)
	var dst []int
	b.ResetTimer()
	for i := range b.N {
		dst = set.AppendMatches(dst[:0], docs[i%len(docs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mentions/s")
}
