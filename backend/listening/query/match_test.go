package query

import (
	"sync"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		q    string
		doc  Doc
		want bool
	}{
		// English: stems, case, implicit AND, OR, NOT.
		{"en plural", "delays", Doc{Text: "Another delay at the gate, thanks Stormair"}, true},
		{"en stem", "delayed", Doc{Text: "we were delaying for hours"}, true},
		{"en no word", "delays", Doc{Text: "we were late"}, false},
		{"en and", "stormair delay", Doc{Text: "Stormair: a two hour delay"}, true},
		{"en and missing", "stormair delay", Doc{Text: "a two hour delay"}, false},
		{"en or", "refund OR delay", Doc{Text: "where is my refund"}, true},
		{"en not", "stormair -job", Doc{Text: "Stormair has a job for you"}, false},
		{"en not absent", "stormair -job", Doc{Text: "Stormair lost my bag"}, true},
		{"en precedence", "a b OR c", Doc{Text: "c"}, true},
		{"en precedence and", "a b OR c", Doc{Text: "a"}, false},
		{"en parens", "a (b OR c)", Doc{Text: "a c"}, true},
		{"en parens missing", "a (b OR c)", Doc{Text: "c"}, false},
		{"title counts", "stormair delay", Doc{Title: "Stormair", Text: "delay again"}, true},
		// Phrases: words in a row, as written.
		{"phrase", `"lost luggage"`, Doc{Text: "They LOST my luggage? no: Lost, luggage!"}, true},
		{"phrase apart", `"lost luggage"`, Doc{Text: "lost my luggage"}, false},
		{"phrase not stemmed", `"lost luggages"`, Doc{Text: "lost luggage"}, false},
		{"phrase across title", `"stormair delay"`, Doc{Title: "Stormair", Text: "delay"}, false},
		{"split word", "stormair.com", Doc{Text: "see stormair com for more"}, true},
		{"split word apart", "stormair.com", Doc{Text: "stormair has a com"}, false},
		{"handle", "@stormair", Doc{Text: "#Stormair again"}, true},
		{"prefix", "deliv*", Doc{Text: "Delivery was late"}, true},
		{"prefix no", "deliv*", Doc{Text: "undelivered"}, false},
		// Russian: stems and ё.
		{"ru case", "задержка", Doc{Text: "Опять Задержки рейса"}, true},
		{"ru yo", "ещё", Doc{Text: "еще одна жалоба"}, true},
		{"ru yo phrase", `"счёт пришёл"`, Doc{Text: "СЧЕТ ПРИШЕЛ вчера"}, true},
		{"ru no", "задержка", Doc{Text: "рейс вовремя"}, false},
		// German: stems, umlauts written out or dropped.
		{"de umlaut", "Verspätung", Doc{Text: "Wieder eine Verspaetung, danke", Lang: "de"}, true},
		{"de no umlaut", "Verspätung", Doc{Text: "Wieder Verspatungen heute", Lang: "de"}, true},
		{"de written out query", "verspaetung", Doc{Text: "Schon wieder Verspätungen bei Stormair und der Zug ist weg"}, true},
		{"de sz", "Straße", Doc{Text: "die strasse ist gesperrt", Lang: "de"}, true},
		{"de phrase", `"Flug verspätet"`, Doc{Text: "Mein Flug verspaetet sich", Lang: "de"}, true},
		// Fields.
		{"lang given", "stormair lang:de", Doc{Text: "Stormair", Lang: "de-AT"}, true},
		{"lang other", "stormair lang:de", Doc{Text: "Stormair", Lang: "en"}, false},
		{"lang detected ru", "stormair lang:ru", Doc{Text: "Stormair опять потерял багаж"}, true},
		{"lang detected en", "stormair lang:en", Doc{Text: "Stormair lost my bag again, this is the worst"}, true},
		{"source", "stormair source:reddit", Doc{Text: "Stormair", Source: "reddit"}, true},
		{"source other", "stormair source:reddit", Doc{Text: "Stormair", Source: "vk"}, false},
		{"not source", "stormair -source:reddit", Doc{Text: "Stormair", Source: "vk"}, true},
		{"source alias", "stormair source:hackernews", Doc{Text: "Stormair", Source: "hn"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.q)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if got := q.Match(tt.doc); got != tt.want {
				t.Errorf("Parse(%q).Match(%+v) = %v; want %v", tt.q, tt.doc, got, tt.want)
			}
		})
	}
}

// A Set must answer as each query on its own does, post after post (its
// per-post state is reused).
func TestSetAgreesWithMatch(t *testing.T) {
	qs := []string{"delays", `"lost luggage"`, "задержка OR Verspätung", "deliv* -job", "stormair lang:ru", "x source:vk"}
	docs := []Doc{
		{Text: "Another delay"}, {Text: "lost luggage again"}, {Text: "Задержки рейса"},
		{Text: "Verspaetung", Lang: "de"}, {Text: "delivery job"}, {Text: "delivery"},
		{Text: "Stormair опять"}, {Text: "x", Source: "vk"}, {Text: "luggage lost"},
	}
	var parsed []*Query
	for _, s := range qs {
		q, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		parsed = append(parsed, q)
	}
	set := NewSet(parsed...)
	for round := 0; round < 2; round++ {
		for _, d := range docs {
			got := map[int]bool{}
			for _, i := range set.Match(d) {
				got[i] = true
			}
			for i, q := range parsed {
				if got[i] != q.Match(d) {
					t.Errorf("Set.Match(%+v) has %q: %v; Query.Match says %v", d, qs[i], got[i], q.Match(d))
				}
			}
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	q, err := Parse("delay OR задержка")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if !q.Match(Doc{Text: "задержки"}) || q.Match(Doc{Text: "on time"}) {
					t.Error("concurrent Match gave a wrong answer")
					return
				}
			}
		}()
	}
	wg.Wait()
}
