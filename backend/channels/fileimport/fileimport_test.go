package fileimport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// collect runs a reader and gathers the rows it emits.
func collect(t *testing.T, read func(emit func(Row) error) (Report, error)) ([]Row, Report) {
	t.Helper()
	var rows []Row
	rep, err := read(func(r Row) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if rep.Accepted != len(rows) {
		t.Errorf("Report.Accepted = %d, emitted %d rows", rep.Accepted, len(rows))
	}
	if rep.Rows != rep.Accepted+rep.Rejected {
		t.Errorf("Report.Rows = %d, want Accepted %d + Rejected %d", rep.Rows, rep.Accepted, rep.Rejected)
	}
	if len(rep.Errors) != min(rep.Rejected, MaxReportedErrors) || len(rep.Warnings) != min(rep.Warned, MaxReportedErrors) {
		t.Errorf("Report lists %d errors and %d warnings for %d rejected and %d warned",
			len(rep.Errors), len(rep.Warnings), rep.Rejected, rep.Warned)
	}
	return rows, rep
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadCSVBasic(t *testing.T) {
	m := Mapping{
		ID: "id", Text: "body", Time: "created", TimeZone: time.FixedZone("CET", 3600),
		Account: "brand", DefaultAccount: "acme-default",
		Author: "handle", AuthorName: "name", Reach: "followers", Thread: "thread", Subject: "subject",
		Sentiment: "label", Kind: "kind", Direction: "direction", Tags: "tags",
	}
	f := openFixture(t, "basic.csv")
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadCSV(context.Background(), f, m, emit)
	})
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	author := func(h, n string, reach int64) inbox.Author {
		return inbox.Author{Channel: inbox.ChannelImport, ExternalID: h, Handle: h, DisplayName: n, Reach: reach}
	}
	want := []Row{
		{Line: 2, EndLine: 2, Account: "Acme", Item: inbox.Item{
			ExternalID: "m1", ThreadKey: "m1", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: author("@alice", "Alice A", 1200), Text: "Charged twice for March",
			SentAt: utc("2024-03-01T08:00:00Z"), Sentiment: inbox.SentimentNegative, SentimentScore: -1,
			Tags: []string{"billing", "refund"}}},
		{Line: 3, EndLine: 4, Account: "Acme", Item: inbox.Item{
			ExternalID: "m2", ThreadKey: "m2", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: author("@bob", "Bob", 12500), Text: "Line one\nline \"two\" of the reply",
			SentAt: utc("2024-03-02T08:05:00Z"), Sentiment: inbox.SentimentPositive, SentimentScore: 1,
			Tags: []string{"praise"}}},
		{Line: 5, EndLine: 8, Account: "Acme", Item: inbox.Item{
			ExternalID: "m2b", ThreadKey: "m2b", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: author("@bob", "Bob", 0), Subject: "Multi\nline subject", Text: "three\nphysical\nlines",
			SentAt: utc("2024-03-02T08:10:00Z"), Sentiment: inbox.SentimentNeutral}},
		{Line: 9, EndLine: 9, Account: "acme-default", Item: inbox.Item{
			ExternalID: "m3", ThreadKey: "m3", Kind: inbox.KindDM, Direction: inbox.DirectionOut,
			Author: author("unknown", "", 0), Text: "answered by the brand",
			SentAt: utc("2024-03-01T11:30:00Z"), Sentiment: inbox.SentimentUnknown}},
		{Line: 11, EndLine: 11, Account: "Beta", Item: inbox.Item{
			ExternalID: "m4", ThreadKey: "t-1", Kind: inbox.KindMail, Direction: inbox.DirectionIn,
			Author: author("@carol", "Carol C", 0), Subject: "Re: Bill", Text: "Mail body",
			SentAt: utc("2024-03-01T10:46:40Z"), Sentiment: inbox.SentimentPositive, SentimentScore: 1}},
		{Line: 12, EndLine: 12, Account: "Beta", Item: inbox.Item{
			ExternalID: "m5", ThreadKey: "m5", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: author("@dave", "", 0), Text: "spaces around the id",
			SentAt: utc("2024-03-03T08:00:00Z"), Sentiment: inbox.SentimentNegative, SentimentScore: -1,
			Tags: []string{"delay", "refund"}}},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i := range want {
		if !reflect.DeepEqual(rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, rows[i], want[i])
		}
	}
}

func TestReadCSVBrokenRows(t *testing.T) {
	m := Mapping{ID: "id", Text: "body", Time: "created", Account: "brand"}
	imported := utc("2026-01-02T03:04:05Z")
	f := openFixture(t, "broken.csv")
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadCSV(context.Background(), f, m, emit, WithImportTime(imported))
	})
	type good struct {
		line, end   int
		id, account string
		text        string
		flags       []string
	}
	wantRows := []good{
		{2, 3, "ok1", "Acme", "first line\nsecond line", nil},
		{7, 7, "badtime", "Acme", "text", []string{inbox.FlagSuspiciousDate}},
		{8, 8, "utf", "Acme", "caf\uFFFD au lait \uFFFD\uFFFD!", []string{inbox.FlagInvalidUTF8}},
		{12, 12, "ok2", "Acme", "still reading after errors", nil},
		{14, 14, "ok3", "\u00dfAcme\uFFFD", "quoted, with comma", []string{inbox.FlagInvalidUTF8}},
		// The open quote on line 15 no longer swallows the row after it.
		{16, 16, "ghost", "Acme", "swallowed by the open quote", nil},
	}
	if len(rows) != len(wantRows) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(wantRows), rows)
	}
	for i, w := range wantRows {
		r := rows[i]
		if r.Line != w.line || r.EndLine != w.end || r.Item.ExternalID != w.id || r.Account != w.account || r.Item.Text != w.text {
			t.Errorf("row %d = lines %d-%d id %q account %q text %q, want %+v", i, r.Line, r.EndLine, r.Item.ExternalID, r.Account, r.Item.Text, w)
		}
		if !reflect.DeepEqual(r.Item.Flags, w.flags) {
			t.Errorf("row %d (%s) flags = %v, want %v", i, w.id, r.Item.Flags, w.flags)
		}
	}
	if bt := rows[1].Item; !bt.SentAt.IsZero() || !bt.ReceivedAt.Equal(imported) {
		t.Errorf("row with a bad time: SentAt %v ReceivedAt %v, want zero and the import time", bt.SentAt, bt.ReceivedAt)
	}
	wantErrs := []struct {
		line, end int
		reason    string
	}{
		{4, 4, "wrong number of fields: got 3, want 4"},
		{5, 5, `bare "`},
		{6, 6, `empty id in column "id"`},
		{9, 9, `invalid UTF-8 in id column "id"`},
		{10, 11, "closes on line 11 and text follows the quote"},
		{13, 13, "wrong number of fields: got 6, want 4"},
		{15, 15, "unterminated quote"},
	}
	if len(rep.Errors) != len(wantErrs) {
		t.Fatalf("got %d errors, want %d: %+v", len(rep.Errors), len(wantErrs), rep.Errors)
	}
	for i, w := range wantErrs {
		e := rep.Errors[i]
		if e.Line != w.line || e.EndLine != w.end || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("error %d = %+v, want lines %d-%d with %q", i, e, w.line, w.end, w.reason)
		}
	}
	wantWarn := []RowError{{Line: 7, EndLine: 7, Reason: `time "yesterday at noon" not understood; stored with the import time, flagged suspicious-date`,
		Code: "undatedTime", Params: map[string]string{"value": `"yesterday at noon"`}}}
	if !reflect.DeepEqual(rep.Warnings, wantWarn) || rep.Warned != 1 {
		t.Errorf("warnings %d %+v, want %+v", rep.Warned, rep.Warnings, wantWarn)
	}
	if rep.Rows != 13 || rep.Rejected != 7 {
		t.Errorf("Rows = %d Rejected = %d, want 13 and 7", rep.Rows, rep.Rejected)
	}
}

func TestReadCSVHeaderErrors(t *testing.T) {
	airline := Mapping{ID: "tweet_id", Text: "text", Account: "airline", Sentiment: "airline_sentiment", Tags: "negativereason"}
	tests := []struct {
		name    string
		input   string
		m       Mapping
		want    []string // substrings of the error
		notWant string
	}{
		{"missing columns", "", airline,
			[]string{`no column "airline_sentiment" (Mapping.Sentiment)`, `"negativereason" (Mapping.Tags)`, `columns are: "tweet_id", "airline", "text"`}, "tweet_id\" (Mapping"},
		{"missing id column", "a,text\n1,x\n", Mapping{ID: "id", Text: "text", DefaultAccount: "x"},
			[]string{`no column "id" (Mapping.ID)`, `"a", "text"`}, "Mapping.Text"},
		{"no id in mapping", "id,text\n", Mapping{Text: "text", DefaultAccount: "x"}, []string{"Mapping.ID"}, ""},
		{"no text in mapping", "id,text\n", Mapping{ID: "id", DefaultAccount: "x"}, []string{"Mapping.Text"}, ""},
		{"no account", "id,text\n", Mapping{ID: "id", Text: "text"}, []string{"DefaultAccount"}, ""},
		{"bad default kind", "id,text\n", Mapping{ID: "id", Text: "text", DefaultAccount: "x", DefaultKind: "tweet"}, []string{`DefaultKind "tweet"`}, ""},
		{"empty file", "", Mapping{ID: "id", Text: "text", DefaultAccount: "x"}, []string{"no header"}, ""},
		{"BOM only", "\ufeff", Mapping{ID: "id", Text: "text", DefaultAccount: "x"}, []string{"no header"}, ""},
		{"broken header", "id,\"text\n", Mapping{ID: "id", Text: "text", DefaultAccount: "x"}, []string{"header"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.input)
			if tt.name == "missing columns" {
				r = openFixture(t, "missing_column.csv")
			}
			emitted := 0
			_, err := ReadCSV(context.Background(), r, tt.m, func(Row) error { emitted++; return nil })
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q should not contain %q", err, tt.notWant)
			}
			if emitted != 0 {
				t.Errorf("emitted %d rows after a fatal error", emitted)
			}
		})
	}
}

func TestReadCSVHeaderMatching(t *testing.T) {
	// Case-insensitive fallback and spaces around header names.
	in := " ID , Text ,When\n7,hello,2024-01-02T03:04:05Z\n"
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadCSV(context.Background(), strings.NewReader(in), Mapping{ID: "id", Text: "text", Time: "when", DefaultAccount: "a", DefaultKind: inbox.KindDM}, emit)
	})
	if len(rows) != 1 || rep.Rows != 1 {
		t.Fatalf("rows %+v report %+v", rows, rep)
	}
	got := rows[0]
	if got.Item.ExternalID != "7" || got.Item.Text != "hello" || !got.Item.SentAt.Equal(utc("2024-01-02T03:04:05Z")) || got.Item.Kind != inbox.KindDM || got.Account != "a" {
		t.Errorf("row = %+v", got)
	}
	if got.Item.Author.Handle != UnknownAuthor || got.Item.Author.ExternalID != UnknownAuthor {
		t.Errorf("author = %+v, want unknown", got.Item.Author)
	}
}

func TestReadCSVRowReasons(t *testing.T) {
	m := Mapping{ID: "id", Text: "text", Time: "t", Account: "acc", Reach: "reach", Kind: "kind", Direction: "dir"}
	header := "id,acc,t,reach,kind,dir,text\n"
	tests := []struct {
		name, row, want string
		snowflake       bool
	}{
		{"bad reach", "1,a,2024-01-01T00:00:00Z,lots,,,x", `bad reach "lots"`, false},
		{"negative reach", "1,a,2024-01-01T00:00:00Z,-5,,,x", `bad reach "-5"`, false},
		{"bad kind", "1,a,2024-01-01T00:00:00Z,,tweet,,x", `unknown kind "tweet"`, false},
		{"bad direction", "1,a,2024-01-01T00:00:00Z,,,sideways,x", `unknown direction "sideways"`, false},
		{"empty account", "1,,2024-01-01T00:00:00Z,,,,x", `empty account in column "acc"`, false},
		{"blank id", "  ,a,2024-01-01T00:00:00Z,,,,x", "empty id", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := m
			m.SnowflakeTime = tt.snowflake
			rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
				return ReadCSV(context.Background(), strings.NewReader(header+tt.row+"\n"), m, emit)
			})
			if len(rows) != 0 || len(rep.Errors) != 1 {
				t.Fatalf("rows %+v errors %+v, want one error", rows, rep.Errors)
			}
			if e := rep.Errors[0]; e.Line != 2 || !strings.Contains(e.Reason, tt.want) {
				t.Errorf("error %+v, want line 2 with %q", e, tt.want)
			}
		})
	}
}

func TestReadCSVStops(t *testing.T) {
	in := "id,text\n1,a\n2,b\n3,c\n4,d\n"
	m := Mapping{ID: "id", Text: "text", DefaultAccount: "x"}
	boom := errors.New("boom")

	t.Run("emit error", func(t *testing.T) {
		n := 0
		rep, err := ReadCSV(context.Background(), strings.NewReader(in), m, func(r Row) error {
			n++
			if r.Item.ExternalID == "2" {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("err = %v, want boom at line 3", err)
		}
		if n != 2 || rep.Accepted != 1 {
			t.Errorf("emit calls %d accepted %d, want 2 and 1", n, rep.Accepted)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		rep, err := ReadCSV(ctx, strings.NewReader(in), m, func(Row) error {
			n++
			if n == 2 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n != 2 || rep.Accepted != 2 {
			t.Errorf("emit calls %d accepted %d, want 2 and 2", n, rep.Accepted)
		}
	})
	t.Run("read error", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("id,text\n1,a\n"), iotest.ErrReader(boom))
		rep, err := ReadCSV(context.Background(), r, m, func(Row) error { return nil })
		if !errors.Is(err, boom) || rep.Accepted != 1 {
			t.Errorf("err = %v accepted %d, want boom after 1", err, rep.Accepted)
		}
	})
}

func TestReportCapsErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,text\n")
	for i := 0; i < MaxReportedErrors+500; i++ {
		b.WriteString(",empty id\n")
	}
	b.WriteString("ok,fine\n")
	rep, err := ReadCSV(context.Background(), strings.NewReader(b.String()), Mapping{ID: "id", Text: "text", DefaultAccount: "x"}, func(Row) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != MaxReportedErrors || rep.Rejected != MaxReportedErrors+500 || rep.Rows != MaxReportedErrors+501 || rep.Accepted != 1 {
		t.Errorf("errors %d rejected %d rows %d accepted %d", len(rep.Errors), rep.Rejected, rep.Rows, rep.Accepted)
	}
	if last := rep.Errors[len(rep.Errors)-1]; last.Line != MaxReportedErrors+1 {
		t.Errorf("last reported error at line %d, want %d", last.Line, MaxReportedErrors+1)
	}
}

func TestParseTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		in, layout string
		loc        *time.Location
		want       string // RFC 3339 UTC; "" means an error
	}{
		{"2015-02-24T02:46:00Z", "", nil, "2015-02-24T02:46:00Z"},
		{"2015-02-23T18:46:00-08:00", "", nil, "2015-02-24T02:46:00Z"},
		{"2015-02-24T02:46:00.431+00:00", "", nil, "2015-02-24T02:46:00.431Z"},
		{"2024-03-01 12:30:00", "", nil, "2024-03-01T12:30:00Z"},
		{"2024-03-01 12:30:00", "", berlin, "2024-03-01T11:30:00Z"},
		{"2/23/2015 18:46", "", nil, "2015-02-23T18:46:00Z"},
		{"2/23/2015 18:46", "", time.FixedZone("PST", -8*3600), "2015-02-24T02:46:00Z"},
		{"12/01/2015 07:05", "", nil, "2015-12-01T07:05:00Z"}, // US order: December 1st
		{" 1424745960 ", "", nil, "2015-02-24T02:46:00Z"},
		{"1424745960431", "", nil, "2015-02-24T02:46:00.431Z"},
		{"24.02.2015 03:46", "02.01.2006 15:04", berlin, "2015-02-24T02:46:00Z"},
		{"2015-02-24", "02.01.2006 15:04", nil, ""},
		{"13/45/2015 18:46", "", nil, ""},
		{"yesterday", "", nil, ""},
		{"", "", nil, ""},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in, tt.layout, tt.loc)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseTime(%q, %q) = %v, want an error", tt.in, tt.layout, got)
			}
			continue
		}
		if err != nil || !got.Equal(utc(tt.want)) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q, %q) = %v, %v; want %s UTC", tt.in, tt.layout, got, err, tt.want)
		}
	}
}

func TestSnowflakeTime(t *testing.T) {
	tests := []struct{ id, want string }{
		{"570051991277342720", "2015-02-24T02:46:00.431Z"}, // airline_tweets_dev.csv row 1, tweet_created 2/23/2015 18:46
		{"1282311169534038016", "2020-07-12T13:49:41.663Z"},
		{"4194304", "2010-11-04T01:42:54.658Z"}, // 1<<22: one ms after the epoch
	}
	for _, tt := range tests {
		got, err := snowflakeTime(tt.id)
		if err != nil || !got.Equal(utc(tt.want)) {
			t.Errorf("snowflakeTime(%s) = %v, %v; want %s", tt.id, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "12", "-570051991277342720", "5.7e17", "99999999999999999999"} {
		if _, err := snowflakeTime(bad); err == nil {
			t.Errorf("snowflakeTime(%q): want an error", bad)
		}
	}
}

func TestLabelParsers(t *testing.T) {
	sent := []struct {
		in    string
		want  inbox.Sentiment
		score float64
	}{
		{"negative", inbox.SentimentNegative, -1}, {" NEG ", inbox.SentimentNegative, -1}, {"-1", inbox.SentimentNegative, -1},
		{"Neutral", inbox.SentimentNeutral, 0}, {"0", inbox.SentimentNeutral, 0},
		{"positive", inbox.SentimentPositive, 1}, {"Pos", inbox.SentimentPositive, 1}, {"1", inbox.SentimentPositive, 1},
		{"skip", inbox.SentimentUnknown, 0}, {"speech", inbox.SentimentUnknown, 0}, {"", inbox.SentimentUnknown, 0}, {"2", inbox.SentimentUnknown, 0},
	}
	for _, tt := range sent {
		if got, score := parseSentiment(tt.in); got != tt.want || score != tt.score {
			t.Errorf("parseSentiment(%q) = %q %v, want %q %v", tt.in, got, score, tt.want, tt.score)
		}
	}
	reach := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"", 0, true}, {"42", 42, true}, {"1,234,567", 1234567, true}, {"12.5k", 12500, true}, {"1.2M", 1200000, true},
		{"3 400", 3400, true}, {"abc", 0, false}, {"-1", 0, false}, {"1.5", 0, false}, {"k", 0, false},
	}
	for _, tt := range reach {
		got, err := parseReach(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseReach(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	tags := []struct {
		in   string
		want []string
	}{
		{"", nil}, {"a", []string{"a"}}, {"a, b;c", []string{"a", "b", "c"}}, {" ;a;;a; ", []string{"a"}},
		{"Late Flight", []string{"Late Flight"}},
	}
	for _, tt := range tags {
		if got := splitTags(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	utf := []struct {
		in, want string
		bad      bool
	}{
		{"ok ß ё", "ok ß ё", false}, {"caf\xe9", "caf\uFFFD", true}, {"\xff\xfe", "\uFFFD\uFFFD", true},
		{"\xe2\x82", "\uFFFD\uFFFD", true}, // truncated €: one U+FFFD per byte, like encoding/json
	}
	for _, tt := range utf {
		if got, bad := validUTF8(tt.in); got != tt.want || bad != tt.bad {
			t.Errorf("validUTF8(%q) = %q %v, want %q %v", tt.in, got, bad, tt.want, tt.bad)
		}
	}
}

func TestReadJSONLines(t *testing.T) {
	f := openFixture(t, "items.jsonl")
	imported := utc("2026-01-02T03:04:05Z")
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadJSONLines(context.Background(), f, "imports", emit, WithImportTime(imported))
	})
	want := []Row{
		{Line: 1, EndLine: 1, Account: "acme-mail", Item: inbox.Item{
			ExternalID: "j1", ThreadKey: "th-1", Kind: inbox.KindMail, Direction: inbox.DirectionIn,
			Author:  inbox.Author{Channel: inbox.ChannelImport, ExternalID: "u-1", Handle: "alice@example.com", DisplayName: "Alice", Reach: 1500},
			Subject: "Refund", Text: "Where is my refund?", HTML: "<p>Where is my refund?</p>",
			SentAt: utc("2024-03-01T09:00:00Z"), Sentiment: inbox.SentimentNegative, SentimentScore: -1,
			Tags: []string{"refund", "billing"}}},
		{Line: 3, EndLine: 3, Account: "imports", Item: inbox.Item{
			ExternalID: "570051991277342720", ThreadKey: "570051991277342720", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: inbox.Author{Channel: inbox.ChannelImport, ExternalID: "unknown", Handle: "unknown"},
			Text:   "numeric id", SentAt: utc("2015-02-24T02:46:00.431Z")}},
		{Line: 7, EndLine: 7, Account: "imports", Item: inbox.Item{
			ExternalID: "j4", ThreadKey: "j4", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: inbox.Author{Channel: inbox.ChannelImport, ExternalID: "unknown", Handle: "unknown"},
			Text:   "bad time", ReceivedAt: imported, Flags: []string{inbox.FlagSuspiciousDate}}},
		{Line: 8, EndLine: 8, Account: "imports", Item: inbox.Item{
			ExternalID: "j5", ThreadKey: "j5", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: inbox.Author{Channel: inbox.ChannelImport, ExternalID: "@bob", Handle: "@bob", Reach: 42},
			Text:   "caf\uFFFD", ReceivedAt: imported, Flags: []string{inbox.FlagInvalidUTF8}}},
		{Line: 11, EndLine: 11, Account: "other", Item: inbox.Item{
			ExternalID: "j7", ThreadKey: "j7", Kind: inbox.KindComment, Direction: inbox.DirectionOut,
			Author: inbox.Author{Channel: inbox.ChannelImport, ExternalID: "99", Handle: "99"},
			Text:   "reply", ReceivedAt: imported}},
		{Line: 13, EndLine: 13, Account: "imports", Item: inbox.Item{
			ExternalID: "j8", ThreadKey: "j8", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
			Author: inbox.Author{Channel: inbox.ChannelImport, ExternalID: "unknown", Handle: "unknown"},
			Text:   "no newline at the end", ReceivedAt: imported}},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i := range want {
		if !reflect.DeepEqual(rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, rows[i], want[i])
		}
	}
	wantErrs := []RowError{
		{Line: 4, EndLine: 4, Reason: "bad JSON", Code: "badJSON"}, {Line: 6, EndLine: 6, Reason: "missing or empty id", Code: "missingId"},
		{Line: 9, EndLine: 9, Reason: "not a JSON object", Code: "notObject"}, {Line: 10, EndLine: 10, Reason: `unknown kind "tweet"`, Code: "unknownKind"},
		{Line: 12, EndLine: 12, Reason: "invalid UTF-8 in id", Code: "idNotUTF8"},
	}
	if len(rep.Errors) != len(wantErrs) {
		t.Fatalf("errors %+v, want %d", rep.Errors, len(wantErrs))
	}
	for i, w := range wantErrs {
		if e := rep.Errors[i]; e.Line != w.Line || e.EndLine != w.EndLine || !strings.Contains(e.Reason, w.Reason) || e.Code != w.Code {
			t.Errorf("error %d = %+v, want %+v", i, e, w)
		}
	}
	wantWarn := []RowError{{Line: 7, EndLine: 7, Reason: `sent_at "24.02.2015" not understood (want RFC 3339); stored with the import time, flagged suspicious-date`,
		Code: "undatedSentAt", Params: map[string]string{"value": `"24.02.2015"`}}}
	if !reflect.DeepEqual(rep.Warnings, wantWarn) {
		t.Errorf("warnings %+v, want %+v", rep.Warnings, wantWarn)
	}
}

func TestReadJSONLinesStopsAndAccounts(t *testing.T) {
	boom := errors.New("boom")
	in := `{"id":"1","text":"a"}` + "\n" + `{"id":"2","text":"b"}` + "\n" + `{"id":"3","account":"x","text":"c"}` + "\n"
	t.Run("no default account", func(t *testing.T) {
		rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
			return ReadJSONLines(context.Background(), strings.NewReader(in), "", emit)
		})
		if len(rows) != 1 || rows[0].Account != "x" || len(rep.Errors) != 2 || rep.Errors[1].Line != 2 {
			t.Errorf("rows %+v errors %+v", rows, rep.Errors)
		}
	})
	t.Run("emit error", func(t *testing.T) {
		rep, err := ReadJSONLines(context.Background(), strings.NewReader(in), "d", func(r Row) error {
			if r.Item.ExternalID == "2" {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 2") || rep.Accepted != 1 {
			t.Errorf("err %v accepted %d", err, rep.Accepted)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rep, err := ReadJSONLines(ctx, strings.NewReader(in), "d", func(Row) error { return nil })
		if !errors.Is(err, context.Canceled) || rep.Rows != 0 {
			t.Errorf("err %v rows %d", err, rep.Rows)
		}
	})
	t.Run("read error", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader(`{"id":"1","text":"a"}`+"\n"), iotest.ErrReader(boom))
		rep, err := ReadJSONLines(context.Background(), r, "d", func(Row) error { return nil })
		if !errors.Is(err, boom) || rep.Accepted != 1 {
			t.Errorf("err %v accepted %d", err, rep.Accepted)
		}
	})
}

func TestReadLineTooLong(t *testing.T) {
	long := strings.Repeat("x", 100)
	br := bufio.NewReaderSize(strings.NewReader("short\n"+long+"\nafter"), 16)
	want := []struct {
		line    string
		tooLong bool
		eof     bool
	}{{"short\n", false, false}, {"", true, false}, {"after", false, true}}
	for i, w := range want {
		line, tooLong, err := readLine(br, 32)
		if string(line) != w.line || tooLong != w.tooLong || errors.Is(err, io.EOF) != w.eof {
			t.Errorf("readLine #%d = %q %v %v, want %+v", i, line, tooLong, err, w)
		}
	}
}

// sharedData finds a file of the evaluation data next to the repository
// (../shared/data from the repository root) or skips the test.
func sharedData(t *testing.T, name string) string {
	t.Helper()
	p := "../../../../shared/data/" + name
	if _, err := os.Stat(p); err != nil {
		t.Skipf("evaluation data %s not found (the repository is expected next to shared/): %v", p, err)
	}
	return p
}

func TestAirlineTweets(t *testing.T) {
	path := sharedData(t, "airline_tweets_dev.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := Mapping{ID: "tweet_id", Text: "text", Account: "airline", Sentiment: "airline_sentiment", SnowflakeTime: true, Tags: "negativereason"}
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadCSV(context.Background(), f, m, emit)
	})
	if rep.Rows != 12927 || len(rep.Errors) != 0 {
		t.Fatalf("rows %d errors %v, want 12927 rows and none", rep.Rows, rep.Errors)
	}
	first := rows[0]
	if first.Line != 2 || first.Item.ExternalID != "570051991277342720" || first.Account != "Virgin America" ||
		!first.Item.SentAt.Equal(utc("2015-02-24T02:46:00.431Z")) || first.Item.Sentiment != inbox.SentimentNeutral {
		t.Errorf("first row = %+v", first)
	}

	// The tweet_created column is the same moment in UTC-8 (US Pacific, PST in
	// February), truncated to the minute: snowflake time - column time is in
	// [8h, 8h+1m) for every row.
	f2, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	created := map[string]time.Time{}
	if _, err := ReadCSV(context.Background(), f2, Mapping{ID: "tweet_id", Text: "text", Time: "tweet_created", DefaultAccount: "x"}, func(r Row) error {
		created[r.Item.ExternalID] = r.Item.SentAt
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	accounts := map[string]int{}
	sentiments := map[inbox.Sentiment]int{}
	tagged := 0
	for _, r := range rows {
		accounts[r.Account]++
		sentiments[r.Item.Sentiment]++
		if len(r.Item.Tags) > 0 {
			tagged++
		}
		if d := r.Item.SentAt.Sub(created[r.Item.ExternalID]); d < 8*time.Hour || d >= 8*time.Hour+time.Minute {
			t.Fatalf("line %d: snowflake %v vs tweet_created %v: offset %v, want [8h, 8h1m)", r.Line, r.Item.SentAt, created[r.Item.ExternalID], d)
		}
	}
	if len(accounts) != 6 || accounts["United"] != 3505 || accounts["Delta"] != 2084 {
		t.Errorf("accounts = %v", accounts)
	}
	if sentiments[inbox.SentimentNegative] != 8154 || sentiments[inbox.SentimentNeutral] != 2688 || sentiments[inbox.SentimentPositive] != 2085 {
		t.Errorf("sentiments = %v", sentiments)
	}
	if tagged != 12927-4773 {
		t.Errorf("%d rows with a negativereason tag, want %d", tagged, 12927-4773)
	}
}

func TestRuSentiTweet(t *testing.T) {
	path := sharedData(t, "rusentitweet_train.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	m := Mapping{ID: "id", Text: "text", Sentiment: "label", SnowflakeTime: true, DefaultAccount: "rusentitweet"}
	rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
		return ReadCSV(context.Background(), strings.NewReader(string(raw)), m, emit)
	})
	if rep.Rows != 10713 || len(rep.Errors) != 0 {
		t.Fatalf("rows %d errors %v, want 10713 rows and none", rep.Rows, rep.Errors)
	}
	sentiments := map[inbox.Sentiment]int{}
	prev := 1
	for _, r := range rows {
		sentiments[r.Item.Sentiment]++
		// Line must point at the record's first physical line: the record's
		// last line (Line + newlines in the text) ends with ",<id>".
		end := r.Line - 1 + strings.Count(r.Item.Text, "\n")
		if r.Line <= prev || end >= len(lines) || !strings.HasSuffix(strings.TrimSuffix(lines[end], "\r"), ","+r.Item.ExternalID) {
			t.Fatalf("row %s: Line %d does not start the record (prev %d)", r.Item.ExternalID, r.Line, prev)
		}
		prev = r.Line
		if y := r.Item.SentAt.Year(); y < 2019 || y > 2022 {
			t.Fatalf("row %s: snowflake time %v outside 2019..2022", r.Item.ExternalID, r.Item.SentAt)
		}
		if strings.Contains(r.Item.Text, "\r") {
			t.Fatalf("row %s: CR left in text %q", r.Item.ExternalID, r.Item.Text)
		}
	}
	want := map[inbox.Sentiment]int{inbox.SentimentNegative: 2638, inbox.SentimentNeutral: 4273, inbox.SentimentPositive: 1931, inbox.SentimentUnknown: 1474 + 397}
	if !reflect.DeepEqual(sentiments, want) {
		t.Errorf("sentiments = %v, want %v (skip and speech -> unknown)", sentiments, want)
	}
	if got := fmt.Sprint(rows[0].Item.SentAt.Format(time.RFC3339Nano)); got != "2020-07-12T13:49:41.663Z" {
		t.Errorf("first tweet time = %s", got)
	}
}
