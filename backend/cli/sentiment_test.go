package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func runCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb}, args)
	return out.String() + errb.String(), code
}

// writeResearchModel writes a small model whose provenance names a
// non-commercial source, as `cmd/train --research` does.
func writeResearchModel(t *testing.T, dir string) string {
	t.Helper()
	var ex []sentiment.Example
	for i := 0; i < 10; i++ {
		ex = append(ex,
			sentiment.Example{Text: "awful delay", Label: inbox.SentimentNegative},
			sentiment.Example{Text: "what time", Label: inbox.SentimentNeutral},
			sentiment.Example{Text: "great crew", Label: inbox.SentimentPositive})
	}
	m, err := sentiment.Train(ex, sentiment.TrainOptions{Bits: 12, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := sentiment.Provenance{Name: "research model", Sources: []sentiment.Source{sentiment.SourceAirline}}
	p.Licence = p.DerivedLicence()
	m.SetProvenance(p)
	path := filepath.Join(dir, "research.bin.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSentimentImportInfoReset(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	model := writeResearchModel(t, dir)

	out, code := runCLI(t, "sentiment", "info", "--db", db)
	if code != ExitOK || !strings.Contains(out, "in use: shipped model") || !strings.Contains(out, "licence: commercial use allowed") || !strings.Contains(out, "features: version 1\n") ||
		!strings.Contains(out, "GoEmotions") || strings.Contains(out, "NON-COMMERCIAL") {
		t.Fatalf("info (exit %d):\n%s", code, out)
	}

	out, code = runCLI(t, "sentiment", "import", filepath.Join(dir, "missing.bin.gz"), "--db", db)
	if code != ExitFailure || !strings.Contains(out, "missing.bin.gz") {
		t.Fatalf("import of a missing file (exit %d):\n%s", code, out)
	}

	out, code = runCLI(t, "sentiment", "import", model, "--db", db)
	if code != ExitOK || !strings.Contains(out, "in use: imported model") || !strings.Contains(out, "model:   research model") ||
		!strings.Contains(out, "NON-COMMERCIAL") || !strings.Contains(out, "WARNING: this model may not be used commercially") {
		t.Fatalf("import (exit %d):\n%s", code, out)
	}
	// The import persists: a new process reads it from the database.
	if out, _ = runCLI(t, "sentiment", "info", "--db", db); !strings.Contains(out, "in use: imported model") {
		t.Fatalf("info after import:\n%s", out)
	}

	out, code = runCLI(t, "sentiment", "reset", "--db", db)
	if code != ExitOK || !strings.Contains(out, "in use: shipped model") || strings.Contains(out, "WARNING") {
		t.Fatalf("reset (exit %d):\n%s", code, out)
	}
	if _, code = runCLI(t, "sentiment", "import", "--db", db); code != ExitUsage {
		t.Errorf("import without FILE: exit %d, want usage", code)
	}
}

func TestEvalSentimentReportsRecordedFiguresAndCompares(t *testing.T) {
	dir := t.TempDir()
	out, code := runCLI(t, "eval", "sentiment")
	if code != ExitOK || !strings.Contains(out, "held-out figures recorded") || !strings.Contains(out, "en airline (time split") {
		t.Fatalf("eval sentiment (exit %d):\n%s", code, out)
	}
	csv := filepath.Join(dir, "labels.csv")
	if err := os.WriteFile(csv, []byte("text,label\nawful delay,negative\ngreat crew,positive\nwhat time,neutral\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = runCLI(t, "eval", "sentiment", csv, "--compare", writeResearchModel(t, dir))
	if code != ExitOK || strings.Count(out, "on "+csv+":") != 2 || !strings.Contains(out, "model:   research model") ||
		!strings.Contains(out, "n=3 ") {
		t.Fatalf("eval --compare (exit %d):\n%s", code, out)
	}
	// The small model learnt exactly these three texts: its report must say so.
	if !strings.Contains(out[strings.Index(out, "model:   research model"):], "accuracy=1.000") {
		t.Errorf("research model's report is not its own:\n%s", out)
	}
	if _, code = runCLI(t, "eval", "sentiment", "--compare", "x.bin.gz"); code != ExitUsage {
		t.Errorf("--compare without FILE: exit %d, want usage", code)
	}
}
