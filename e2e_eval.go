//go:build e2e

package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/workspace"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// windowEval exists only in binaries built with the e2e tag, never in the shipped
// one. Window tests need to run scripts in the real WebKitGTK page (axe-core, which
// the browser tests run in Chromium) and WebKitGTK offers no remote protocol without
// developer extras; so the window runs each *.js file the test drops into
// $STORMDESK_E2E_EVAL_DIR, in name order, and deletes it. A script reports back
// through the Wails runtime's log (window.runtime.LogError), which prints to stdout.
func windowEval(log *slog.Logger) func(ctx context.Context) {
	dir := os.Getenv("STORMDESK_E2E_EVAL_DIR")
	if dir == "" {
		return nil
	}
	var once sync.Once
	return func(ctx context.Context) {
		// DOM ready fires again after a reload; one poller serves every page.
		once.Do(func() { go runDroppedScripts(ctx, log, dir) })
	}
}

// runDroppedScripts polls dir until ctx ends.
func runDroppedScripts(ctx context.Context, log *slog.Logger, dir string) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			log.Warn("e2e scripts", "dir", dir, "err", err)
			continue
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			// The test writes name.js.tmp and renames it: a file is whole when it has its name.
			if strings.HasSuffix(e.Name(), ".js") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			path := filepath.Join(dir, n)
			src, err := os.ReadFile(path)
			if err == nil {
				err = os.Remove(path)
			}
			if err != nil {
				log.Warn("e2e script", "file", n, "err", err)
				continue
			}
			runtime.WindowExecJS(ctx, string(src))
			log.Info("e2e script run", "file", n)
		}
	}
}

// failLoops starts, beside the workspace's own loops, one loop under each name
// in $STORMDESK_E2E_FAIL_LOOPS (comma-separated) that panics every time it
// runs, so a window test can see how the page reports a failed background
// loop: nothing else makes one fail on demand. Each is started as the real
// loop of that name is, so "sync" and "seed" (run once) stay stopped and the
// others are restarted after the supervisor's pauses (2 s, doubling).
func failLoops(ws *workspace.Workspace, log *slog.Logger) {
	names := os.Getenv("STORMDESK_E2E_FAIL_LOOPS")
	if names == "" {
		return
	}
	for _, name := range strings.Split(names, ",") {
		name = strings.TrimSpace(name)
		fail := func(context.Context) error { panic("e2e: " + name + " made to fail") }
		start := ws.GoLoop
		if name == "sync" || name == "seed" {
			start = ws.Go
		}
		if err := start(name, fail); err != nil {
			log.Warn("e2e failing loop", "loop", name, "err", err)
		}
	}
}
