package listening

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a/b/", "example.com/a/b"},
		{"http://example.com/a/b", "example.com/a/b"},
		{"https://example.com:443/a/b#comments", "example.com/a/b"},
		{"https://example.com:8443/a", "example.com:8443/a"},
		{"https://example.com/a?utm_source=x&b=2&UTM_Medium=y&a=1&fbclid=z", "example.com/a?a=1&b=2"},
		{"https://example.com/", "example.com"},
		{"https://example.com/Path", "example.com/Path"}, // paths are case-sensitive
		{" https://example.com/a ", "example.com/a"},
		{"", ""},
		{"example.com/a", ""}, // not an absolute link
		{"mailto:a@example.com", ""},
		{"ftp://example.com/a", ""},
		{"https://example.com/%7Ea", "example.com/%7Ea"},
	}
	for _, tt := range tests {
		if got := NormalizeURL(tt.in); got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if DedupeKey(Mention{URL: "https://www.reddit.com/r/x/comments/1/t/?utm_source=share"}) !=
		DedupeKey(Mention{URL: "http://reddit.com/r/x/comments/1/t"}) {
		t.Error("one Reddit thread shared with tracking gave two keys")
	}
}

const post = "Stormair cancelled our flight to Berlin three hours before boarding and the support chat just keeps us waiting"

func TestNearDuplicate(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same", post, post, true},
		{"case, link and handle", post + " https://t.co/x1", "@stormair " + strings.ToUpper(post) + " https://bsky.app/y", true},
		{"one word changed", post, strings.Replace(post, "three", "two", 1), true},
		{"cut short", post + " for the fourth time this month and nobody will refund the tickets we paid for", post + "…", true},
		{"ё", "Сторм Эйр опять задержал рейс на три часа, и никто ничего не объясняет пассажирам", "Сторм Эйр опять задержал рейс на три часа, и никто ничего не объясняет пассажирам, ещё", true},
		{"umlauts", "Stormair hat unseren Flug nach Berlin gestrichen und die Hotline ist nicht erreichbar, schöne Grüße", "Stormair hat unseren Flug nach Berlin gestrichen und die Hotline ist nicht erreichbar, schone Gruße", true},
		{"other words, same topic", post, "Support chat of Stormair keeps everyone waiting for hours after they cancelled my Berlin flight", false},
		{"short and identical", "Stormair is down again", "Stormair is down again", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		if got := NearDuplicate(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: NearDuplicate = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestIndex(t *testing.T) {
	x := NewIndex[int64](100)
	x.Add(1, Mention{Source: SourceMastodon, URL: "https://mastodon.example/@ann/1", Text: post})
	x.Add(2, Mention{Source: SourceRSS, URL: "https://news.example/stormair-strike?utm_source=rss", Title: "Stormair strike",
		Text: "Pilots of Stormair walk out on Friday, the union says, after talks about pay broke down on Wednesday night"})
	x.Add(3, Mention{Source: SourceReddit, URL: "https://reddit.com/r/flights/1", Text: "Stormair is down again"})

	tests := []struct {
		name string
		m    Mention
		id   int64
		ok   bool
	}{
		{"cross-post, other source", Mention{Source: SourceBluesky, URL: "https://bsky.app/profile/ann/post/9", Text: post + " 😡"}, 1, true},
		{"same text, same source", Mention{Source: SourceMastodon, URL: "https://mastodon.example/@bob/7", Text: post}, 0, false},
		{"same link, other source", Mention{Source: SourceHN, URL: "http://www.news.example/stormair-strike/", Text: "Stormair pilots strike"}, 2, true},
		{"same link, same source", Mention{Source: SourceReddit, URL: "https://www.reddit.com/r/flights/1/", Text: "edited"}, 3, true},
		{"short text, other source", Mention{Source: SourceVK, Text: "Stormair is down again"}, 0, false},
		{"new", Mention{Source: SourceVK, Text: "Stormair opened a new route to Lisbon with three flights a week from Berlin in May"}, 0, false},
	}
	for _, tt := range tests {
		id, ok := x.Find(tt.m)
		if ok != tt.ok || id != tt.id {
			t.Errorf("%s: Find = %d, %v; want %d, %v", tt.name, id, ok, tt.id, tt.ok)
		}
	}
}

// The most similar mention wins when two from other sources are close.
func TestIndexBest(t *testing.T) {
	x := NewIndex[string](10)
	long := post + " for the fourth time this month"
	x.Add("far", Mention{Source: SourceReddit, Text: strings.Replace(strings.Replace(post, "three", "two", 1), "Berlin", "Paris", 1)})
	x.Add("near", Mention{Source: SourceMastodon, Text: long})
	if id, ok := x.Find(Mention{Source: SourceBluesky, Text: long}); !ok || id != "near" {
		t.Fatalf("Find = %q, %v; want near", id, ok)
	}
}

// A full index forgets its oldest mention, link and text alike.
func TestIndexForgets(t *testing.T) {
	x := NewIndex[int](3)
	for i := range 5 {
		x.Add(i, Mention{Source: SourceRSS, URL: fmt.Sprintf("https://blog.example/%d", i), Text: fmt.Sprintf("%s, post number %d of the series", post, i)})
	}
	if x.Len() != 3 {
		t.Fatalf("Len = %d; want 3", x.Len())
	}
	for i := range 5 {
		_, byLink := x.Find(Mention{Source: SourceHN, URL: fmt.Sprintf("https://blog.example/%d", i)})
		if byLink != (i >= 2) {
			t.Errorf("link of mention %d found: %v; want %v", i, byLink, i >= 2)
		}
	}
	if id, ok := x.Find(Mention{Source: SourceHN, Text: post + ", post number 4 of the series"}); !ok || id < 2 {
		t.Errorf("text Find = %d, %v; want a remembered mention", id, ok)
	}
	// Bands of forgotten mentions are gone too: only 3 mentions' worth remain.
	n := 0
	for _, l := range x.buckets {
		n += len(l)
	}
	if n != 3*bands {
		t.Errorf("buckets hold %d entries; want %d", n, 3*bands)
	}
}

// Index.Find finds (nearly) every duplicate a comparison of each new mention
// with every remembered one finds: the MinHash bands lose few candidates.
func TestIndexRecall(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 19))
	vocab := strings.Fields("flight delay refund bag lost gate crew seat app crashed support chat hours waiting " +
		"ticket cancelled airport staff rude booking email phone reply again today never service terrible berlin " +
		"paris lisbon morning evening night pilots strike union pay talks weather storm snow")
	sources := []string{SourceMastodon, SourceBluesky, SourceReddit, SourceHN, SourceVK, SourceRSS}
	var bases []string
	for range 400 {
		n := 10 + r.IntN(25)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		bases = append(bases, strings.Join(ws, " "))
	}
	x := NewIndex[int](1000)
	seed := maphash.MakeSeed()
	type seen struct {
		source string
		pairs  []uint64
	}
	var remembered []seen
	want, found := 0, 0
	for i := range 1000 {
		text := bases[r.IntN(len(bases))]
		ws := strings.Fields(text)
		switch r.IntN(3) {
		case 0: // one word changed
			ws[r.IntN(len(ws))] = vocab[r.IntN(len(vocab))]
		case 1: // cut short
			ws = ws[:len(ws)*4/5]
		}
		m := Mention{Source: sources[r.IntN(len(sources))], Text: strings.Join(ws, " ")}
		ps := pairs(seed, m.Text)
		dup := false
		for _, o := range remembered {
			if o.source != m.Source && similar(o.pairs, ps) {
				dup = true
				break
			}
		}
		_, ok := x.Find(m)
		if ok && !dup {
			t.Fatalf("mention %d: Find reports a duplicate no comparison finds", i)
		}
		if dup {
			want++
			if ok {
				found++
			}
		}
		x.Add(i, m)
		remembered = append(remembered, seen{m.Source, ps})
	}
	if want < 300 {
		t.Fatalf("only %d duplicates in the corpus; the test needs more", want)
	}
	if float64(found) < 0.97*float64(want) {
		t.Errorf("Find found %d of %d duplicates", found, want)
	}
	t.Logf("Find found %d of %d duplicates", found, want)
}

// BenchmarkIndex is the cost dedupe adds to storing a mention: Find, then
// Add, with a full index of 50,000 recent mentions.
func BenchmarkIndex(b *testing.B) {
	// Words drawn from a Zipf law over 5,000 words, as natural language's
	// are: common pairs ("of the") are shared by many unrelated posts.
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 1, 4999)
	texts := make([]string, 10_000)
	for i := range texts {
		ws := make([]string, 12+r.IntN(30))
		for j := range ws {
			ws[j] = fmt.Sprintf("w%d", zipf.Uint64())
		}
		texts[i] = strings.Join(ws, " ")
	}
	sources := []string{SourceMastodon, SourceBluesky, SourceReddit}
	x := NewIndex[int](50_000)
	b.ResetTimer()
	for i := range b.N {
		m := Mention{Source: sources[i%len(sources)], URL: fmt.Sprintf("https://example.com/%d", i), Text: texts[i%len(texts)]}
		if _, ok := x.Find(m); !ok {
			x.Add(i, m)
		}
	}
}

// FuzzDedupe: nothing panics, NearDuplicate is symmetric, and a mention
// found again from another source, or at the same link, is always found.
func FuzzDedupe(f *testing.F) {
	f.Add(post, "https://www.example.com/a/?utm_source=x", "Stormair is down")
	f.Add("Задержка рейса опять, третий раз за неделю, никто не отвечает", "http://[::1]:80/x#y", "")
	f.Add("", "::", "\xff")
	f.Fuzz(func(t *testing.T, text, link, other string) {
		if NearDuplicate(text, other) != NearDuplicate(other, text) {
			t.Fatalf("NearDuplicate(%q, %q) is not symmetric", text, other)
		}
		x := NewIndex[int](4)
		x.Add(1, Mention{Source: SourceMastodon, URL: link, Text: text})
		x.Add(2, Mention{Source: SourceReddit, Text: other})
		id, ok := x.Find(Mention{Source: SourceBluesky, Text: text})
		long := len(pairs(x.seed, text)) >= MinNearPairs
		if long && !ok {
			t.Fatalf("the same text from another source was not found: %q", text)
		}
		if ok && id == 1 && !long {
			t.Fatalf("a short text %q was taken for a duplicate", text)
		}
		if DedupeKey(Mention{URL: link}) != "" {
			if id, ok := x.Find(Mention{Source: SourceRSS, URL: link}); !ok || id != 1 {
				t.Fatalf("the same link %q was not found: %d, %v", link, id, ok)
			}
		}
	})
}
