package textsearch

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestStems(t *testing.T) {
	a := NewAnalyzer()
	tests := []struct {
		lang, word string
		want       []string
	}{
		{"", "счет", []string{"rсчет"}},
		{"", "счета", []string{"rсчет"}},
		{"ru", "интернета", []string{"rинтернет"}},
		{"en", "интернет", []string{"rинтернет"}}, // Cyrillic is Russian whatever the message
		{"de", "verspätungen", []string{"dverspat"}},
		{"de", "verspatung", []string{"dverspat"}},
		{"en", "delayed", []string{"edelay"}},
		{"en", "delaying", []string{"edelay"}},
		{"", "refunds", []string{"erefund", "drefund"}}, // unknown language: both stemmers
		{"ru", "iphone", []string{"eiphon", "diphon"}},  // Latin word in a Russian message
		{"", "12345", []string{"w12345"}},
		{"", "日本語", []string{"w日本語"}},
	}
	for _, tt := range tests {
		if got := a.Stems(tt.lang, tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("Stems(%q, %q) = %q; want %q", tt.lang, tt.word, got, tt.want)
		}
	}
}

func TestDocument(t *testing.T) {
	a := NewAnalyzer()
	tests := []struct{ lang, subject, text, want string }{
		// Words that are their own stem (счёт, за, нет) are left out; счета
		// stems to счет, so счет is kept all the same.
		{LangRussian, "Счёт", "Счета за интернет, интернета нет! iPhone", "rсчет rинтернет eiphon diphon"},
		// A Latin word left out (new, order) brings the stemmer token.
		{LangEnglish, "", "New orders, new order", "eorder le"},
		{LangGerman, "", "new orders", "dord ld"},
		{LangUnknown, "", "kinder kind", "dkind lu"},
		{LangRussian, "", "Заказ 12345 new", "lu"},
	}
	for _, tt := range tests {
		if got := a.Document(tt.lang, tt.subject, tt.text); got != tt.want {
			t.Errorf("Document(%q, %q, %q) = %q; want %q", tt.lang, tt.subject, tt.text, got, tt.want)
		}
	}
	if got := a.Document(LangEnglish, "", "🔥 — !!!"); got != "" {
		t.Fatalf("Document of no words = %q", got)
	}
}

func TestDetectLang(t *testing.T) {
	for _, tt := range []struct{ subject, text, want string }{
		{"", "Где мой счёт? Заказал iPhone", LangRussian},
		{"", "Где мой счёт?", LangUnknown}, // no Latin word to decide for
		{"Lieferung", "Die Verspätung ist ärgerlich", LangGerman},
		{"Refund", "Where is my refund?", LangEnglish},
		{"", "🔥🔥", LangUnknown},
	} {
		if got := DetectLang(tt.subject, tt.text); got != tt.want {
			t.Errorf("DetectLang(%q, %q) = %q; want %q", tt.subject, tt.text, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	a := NewAnalyzer()
	type term struct {
		kind  Kind
		words string
	}
	flat := func(ts []Term) []term {
		var out []term
		for _, t := range ts {
			out = append(out, term{t.Kind, strings.Join(t.Words, " ")})
		}
		return out
	}
	tests := []struct {
		in       string
		groups   [][]term
		excluded []term
	}{
		{"", nil, nil},
		{`  " "" * - -- `, nil, nil},
		{"Счёт", [][]term{{{Word, "счет"}}}, nil},
		{`"Счёт за ИНТЕРНЕТ" deliv*`, [][]term{{{Phrase, "счет за интернет"}}, {{Prefix, "deliv"}}}, nil},
		{"refund OR money back", [][]term{{{Word, "refund"}, {Word, "money"}}, {{Word, "back"}}}, nil},
		{"OR refund OR", [][]term{{{Word, "refund"}}}, nil},
		{"refund AND late", [][]term{{{Word, "refund"}}, {{Word, "late"}}}, nil},
		{`say "hi`, [][]term{{{Word, "say"}}, {{Phrase, "hi"}}}, nil},
		{"e-mail", [][]term{{{Phrase, "e mail"}}}, nil},
		{"NOT refund", [][]term{{{Word, "not"}}, {{Word, "refund"}}}, nil},
		{"NEAR( col:x", [][]term{{{Word, "near"}}, {{Phrase, "col x"}}}, nil},
		{`refund -paypal -"gift card" -OR`, [][]term{{{Word, "refund"}}}, []term{{Word, "paypal"}, {Phrase, "gift card"}, {Word, "or"}}},
		{"a - b", [][]term{{{Word, "a"}}, {{Word, "b"}}}, nil},
		{"🔥🔥 late \x00", [][]term{{{Word, "late"}}}, nil},
	}
	for _, tt := range tests {
		q := a.Parse(tt.in)
		var groups [][]term
		for _, g := range q.Groups {
			groups = append(groups, flat(g))
		}
		if !slices.EqualFunc(groups, tt.groups, func(x, y []term) bool { return slices.Equal(x, y) }) ||
			!slices.Equal(flat(q.Excluded), tt.excluded) {
			t.Errorf("Parse(%q) = %v / %v; want %v / %v", tt.in, groups, flat(q.Excluded), tt.groups, tt.excluded)
		}
	}
	if q := a.Parse(strings.Repeat("a ", 100)); len(q.Groups) != MaxTerms {
		t.Errorf("%d terms kept; want %d", len(q.Groups), MaxTerms)
	}
	if q := a.Parse("refunds"); !slices.Equal(q.Groups[0][0].Stems, []string{"erefund", "drefund"}) {
		t.Errorf("query word stems %q; want both stemmers", q.Groups[0][0].Stems)
	}
}

func TestSnippet(t *testing.T) {
	a := NewAnalyzer()
	marks := Marks{Start: "[", End: "]", Ellipsis: "…"}
	tests := []struct {
		query, lang, text string
		max               int
		want              string
		n                 int
	}{
		{"интернет", LangRussian, "Нет интернета, счёт пришёл", 24, "Нет [интернета], счёт пришёл", 1},
		{"счет", LangRussian, "Нет интернета, счёт пришёл", 24, "Нет интернета, [счёт] пришёл", 1},
		{`"flight delayed"`, LangEnglish, "Our flight delayed, flight was late", 24, "Our [flight delayed], flight was late", 2},
		{"arger*", LangGerman, "Das ist ärgerlich", 24, "Das ist [ärgerlich]", 1},
		{"late", LangEnglish, "one two three four five six late seven eight nine", 3, "…six [late] seven…", 1},
		{"refund", LangEnglish, "one two three four", 2, "one two…", 0},
		{"x", LangEnglish, "🔥", 24, "🔥", 0},
	}
	for _, tt := range tests {
		got, n := a.Snippet(a.Parse(tt.query), tt.lang, tt.text, tt.max, marks)
		if got != tt.want || n != tt.n {
			t.Errorf("Snippet(%q, %q) = %q, %d; want %q, %d", tt.query, tt.text, got, n, tt.want, tt.n)
		}
	}
}

// IsWordRune's ASCII shortcut answers as the Unicode tables do.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r <= unicode.MaxASCII; r++ {
		want := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r)
		if got := IsWordRune(r); got != want {
			t.Errorf("IsWordRune(%q) = %v; want %v", r, got, want)
		}
	}
}
