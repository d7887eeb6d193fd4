package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDetectFindsInjectedBurst replays five quiet days and one outage hour
// through the command and expects exactly that hour to be reported.
func TestDetectFindsInjectedBurst(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("id,time,brand,label,text\n")
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	id := 0
	row := func(at time.Time, label, text string) {
		id++
		fmt.Fprintf(&csv, "%d,%s,acme,%s,%s\n", id, at.Format(time.RFC3339), label, text)
	}
	for h := 0; h < 5*24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		row(at.Add(10*time.Minute), "neutral", "when does the shop open")
		if h%3 == 0 {
			row(at.Add(20*time.Minute), "negative", "parcel late again")
		}
	}
	burst := start.Add(5*24*time.Hour + 14*time.Hour)
	for i := 0; i < 30; i++ {
		row(burst.Add(time.Duration(i)*time.Minute), "negative", "router outage no internet since morning")
	}
	got, _ := detectCSV(t, csv.String())
	if !strings.Contains(got, "1 alerts in") || !strings.Contains(got, "acme/import "+burst.Format("2006-01-02")) {
		t.Fatalf("output:\n%s", got)
	}
	if !strings.Contains(got, "outage") {
		t.Errorf("top terms miss the burst's word:\n%s", got)
	}
}

// TestDetectLeavesOutUndatedRows: rows whose time cannot be read would all land on the
// replay's clock at once; they are counted and left out, and alone they raise no alert.
// So are rows dated before 1900 or from 2200 on.
func TestDetectLeavesOutUndatedRows(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("id,time,brand,label,text\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&csv, "%d,not a time,acme,negative,router outage\n", i+1)
	}
	fmt.Fprintf(&csv, "41,2026-03-02T10:00:00Z,acme,neutral,hello\n")
	// A broken clock's dates are left out too; a real date before 1970 is kept
	// (the detector once crashed on it).
	fmt.Fprintf(&csv, "42,1850-01-01T10:00:00Z,acme,negative,router outage\n")
	fmt.Fprintf(&csv, "43,2500-01-01T10:00:00Z,acme,negative,router outage\n")
	fmt.Fprintf(&csv, "44,1965-03-01T10:20:00Z,acme,negative,router outage\n")
	out, errOut := detectCSV(t, csv.String())
	if !strings.Contains(out, "0 alerts in 2 messages (1965-03-01T10:20:00Z to 2026-03-02T10:00:00Z)") {
		t.Errorf("stdout:\n%s", out)
	}
	if !strings.Contains(errOut, "42 rows without a usable time (none, unreadable, before 1900 or from 2200 on) were left out") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// detectCSV replays csv (columns id,time,brand,label,text) through the
// command and returns what it printed; any exit but 0 fails the test.
func detectCSV(t *testing.T, csv string) (stdout, stderr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stream.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb},
		[]string{"detect", path, "--time-column", "time", "--account-column", "brand", "--sentiment-column", "label"})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	return out.String(), errb.String()
}
