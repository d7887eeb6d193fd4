package query

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/codelist"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		q        string
		code     string
		pos, end int
		param    string
	}{
		{"", CodeEmptyQuery, 0, 0, ""},
		{"   ", CodeEmptyQuery, 0, 3, ""},
		{"!!! —", CodeEmptyQuery, 0, 5, ""},
		{"(delay", CodeUnbalancedParen, 0, 1, ""},
		{"delay)", CodeUnbalancedParen, 5, 6, ""},
		{"(a OR (b c)", CodeUnbalancedParen, 0, 1, ""},
		{"a ()", CodeEmptyGroup, 2, 4, ""},
		{`a "late flight`, CodeUnclosedQuote, 2, 14, ""},
		{"delay OR", CodeDanglingOperator, 6, 8, "OR"},
		{"OR delay", CodeDanglingOperator, 0, 2, "OR"},
		{"a AND", CodeDanglingOperator, 2, 5, "AND"},
		{"a OR AND b", CodeDanglingOperator, 2, 4, "OR"},
		{"(a OR) b", CodeDanglingOperator, 3, 5, "OR"},
		{"a NOT", CodeDanglingOperator, 2, 5, "NOT"},
		{"задержка lng:ru", CodeUnknownField, 9, 12, "lng"},
		{"a -lng:ru", CodeUnknownField, 3, 6, "lng"},
		{"a lang:xx", CodeUnknownLang, 7, 9, "xx"},
		{"a lang:russian", CodeUnknownLang, 7, 14, "russian"},
		{"a lang:", CodeMissingValue, 2, 7, "lang"},
		{"a source:twitter", CodeUnknownSource, 9, 16, "twitter"},
		{"a source:", CodeMissingValue, 2, 9, "source"},
		{"-job", CodeOnlyNegative, 0, 4, ""},
		{"NOT job", CodeOnlyNegative, 0, 7, ""},
		{"lang:ru", CodeOnlyNegative, 0, 7, ""},
		{"lang:ru -job", CodeOnlyNegative, 0, 12, ""},
		{"delay OR -job", CodeOnlyNegative, 9, 13, ""},
		{"delay OR (lang:de -job)", CodeOnlyNegative, 9, 23, ""},
		{"-(a OR b)", CodeOnlyNegative, 0, 9, ""},
		{"NOT (a AND -b)", CodeOnlyNegative, 0, 14, ""},
		{"x OR NOT (NOT a AND lang:ru)", CodeOnlyNegative, 5, 28, ""},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, %v; want error %s", tt.q, q, err, tt.code)
			continue
		}
		if e.Code != tt.code || e.Pos != tt.pos || e.End != tt.end || e.Param != tt.param {
			t.Errorf("Parse(%q) error = %+v; want {%s %d %d %q}", tt.q, *e, tt.code, tt.pos, tt.end, tt.param)
		}
	}
}

func TestParseTooLong(t *testing.T) {
	long := make([]rune, MaxLen+1)
	for i := range long {
		long[i] = 'я'
	}
	_, err := Parse(string(long))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeTooLong {
		t.Fatalf("Parse of %d characters: %v; want %s", len(long), err, CodeTooLong)
	}
	if _, err := Parse(string(long[:MaxLen])); err != nil {
		t.Fatalf("Parse of %d characters: %v", MaxLen, err)
	}
}

func TestString(t *testing.T) {
	tests := []struct{ q, want string }{
		{"a b OR c", "a b OR c"},
		{"a AND (b OR c)", "a (b OR c)"},
		{"(a b) OR c", "a b OR c"},
		{"a NOT b", "a -b"},
		{"a NOT -b", "a NOT -b"},
		{"a --b", "a b"},
		{"a --AND", "a and"},
		{"a -(b OR c)", "a -(b OR c)"},
		{`Stormdesk "storm  desk" e-mail deliv* LANG:RU source:HackerNews`, `Stormdesk "storm  desk" "e-mail" deliv* lang:ru source:hn`},
		{"#stormdesk", "#stormdesk"},
		{"a ((b OR c) d)", "a ((b OR c) d)"},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q; want %q", tt.q, got, tt.want)
		}
	}
}

func TestTermsLangsSources(t *testing.T) {
	tests := []struct {
		q                     string
		terms, langs, sources []string
	}{
		{`Stormdesk OR "Storm Desk" -job -"we are hiring"`, []string{"Stormdesk", "Storm Desk"}, nil, nil},
		{"#stormdesk stormdesk.com deliv* NOT (NOT delay)", []string{"stormdesk", "stormdesk com", "deliv", "delay"}, nil, nil},
		{"stormdesk (lang:ru OR lang:de)", []string{"stormdesk"}, []string{"de", "ru"}, nil},
		{"stormdesk lang:ru OR delay", []string{"stormdesk", "delay"}, nil, nil},
		{"stormdesk (lang:ru OR lang:de) lang:de source:reddit", []string{"stormdesk"}, []string{"de"}, []string{"reddit"}},
		{"stormdesk -source:reddit", []string{"stormdesk"}, nil, nil},
		{"(a source:vk) OR (b source:rss)", []string{"a", "b"}, nil, []string{"rss", "vk"}},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		if got := q.Terms(); !slices.Equal(got, tt.terms) {
			t.Errorf("Parse(%q).Terms() = %q; want %q", tt.q, got, tt.terms)
		}
		if got := q.Langs(); !slices.Equal(got, tt.langs) {
			t.Errorf("Parse(%q).Langs() = %q; want %q", tt.q, got, tt.langs)
		}
		if got := q.Sources(); !slices.Equal(got, tt.sources) {
			t.Errorf("Parse(%q).Sources() = %q; want %q", tt.q, got, tt.sources)
		}
	}
}

// The app words each code from its dictionaries (listening.query.<code>); the
// frontend's translation test reads listeningQueryCodes.json, and this keeps
// that list equal to Codes. STORMDESK_UPDATE_QUERY_CODES=1 rewrites it.
func TestCodesJSONIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "..", "frontend", "src", "lib", "listeningQueryCodes.json")
	codelist.Check(t, path, Codes(), "STORMDESK_UPDATE_QUERY_CODES", "add the texts to i18n.listeningQuery.ts")
}

// The examples docs/listening.md and the package comment show are accepted.
func TestDocExamples(t *testing.T) {
	for _, s := range []string{
		`stormair OR "storm air" OR @stormair -job -"we are hiring"`,
		`(stormair OR штормэйр) (delay OR задержка OR Verspätung) (lang:ru OR lang:de)`,
		`stormair source:reddit NOT (careers OR vacancy)`,
		`stormdesk OR "storm desk" -job lang:en`,
		`(delay OR задержка OR Verspätung) AND source:reddit`,
		`stormdesk NOT (careers OR vacancy)`,
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

// Double negation looks for its terms: these are accepted.
func TestDoubleNegation(t *testing.T) {
	for _, s := range []string{"NOT -a", "NOT (NOT a)", "-(-a OR -b)", "NOT (NOT a OR b)", "x OR NOT (NOT a OR lang:ru)"} {
		q, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
			continue
		}
		if len(q.Terms()) == 0 {
			t.Errorf("Parse(%q).Terms() is empty", s)
		}
	}
}
