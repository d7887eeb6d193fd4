package fileimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"
)

// The seed corpora are in testdata/fuzz/FuzzCSV and testdata/fuzz/FuzzJSONLines.
// Run one for a minute with
//
//	go test -tags "sqlite_fts5 webkit2_41" -run '^$' -fuzz '^FuzzCSV$' -fuzztime 60s ./backend/channels/fileimport/

// fuzzDeadline bounds one input: the readers are linear but for the bounded
// look-back after a broken record, so anything slower is a hang.
const fuzzDeadline = 10 * time.Second

// within runs read and fails the test if it does not return in time.
func within(t *testing.T, read func() (Report, error)) (Report, error) {
	t.Helper()
	type result struct {
		rep Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := read()
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-time.After(fuzzDeadline):
		t.Fatalf("reading did not finish in %v", fuzzDeadline)
		return Report{}, nil
	}
}

// physicalLines splits input into lines as the readers count them: by '\n',
// with no line after a final '\n'.
func physicalLines(data []byte) [][]byte {
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// checkCounts checks that the report's numbers are exact.
func checkCounts(t *testing.T, rep Report, rows []Row) {
	t.Helper()
	if rep.Rows != rep.Accepted+rep.Rejected || rep.Accepted != len(rows) {
		t.Fatalf("Rows %d Accepted %d Rejected %d, emitted %d", rep.Rows, rep.Accepted, rep.Rejected, len(rows))
	}
	if len(rep.Errors) != min(rep.Rejected, MaxReportedErrors) || len(rep.Warnings) != min(rep.Warned, MaxReportedErrors) {
		t.Fatalf("listed %d errors for %d rejected, %d warnings for %d warned", len(rep.Errors), rep.Rejected, len(rep.Warnings), rep.Warned)
	}
	stored := map[int]bool{}
	for _, r := range rows {
		stored[r.Line] = true
	}
	for _, w := range rep.Warnings {
		if !stored[w.Line] {
			t.Fatalf("warning %+v is not about a stored row", w)
		}
	}
}

// checkCoverage checks that the stored rows and the rejected records or spans
// account for every line after the header exactly once: each non-blank line
// lies in exactly one of them, no line in two, and none in the header.
func checkCoverage(t *testing.T, lines [][]byte, headerEnd int, rep Report, rows []Row, blank func(line int) bool) {
	t.Helper()
	if rep.Rejected > len(rep.Errors) {
		return // not all rejections are listed
	}
	owner := make([]string, len(lines)+1)
	claim := func(what string, from, to int) {
		if from <= headerEnd || to < from || to > len(lines) {
			t.Fatalf("%s covers lines %d-%d; the header ends on line %d of %d", what, from, to, headerEnd, len(lines))
		}
		for l := from; l <= to; l++ {
			if owner[l] != "" {
				t.Fatalf("line %d is in %s and in %s", l, owner[l], what)
			}
			owner[l] = what
		}
	}
	for _, r := range rows {
		claim(fmt.Sprintf("row %q", r.Item.ExternalID), r.Line, r.EndLine)
	}
	for _, e := range rep.Errors {
		claim(fmt.Sprintf("rejection %+v", e), e.Line, e.EndLine)
	}
	for l := headerEnd + 1; l <= len(lines); l++ {
		if owner[l] == "" && !blank(l) {
			t.Fatalf("line %d (%q) is neither stored nor rejected", l, lines[l-1])
		}
	}
}

func csvBlank(line []byte) bool { return len(line) == 0 || string(line) == "\r" }

// checkScannersAgree reads each line of data as a record start with both line
// scanners: the one for kept lines and the streaming one for lines too long to
// keep must agree, whatever the pieces the long line arrives in.
func checkScannersAgree(t *testing.T, data []byte) {
	t.Helper()
	piece := len(data)%7 + 1
	for _, line := range physicalLines(data) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		var p recordParser
		want := p.scan(line)
		if want.status == lineDone {
			want.fields = len(p.ends)
		}
		var s streamScanner
		for i := 0; i < len(line); i += piece {
			s.feed(line[i:min(i+piece, len(line))])
		}
		got := s.end()
		if want.status != lineDone {
			got.fields = 0
		}
		if got != want {
			t.Fatalf("line %q: streaming scanner %+v, scanner %+v", line, got, want)
		}
	}
}

// encodingCSVRecords reads data with encoding/csv; ok is false if it reports
// any error. starts holds each record's first line.
func encodingCSVRecords(data []byte) (recs [][]string, starts, ends []int, ok bool) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, starts, ends, true
		}
		if err != nil {
			return nil, nil, nil, false
		}
		line, _ := cr.FieldPos(0)
		// The record's last byte is its line end or the file's last byte.
		end := bytes.Count(data[:cr.InputOffset()-1], []byte("\n")) + 1
		recs, starts, ends = append(recs, rec), append(starts, line), append(ends, end)
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,time,text\n1,2024-01-01T00:00:00Z,hello\n2,,\"multi\nline\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScannersAgree(t, data)
		body := bytes.TrimPrefix(data, []byte(bom))
		lines := physicalLines(body)
		m := Mapping{ID: "id", Text: "text", Time: "time", DefaultAccount: "a"}
		// The small limits make the long-line and look-back paths reachable.
		limits := []struct{ bytes, lines int }{{MaxRecordBytes, MaxRecordLines}, {24, 3}}
		for _, lim := range limits {
			var rows []Row
			rep, err := within(t, func() (Report, error) {
				return ReadCSV(context.Background(), bytes.NewReader(data), m, func(r Row) error {
					rows = append(rows, r)
					return nil
				}, WithMaxRecordBytes(lim.bytes), WithMaxRecordLines(lim.lines))
			})
			if err != nil {
				if rep.Rows != 0 || len(rows) != 0 {
					t.Fatalf("error %v after %d rows", err, rep.Rows)
				}
				continue // no usable header
			}
			checkCounts(t, rep, rows)
			header, err := newCSVSplitter(bufio.NewReader(bytes.NewReader(body)), lim.bytes, lim.lines).next(context.Background())
			if err != nil {
				t.Fatalf("header read again: %v", err)
			}
			checkCoverage(t, lines, header.end, rep, rows, func(l int) bool { return csvBlank(lines[l-1]) })
			if lim.bytes == MaxRecordBytes {
				checkAgainstEncodingCSV(t, body, len(header.fields), rep, rows)
			}
		}
	})
}

// checkAgainstEncodingCSV: where encoding/csv reads the whole input without an
// error, and every record spanning lines has the header's field count (else
// it is taken for a broken record), the same records are read, at the same
// lines, with the same text.
func checkAgainstEncodingCSV(t *testing.T, body []byte, n int, rep Report, rows []Row) {
	t.Helper()
	recs, starts, ends, ok := encodingCSVRecords(body)
	if !ok || len(recs) == 0 {
		return
	}
	for i := 1; i < len(recs); i++ {
		if ends[i] != starts[i] && len(recs[i]) != n {
			return
		}
	}
	if rep.Rows != len(recs)-1 {
		t.Fatalf("read %d records, encoding/csv %d", rep.Rows, len(recs)-1)
	}
	stored := map[int]Row{}
	for _, r := range rows {
		stored[r.Line] = r
	}
	cols, err := (&Mapping{ID: "id", Text: "text"}).resolve(recs[0])
	if err != nil {
		t.Fatalf("encoding/csv header %q: %v", recs[0], err)
	}
	for i, rec := range recs[1:] {
		r, ok := stored[starts[i+1]]
		if !ok {
			continue // rejected for its content; checkCoverage saw it listed
		}
		if want, _ := validUTF8(rec[cols.text]); r.Item.Text != want || r.EndLine != ends[i+1] {
			t.Fatalf("line %d: lines %d-%d text %q, encoding/csv lines %d-%d %q", starts[i+1], r.Line, r.EndLine, r.Item.Text, starts[i+1], ends[i+1], want)
		}
	}
}

func jsonBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"id":"1","text":"a","sent_at":"2024-01-01T00:00:00Z"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, limit := range []int{MaxRecordBytes, 32} {
			var rows []Row
			rep, err := within(t, func() (Report, error) {
				return ReadJSONLines(context.Background(), bytes.NewReader(data), "a", func(r Row) error {
					rows = append(rows, r)
					return nil
				}, WithMaxRecordBytes(limit))
			})
			if err != nil {
				t.Fatalf("ReadJSONLines: %v", err)
			}
			checkCounts(t, rep, rows)
			body := bytes.TrimPrefix(data, []byte(bom))
			lines := physicalLines(body)
			// A line over the cap is a rejected record even if it is all spaces.
			blank := func(l int) bool {
				size := len(lines[l-1])
				if l < len(lines) || bytes.HasSuffix(body, []byte("\n")) {
					size++
				}
				return size <= limit && jsonBlank(lines[l-1])
			}
			checkCoverage(t, lines, 0, rep, rows, blank)
			// Every line is one record: blank lines must not be claimed either.
			for _, r := range rows {
				if r.EndLine != r.Line || blank(r.Line) {
					t.Fatalf("row %+v: a JSON record is one non-blank line", r)
				}
			}
			for _, e := range rep.Errors {
				if e.EndLine != e.Line || blank(e.Line) {
					t.Fatalf("rejection %+v: a JSON record is one non-blank line", e)
				}
			}
		}
	})
}
