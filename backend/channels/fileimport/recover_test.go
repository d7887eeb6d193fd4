package fileimport

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// csvRows builds "r<from>,acct,text <i>" lines for ids from..to.
func csvRows(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "r%d,acct,text %d\n", i, i)
	}
	return b.String()
}

func ids(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Item.ExternalID
	}
	return out
}

func idRange(from, to int, except ...int) []string {
	var out []string
next:
	for i := from; i <= to; i++ {
		for _, e := range except {
			if i == e {
				continue next
			}
		}
		out = append(out, fmt.Sprintf("r%d", i))
	}
	return out
}

func TestReadCSVRecoversFromBrokenRecords(t *testing.T) {
	const header = "id,account,text\n"
	type span struct {
		line, end int
		reason    string
	}
	tests := []struct {
		name    string
		input   string
		opts    []Option
		wantIDs []string
		errs    []span
	}{
		{
			// The reported case: a 101-line file, the quote on line 11 never closes.
			name:    "unterminated quote, rest of the file good",
			input:   header + csvRows(1, 9) + "r10,acct,\"never closed\n" + csvRows(11, 100),
			wantIDs: idRange(1, 100, 10),
			errs:    []span{{11, 11, "unterminated quote"}},
		},
		{
			name:    "lines of the broken field are one span",
			input:   header + csvRows(1, 9) + "r10,acct,\"never closed\nsecond line of it\nthird\n\nfourth, with a comma\n" + csvRows(11, 20),
			wantIDs: idRange(1, 20, 10),
			errs:    []span{{11, 15, "unterminated quote"}},
		},
		{
			// The open quote pairs with the first quote of line 13 and text follows it.
			name:    "open quote meets a later quoted field",
			input:   header + "r1,acct,\"open\nr2,acct,plain\nr3,acct,\"quoted, fine\"\n" + csvRows(4, 6),
			wantIDs: idRange(2, 6),
			errs:    []span{{2, 2, "closes on line 4 and text follows"}},
		},
		{
			name:    "well-formed multi-line fields still work",
			input:   header + "r1,acct,\"one\ntwo, \"\"three\"\"\n\nfour\"\n" + csvRows(2, 3) + "r4,acct,\"x\r\ny\"\r\n",
			wantIDs: idRange(1, 4),
		},
		{
			name:    "unterminated quote on the last line",
			input:   header + csvRows(1, 3) + "r4,acct,\"open to the end",
			wantIDs: idRange(1, 3),
			errs:    []span{{5, 5, "runs to the end of the file"}},
		},
		{
			name:    "quoted field past the line cap",
			input:   header + "r1,acct,\"a\nb\nc\nd\ne\nf\"\n" + csvRows(2, 3),
			opts:    []Option{WithMaxRecordLines(4)},
			wantIDs: idRange(2, 3),
			errs:    []span{{2, 7, "runs past 4 lines"}},
		},
		{
			name:    "multi-line record with too many fields",
			input:   header + "r1,acct,\"a\nb\",extra\n" + csvRows(2, 3),
			wantIDs: idRange(2, 3),
			errs:    []span{{2, 3, "wrong number of fields: got 4, want 3"}},
		},
		{
			name:    "one-line errors do not resynchronise",
			input:   header + "r1,acct\nr2,acct,bare \"quote\nr3,acct,\"bad\"quote\n" + csvRows(4, 5),
			wantIDs: idRange(4, 5),
			errs:    []span{{2, 2, "wrong number of fields"}, {3, 3, "bare"}, {4, 4, "extraneous"}},
		},
		{
			name:    "two broken records",
			input:   header + "r1,acct,\"open\nr2,acct,two\nr3,acct,\"open again\nmore\n" + csvRows(4, 4),
			wantIDs: []string{"r2", "r4"},
			errs:    []span{{2, 2, "unterminated"}, {4, 5, "unterminated"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Mapping{ID: "id", Text: "text", Account: "account"}
			rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
				return ReadCSV(context.Background(), strings.NewReader(tt.input), m, emit, tt.opts...)
			})
			if got := ids(rows); !reflect.DeepEqual(got, tt.wantIDs) {
				t.Errorf("stored %v\nwant   %v", got, tt.wantIDs)
			}
			if len(rep.Errors) != len(tt.errs) {
				t.Fatalf("errors %+v, want %+v", rep.Errors, tt.errs)
			}
			for i, w := range tt.errs {
				if e := rep.Errors[i]; e.Line != w.line || e.EndLine != w.end || !strings.Contains(e.Reason, w.reason) {
					t.Errorf("error %d = %+v, want lines %d-%d with %q", i, e, w.line, w.end, w.reason)
				}
			}
		})
	}
}

func TestRowErrorString(t *testing.T) {
	if got := (RowError{Line: 11, EndLine: 14, Reason: "unterminated quote"}).String(); got != "lines 11–14: unterminated quote" {
		t.Errorf("span: %q", got)
	}
	if got := (RowError{Line: 7, EndLine: 7, Reason: "x"}).String(); got != "line 7: x" {
		t.Errorf("one line: %q", got)
	}
}

// TestSplitterMatchesEncodingCSV checks the record splitter against
// encoding/csv on well-formed input, where both must read the same records.
func TestSplitterMatchesEncodingCSV(t *testing.T) {
	inputs := []string{
		"a,b\n1,2\n",
		"a,b\r\n1,2\r\n",
		"a,b\n1,2",
		"a,b\n1,2\r",
		"a,b\n\n\n1,2\n\r\n3,4\n",
		"a,b\n\"x\ny\",\"\"\n",
		"a,b\n\"x\r\ny\",\"q\"\"q\"\n",
		"a,b\n1,\n,\n",
		"a,b\n1,x\ry\n",
		"a,b\n\"\",\"\"\"\"\n",
		"a,b,c\n1,\"2\n\n3\",4\n5,6,7\n",
		"a\n \n\x00\n",
		"a,b\n\"1\",2\n\"1\",\"\n\"\n",
		"a,b\n" + strings.Repeat("long ", 40) + ",\"" + strings.Repeat("quoted\r\n", 9) + "\"\n",
	}
	// Lines of many lengths, so that some \r falls at the end of a piece the
	// 16-byte reader returns, just before the \n in the next one.
	for n := 8; n < 40; n++ {
		inputs = append(inputs, "a,b\r\n"+strings.Repeat("x", n)+",\"q\"\r\n"+strings.Repeat("y", n)+",\r\r\n1,2\r")
	}
	for _, in := range inputs {
		want := readAllEncodingCSV(t, in)
		sp := newCSVSplitter(bufioReader(in), MaxRecordBytes, MaxRecordLines)
		var got [][]string
		for {
			it, err := sp.next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil || it.reject != nil {
				t.Fatalf("%q: %v %q", in, err, it.reject)
			}
			got = append(got, slices.Clone(it.fields))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

func readAllEncodingCSV(t *testing.T, in string) [][]string {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(in))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv on %q: %v", in, err)
	}
	return recs
}

func TestUndatedRows(t *testing.T) {
	imported := utc("2026-01-02T03:04:05Z")
	suspicious := []string{inbox.FlagSuspiciousDate}
	tests := []struct {
		name      string
		m         Mapping
		input     string
		sentAt    time.Time
		received  time.Time
		flags     []string
		warning   string
		rejection string
	}{
		{name: "good time", m: Mapping{Time: "t"}, input: "id,t,text\n1,2024-01-01T00:00:00Z,x\n", sentAt: utc("2024-01-01T00:00:00Z")},
		{name: "empty time", m: Mapping{Time: "t"}, input: "id,t,text\n1, ,x\n", received: imported, flags: suspicious},
		{name: "time not understood", m: Mapping{Time: "t"}, input: "id,t,text\n1,32/13/2015,x\n", received: imported, flags: suspicious,
			warning: `time "32/13/2015" not understood; stored with the import time, flagged suspicious-date`},
		{name: "time against the layout", m: Mapping{Time: "t", TimeLayout: "02.01.2006"}, input: "id,t,text\n1,2015-01-02,x\n", received: imported, flags: suspicious,
			warning: `time "2015-01-02" not understood`},
		{name: "invalid UTF-8 time", m: Mapping{Time: "t"}, input: "id,t,text\n1,\xff,x\n", received: imported, flags: suspicious,
			warning: `time "\xff" not understood`},
		{name: "not a snowflake", m: Mapping{SnowflakeTime: true}, input: "id,t,text\nabc,,x\n", received: imported, flags: suspicious,
			warning: `id "abc" is not a Twitter snowflake id, so it has no time; stored with the import time`},
		{name: "no time column", input: "id,t,text\n1,whatever,x\n", received: imported},
		{name: "other errors still reject", m: Mapping{Time: "t", Kind: "t"}, input: "id,t,text\n1,tweet,x\n", rejection: `unknown kind "tweet"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			m.ID, m.Text, m.DefaultAccount = "id", "text", "a"
			rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
				return ReadCSV(context.Background(), strings.NewReader(tt.input), m, emit, WithImportTime(imported))
			})
			if tt.rejection != "" {
				if len(rows) != 0 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Reason, tt.rejection) {
					t.Fatalf("rows %+v errors %+v, want the row rejected with %q", rows, rep.Errors, tt.rejection)
				}
				return
			}
			if len(rows) != 1 || rep.Rejected != 0 {
				t.Fatalf("rows %+v errors %+v, want the row stored", rows, rep.Errors)
			}
			it := rows[0].Item
			if !it.SentAt.Equal(tt.sentAt) || !it.ReceivedAt.Equal(tt.received) || !reflect.DeepEqual(it.Flags, tt.flags) {
				t.Errorf("SentAt %v ReceivedAt %v flags %v, want %v %v %v", it.SentAt, it.ReceivedAt, it.Flags, tt.sentAt, tt.received, tt.flags)
			}
			switch {
			case tt.warning == "" && rep.Warned != 0:
				t.Errorf("warnings %+v, want none", rep.Warnings)
			case tt.warning != "" && (rep.Warned != 1 || rep.Warnings[0].Line != 2 || !strings.Contains(rep.Warnings[0].Reason, tt.warning)):
				t.Errorf("warnings %+v, want line 2 with %q", rep.Warnings, tt.warning)
			}
		})
	}
}

// repeatReader yields n copies of b without holding them in memory.
type repeatReader struct {
	b    byte
	left int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	for i := range p {
		p[i] = r.b
	}
	r.left -= int64(len(p))
	return len(p), nil
}

// heapPeakReader notes the largest live heap seen between reads: the reader
// under test reads in 64 KiB pieces, so this samples it all along.
type heapPeakReader struct {
	r    io.Reader
	peak uint64
}

func (h *heapPeakReader) Read(p []byte) (int, error) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.peak = max(h.peak, ms.HeapAlloc)
	return h.r.Read(p)
}

func bufioReader(s string) *bufio.Reader {
	// The smallest buffer, so that lines are read in many pieces.
	return bufio.NewReaderSize(strings.NewReader(s), 16)
}

// hugeFieldCSV is a CSV whose line 3 (and further lines if newlines) has a
// quoted text field of size bytes, between good rows.
func hugeFieldCSV(size int64, multiLine bool) io.Reader {
	var field io.Reader = &repeatReader{b: 'x', left: size}
	if multiLine {
		// A line break every 64 KiB, as in a long document pasted into a cell.
		var parts []io.Reader
		for left := size; left > 0; left -= 64 << 10 {
			parts = append(parts, &repeatReader{b: 'x', left: min(left, 64<<10)}, strings.NewReader("\n"))
		}
		field = io.MultiReader(parts...)
	}
	return io.MultiReader(
		strings.NewReader("id,account,text\nr1,acct,before\nr2,acct,\""),
		field,
		strings.NewReader("\"\nr3,acct,after\n"+csvRows(4, 5)),
	)
}

func TestReadCSVHugeField(t *testing.T) {
	const size = 20 << 20
	tests := []struct {
		name    string
		in      io.Reader
		wantEnd int
		reason  string
	}{
		{"one line", hugeFieldCSV(size, false), 3, "record longer than 1048576 bytes"},
		// A field spanning lines that outgrows the cap cannot be told from an
		// unterminated quote, so its lines are reported as one span.
		{"many lines", hugeFieldCSV(size, true), 3 + size/(64<<10), "longer than 1048576 bytes"},
		// Millions of empty fields must not become millions of strings.
		{"many fields", io.MultiReader(strings.NewReader("id,account,text\nr1,acct,before\nr2,acct,"),
			&repeatReader{b: ',', left: size}, strings.NewReader("\nr3,acct,after\n"+csvRows(4, 5))),
			3, "record longer than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Mapping{ID: "id", Text: "text", Account: "account"}
			runtime.GC()
			in := &heapPeakReader{r: tt.in}
			rows, rep := collect(t, func(emit func(Row) error) (Report, error) {
				return ReadCSV(context.Background(), in, m, emit, WithMaxRecordBytes(1<<20))
			})
			if got, want := ids(rows), []string{"r1", "r3", "r4", "r5"}; !reflect.DeepEqual(got, want) {
				t.Errorf("stored %v, want %v", got, want)
			}
			if len(rep.Errors) != 1 || rep.Errors[0].Line != 3 || rep.Errors[0].EndLine != tt.wantEnd || !strings.Contains(rep.Errors[0].Reason, tt.reason) {
				t.Errorf("errors %+v, want lines 3-%d with %q", rep.Errors, tt.wantEnd, tt.reason)
			}
			// The field is read over, not kept: the heap stays far below its size.
			if in.peak > 12<<20 {
				t.Errorf("heap peaked at %d MiB reading a %d MiB field with a 1 MiB cap", in.peak>>20, size>>20)
			}
			t.Logf("heap peak %.1f MiB", float64(in.peak)/(1<<20))
		})
	}
}

func TestReportCountsEveryRejection(t *testing.T) {
	const bad = 1_000_001
	tests := []struct {
		name string
		read func(io.Reader) (Report, error)
		line string
	}{
		{"csv", func(r io.Reader) (Report, error) {
			return ReadCSV(context.Background(), io.MultiReader(strings.NewReader("id,text\n"), r, strings.NewReader("ok,fine\n")),
				Mapping{ID: "id", Text: "text", DefaultAccount: "a"}, func(Row) error { return nil })
		}, ",\n"},
		{"jsonl", func(r io.Reader) (Report, error) {
			return ReadJSONLines(context.Background(), io.MultiReader(r, strings.NewReader(`{"id":"ok"}`+"\n")), "a", func(Row) error { return nil })
		}, "[]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := tt.read(strings.NewReader(strings.Repeat(tt.line, bad)))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rejected != bad || rep.Rows != bad+1 || rep.Accepted != 1 || len(rep.Errors) != MaxReportedErrors {
				t.Errorf("rejected %d rows %d accepted %d listed %d, want %d, %d, 1, %d",
					rep.Rejected, rep.Rows, rep.Accepted, len(rep.Errors), bad, bad+1, MaxReportedErrors)
			}
		})
	}
}
