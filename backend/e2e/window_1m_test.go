//go:build e2e

package e2e

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWindowReadyWith1MMessages starts the built app under Xvfb on a store of
// 1,000,000 synthetic messages (STORMDESK_1M_DB, or generated with `stormdesk
// demo --messages`) and logs how long the process took from start to the
// frontend's first call into Go ("frontend ready") and to a rendered window.
// Those are figures for docs/benchmarks.md, not assertions: the test asserts
// only that the window became ready and rendered.
func TestWindowReadyWith1MMessages(t *testing.T) {
	dir := t.TempDir()
	db := loadStore(t, dir)
	display := startXvfb(t)

	a := startApp(t, display, dir, nil, "--db", db, "--no-demo")
	logs, start := a.logs, a.started

	if !waitFor(90*time.Second, func() bool { return !logs.markedAt().IsZero() }) {
		t.Fatalf("the frontend never called Go; app output:\n%s", logs.String())
	}
	ready := logs.markedAt().Sub(start)
	rendered := waitFor(60*time.Second, func() bool {
		distinct, dominant := colourStats(screenshot(t, display))
		return distinct > 400 && dominant < 0.9
	})
	if !rendered {
		t.Fatalf("window looks blank with the 1M store; app output:\n%s", logs.String())
	}
	t.Logf("1M store: process start → frontend ready %d ms, → rendered window (screenshot poll) %d ms",
		ready.Milliseconds(), time.Since(start).Milliseconds())
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the app logged errors:\n%s", logs.String())
	}
}

// loadStore copies the load-test database into dir and opens it once with
// `stormdesk stats`, so migrations and a cold page cache are not timed.
func loadStore(t *testing.T, dir string) string {
	t.Helper()
	src := os.Getenv("STORMDESK_1M_DB")
	if src == "" {
		src = filepath.Join(t.TempDir(), "load.db")
		n := os.Getenv("STORMDESK_LOAD_MESSAGES")
		if n == "" {
			n = "1000000"
		}
		runLong(t, 10*time.Minute, "demo", "--db", src, "--messages", n)
	}
	db := filepath.Join(dir, "load.db")
	in, err := os.Open(src)
	if err != nil {
		t.Fatalf("load-test store: %v", err)
	}
	defer in.Close()
	out, err := os.Create(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	runLong(t, 5*time.Minute, "stats", "--db", db)
	return db
}

func runLong(t *testing.T, limit time.Duration, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("stormdesk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
