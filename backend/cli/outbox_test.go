package cli

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOutboxRun covers the command line of `outbox run` and that it runs the
// outbox with the given timing until its context ends, then exits cleanly.
func TestOutboxRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sd.db")
	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   string // in the command's own output
		log      string // in its log
		runUntil time.Duration
	}{
		{name: "no subcommand", args: []string{"outbox"}, code: ExitUsage, stderr: "Usage: stormdesk outbox run"},
		{name: "unknown subcommand", args: []string{"outbox", "send"}, code: ExitUsage, stderr: "Usage: stormdesk outbox run"},
		{name: "stray argument", args: []string{"outbox", "run", "--db", db, "extra"}, code: ExitUsage, stderr: `unexpected argument "extra"`},
		{name: "negative lease", args: []string{"outbox", "run", "--db", db, "--lease", "-1s"}, code: ExitUsage, stderr: "must not be negative"},
		{name: "bad interval", args: []string{"outbox", "run", "--db", db, "--interval", "soon"}, code: ExitUsage, stderr: "invalid value"},
		{name: "runs until stopped", args: []string{"outbox", "run", "--db", db, "--lease", "2s", "--interval", "50ms"}, code: ExitOK,
			log: "msg=\"outbox running\" db=" + db + " lease=2s interval=50ms", runUntil: 300 * time.Millisecond},
		{name: "default timing", args: []string{"outbox", "run", "--db", db}, code: ExitOK,
			log: "lease=5m0s interval=10s", runUntil: 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.runUntil > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.runUntil)
				defer cancel()
			}
			var out, errb, logs bytes.Buffer
			env := Env{Stdout: &out, Stderr: &errb, Log: slog.New(slog.NewTextHandler(&logs, nil))}
			code := Run(ctx, env, tc.args)
			if code != tc.code || !strings.Contains(errb.String(), tc.stderr) || !strings.Contains(logs.String(), tc.log) {
				t.Fatalf("exit %d, stderr %q, log %q; want exit %d, stderr with %q, log with %q", code, errb.String(), logs.String(), tc.code, tc.stderr, tc.log)
			}
			// Asked of the context, not of a clock read after it was made:
			// that clock started later than the deadline's and once saw
			// 99.8 ms of a 100 ms run.
			if tc.runUntil > 0 && ctx.Err() == nil {
				t.Fatalf("returned before its context ended (%v)", tc.runUntil)
			}
		})
	}
}
