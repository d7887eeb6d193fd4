package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEvalDetectPrintsBothTables runs the injection benchmark on eight days
// of steady traffic: five-fold bursts on it are plain, so both the detector
// and the oracle must catch every one within three hours.
func TestEvalDetectPrintsBothTables(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var csv strings.Builder
	csv.WriteString("id,time,brand,label,text\n")
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := range 8 * 24 * 20 {
		at := start.Add(time.Duration(i)*3*time.Minute + time.Duration(r.IntN(180))*time.Second)
		label, text := "neutral", "when does the shop open"
		if r.IntN(4) == 0 {
			label, text = "negative", fmt.Sprintf("parcel %d late again", r.IntN(100))
		}
		fmt.Fprintf(&csv, "%d,%s,acme,%s,%s\n", i+1, at.Format(time.RFC3339), label, text)
	}
	path := filepath.Join(t.TempDir(), "stream.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb}, []string{"eval", "detect", path,
		"--time-column", "time", "--account-column", "brand", "--sentiment-column", "label",
		"--factors", "5", "--trials", "4", "--seed", "3"})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []string{"4 bursts per factor, seed 3", "| × 5 | Stormdesk |", "|  | oracle |", "Alerts on the clean series"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.Contains(line, "Stormdesk |") || strings.Contains(line, "oracle |") {
			if cells := strings.Split(line, "|"); len(cells) < 7 || strings.TrimSpace(cells[5]) != "4 / 4" {
				t.Errorf("not every ×5 burst caught within 3 h: %s", line)
			}
		}
	}
}

func TestEvalDetectRejectsBadFactors(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb}, []string{"eval", "detect", "x.csv", "--factors", "3,1"})
	if code != ExitUsage || !strings.Contains(errb.String(), "not a number above 1") {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
}

// TestEvalDetectSaysWhenTheFileCannotCarryIt: a file spanning less than twice
// the learning period is refused with why (the bursts go into its second
// half); a brand whose messages begin too late for its bursts is named.
func TestEvalDetectSaysWhenTheFileCannotCarryIt(t *testing.T) {
	write := func(rows func(*strings.Builder)) string {
		var csv strings.Builder
		csv.WriteString("id,time,brand,label,text\n")
		rows(&csv)
		path := filepath.Join(t.TempDir(), "stream.csv")
		if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	run := func(path string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb}, []string{"eval", "detect", path,
			"--time-column", "time", "--account-column", "brand", "--sentiment-column", "label", "--factors", "5", "--trials", "2"})
		return code, out.String(), errb.String()
	}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

	short := write(func(b *strings.Builder) {
		for i := range 40 {
			fmt.Fprintf(b, "%d,%s,acme,negative,parcel late\n", i+1, start.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
		}
	})
	code, out, errOut := run(short)
	if code != ExitFailure || out != "" || !strings.Contains(errOut, "the messages span 39 h") || !strings.Contains(errOut, "needs at least 3 days") {
		t.Errorf("a 39-hour file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	late := write(func(b *strings.Builder) {
		for i := range 8 * 24 {
			at := start.Add(time.Duration(i) * time.Hour)
			fmt.Fprintf(b, "a%d,%s,acme,negative,parcel late\n", i, at.Format(time.RFC3339))
			if i >= 5*24 {
				fmt.Fprintf(b, "b%d,%s,newco,negative,app broken\n", i, at.Format(time.RFC3339))
			}
			if i%24 == 0 {
				fmt.Fprintf(b, "c%d,%s,kind,positive,thanks\n", i, at.Format(time.RFC3339))
			}
		}
	})
	code, out, errOut = run(late)
	if code != ExitOK || !strings.Contains(out, "| × 5 | Stormdesk |") {
		t.Fatalf("an 8-day file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, want := range []string{"note: newco: its messages begin at 2026-03-07T00:00:00Z", "note: kind: no negative messages"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "acme") {
		t.Errorf("a brand with history all along is noted:\n%s", errOut)
	}
}
