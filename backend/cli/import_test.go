package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestImportKeepsRowsAfterUnterminatedQuote is the reported case: a 101-line
// CSV whose quote on line 11 never closes used to lose the 90 rows after it.
func TestImportKeepsRowsAfterUnterminatedQuote(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,brand,time,text\n")
	for i := 1; i <= 9; i++ { // lines 2-10
		fmt.Fprintf(&b, "r%d,Acme,2026-01-02 10:%02d:00,row %d\n", i, i, i)
	}
	b.WriteString("r10,Acme,2026-01-02 11:00:00,\"the quote never closes\nsecond line\nthird line\nfourth line\n") // lines 11-14
	for i := 11; i <= 97; i++ {                                                                                    // lines 15-101
		fmt.Fprintf(&b, "r%d,Acme,2026-01-02 12:%02d:00,row %d\n", i, i%60, i)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "tweets.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "import", path, "--db", filepath.Join(dir, "x.db"), "--account-column", "brand", "--time-column", "time")
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, ExitPartial, out, errOut)
	}
	if !strings.Contains(out, "97 rows read, 96 new messages") {
		t.Errorf("stdout %q, want 97 rows read and 96 new messages", out)
	}
	if !strings.Contains(errOut, "1 row was not imported:\n  lines 11–14: unterminated quote") {
		t.Errorf("stderr %q, want the span of lines 11–14", errOut)
	}
}

func TestImportReportCountsAndExitCode(t *testing.T) {
	manyErrors := make([]fileimport.RowError, fileimport.MaxReportedErrors)
	for i := range manyErrors {
		manyErrors[i] = fileimport.RowError{Line: i + 2, EndLine: i + 2, Reason: "wrong number of fields"}
	}
	badTime := fileimport.RowError{Line: 7, EndLine: 7, Reason: `time "32/13/2015" not understood; stored with the import time, flagged suspicious-date`}
	tests := []struct {
		name    string
		res     workspace.ImportResult
		code    int
		want    []string
		notWant []string
		lines   int // of stderr; -1: not checked
	}{
		{
			name: "a million rejected rows are counted, a hundred listed",
			res:  workspace.ImportResult{Rows: 1_000_002, Imported: 1, Skipped: 1_000_001, SkippedRows: manyErrors[:workspace.MaxListedProblems]},
			code: ExitPartial,
			want: []string{"1000001 rows were not imported:\n  line 2: wrong number", "  line 101: wrong", "  … and 999901 more\n"},
			// the count line, 100 rows and the rest line
			lines: 102,
		},
		{
			name:    "warnings alone do not make it partial",
			res:     workspace.ImportResult{Rows: 3, Imported: 3, Warned: 1, Warnings: []fileimport.RowError{badTime}},
			code:    ExitOK,
			want:    []string{"1 row was stored with a warning:\n  " + `line 7: time "32/13/2015" not understood; stored with the import time, flagged suspicious-date`},
			notWant: []string{"not imported"},
			lines:   2,
		},
		{
			name: "spans and ingest rejections",
			res: workspace.ImportResult{Rows: 3, Imported: 1, Skipped: 2, SkippedRows: []fileimport.RowError{
				{Line: 11, EndLine: 14, Reason: "unterminated quote"}, {Line: 9, EndLine: 9, Reason: "no time"}}},
			code:  ExitPartial,
			want:  []string{"2 rows were not imported:\n  lines 11–14: unterminated quote\n  line 9: no time\n"},
			lines: 3,
		},
		{name: "clean", res: workspace.ImportResult{Rows: 2, Imported: 2}, code: ExitOK, lines: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			printImportReport(Env{Stdout: &out, Stderr: &errOut}, "f.csv", tt.res)
			if code := importExitCode(tt.res); code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, errOut.String())
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(errOut.String(), w) {
					t.Errorf("stderr contains %q:\n%s", w, errOut.String())
				}
			}
			if n := strings.Count(errOut.String(), "\n"); n != tt.lines {
				t.Errorf("stderr has %d lines, want %d:\n%s", n, tt.lines, errOut.String())
			}
		})
	}
}

func TestImportHelpNamesExitCodes(t *testing.T) {
	_, errOut, code := run(t, "", "import", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"Exit codes:", "0  done", "3  done, but some rows were not imported", "warnings do not count"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("help does not say %q:\n%s", w, errOut)
		}
	}
}

// TestImportStoresRowsWithBadTimes: a time that cannot be read is a warning,
// not a rejection, and does not make the exit code 3.
func TestImportStoresRowsWithBadTimes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dates.csv")
	in := "id,time,text\n1,2026-01-02 10:00:00,fine\n2,,no time\n3,32/13/2015,bad time\n"
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "import", path, "--db", filepath.Join(dir, "x.db"), "--time-column", "time")
	if code != ExitOK {
		t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, ExitOK, out, errOut)
	}
	if !strings.Contains(out, "3 new messages") {
		t.Errorf("stdout %q, want 3 new messages", out)
	}
	want := "1 row was stored with a warning:\n  line 4: time \"32/13/2015\" not understood; stored with the import time, flagged suspicious-date\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
}

// TestImportHistory: rows older than the SLA history horizon are stored as
// history (no clock, no "Overdue 4,298d"), recent rows get a clock, and
// --historical makes the whole file history.
func TestImportHistory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tweets.csv")
	recent := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	in := "id,time,text\nold,2015-02-24T11:35:52Z,@united where is my bag\nnew," + recent + ",@united still no bag\n"
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	states := func(db string) map[string]string {
		t.Helper()
		raw, err := sql.Open("sqlite3", db)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		rows, err := raw.Query(`SELECT m.external_id, c.sla_state, c.sla_due_at IS NOT NULL, c.history_until IS NOT NULL
			FROM messages m JOIN conversations c ON c.id = m.conversation_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var id, state string
			var due, history bool
			if err := rows.Scan(&id, &state, &due, &history); err != nil {
				t.Fatal(err)
			}
			got[id] = fmt.Sprintf("%s due=%t history=%t", state, due, history)
		}
		return got
	}
	tests := []struct {
		name  string
		flags []string
		want  map[string]string
	}{
		{"by the horizon", nil, map[string]string{"old": "historical due=false history=true", "new": "clock"}},
		{"--historical", []string{"--historical"}, map[string]string{"old": "historical due=false history=true", "new": "historical due=false history=true"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(dir, fmt.Sprintf("%d.db", i))
			args := append([]string{"import", path, "--db", db, "--time-column", "time"}, tt.flags...)
			if out, errOut, code := run(t, "", args...); code != ExitOK {
				t.Fatalf("exit %d: %s %s", code, out, errOut)
			}
			got := states(db)
			for id, want := range tt.want {
				if want == "clock" { // a running clock: any live state with a deadline
					if s := got[id]; !strings.HasSuffix(s, "due=true history=false") || strings.HasPrefix(s, "historical") {
						t.Errorf("%s: %q, want a running clock", id, s)
					}
					continue
				}
				if got[id] != want {
					t.Errorf("%s: %q, want %q", id, got[id], want)
				}
			}
		})
	}
}
