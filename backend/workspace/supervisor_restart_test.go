package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runWS opens a workspace and runs it with no loops of its own, so a test
// starts the loops it looks at.
func runWS(t *testing.T, timing Timing) *Workspace {
	t.Helper()
	ws := openWS(t)
	ws.Timing = timing
	if err := ws.Run(context.Background(), Loops{}); err != nil {
		t.Fatal(err)
	}
	return ws
}

// healthOf returns name's LoopHealth; ok false when it is not listed.
func healthOf(ws *Workspace, name string) (LoopHealth, bool) {
	for _, h := range ws.LoopHealth() {
		if h.Loop == name {
			return h, true
		}
	}
	return LoopHealth{}, false
}

func TestRestartDelay(t *testing.T) {
	custom := Timing{RestartMin: time.Second, RestartMax: 5 * time.Second}
	for _, tc := range []struct {
		name      string
		timing    Timing
		prev, ran time.Duration
		want      time.Duration
	}{
		{"first failure: the default minimum", Timing{}, 0, time.Millisecond, 2 * time.Second},
		{"doubles", Timing{}, 2 * time.Second, time.Millisecond, 4 * time.Second},
		{"stops at the default cap", Timing{}, 4 * time.Minute, time.Second, 5 * time.Minute},
		{"stays at the cap", Timing{}, 5 * time.Minute, time.Second, 5 * time.Minute},
		{"a run that outlasted the cap starts the row again", Timing{}, 5 * time.Minute, 6 * time.Minute, 2 * time.Second},
		{"a run as long as the cap does not", Timing{}, 5 * time.Minute, 5 * time.Minute, 5 * time.Minute},
		{"set timings", custom, 2 * time.Second, 0, 4 * time.Second},
		{"set cap", custom, 4 * time.Second, 0, 5 * time.Second},
		{"set cap outlasted", custom, 5 * time.Second, 6 * time.Second, time.Second},
		{"a minimum above the cap wins", Timing{RestartMin: time.Hour, RestartMax: time.Minute}, time.Hour, 0, time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.timing.restartDelay(tc.prev, tc.ran); got != tc.want {
				t.Errorf("restartDelay(%v, %v) = %v; want %v", tc.prev, tc.ran, got, tc.want)
			}
		})
	}
}

// TestGoLoopRestartsAFailedLoop: a loop that panics or fails on its first
// run is started again and then runs, its failure kept in LoopHealth; one
// that returns nil is done and not started again; Go runs a loop once.
func TestGoLoopRestartsAFailedLoop(t *testing.T) {
	for _, tc := range []struct {
		name    string
		once    bool  // started with Go, not GoLoop
		first   error // what the first run returns; errPanic: it panics
		restart bool
		state   string
		lastErr string
	}{
		{name: "panic", first: errPanic, restart: true, state: LoopRunning, lastErr: "panic: crisis: index out of range [-1]"},
		{name: "error", first: errors.New("sla sweep: database is locked"), restart: true, state: LoopRunning, lastErr: "sla sweep: database is locked"},
		{name: "nil before the context ends", first: nil},
		{name: "Go: panic", once: true, first: errPanic, state: LoopStopped, lastErr: "panic: crisis: index out of range [-1]"},
		{name: "Go: error", once: true, first: errors.New("seed: disk full"), state: LoopStopped, lastErr: "seed: disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := runWS(t, Timing{RestartMin: time.Millisecond})
			var runs atomic.Int32
			second := make(chan struct{})
			loop := func(ctx context.Context) error {
				if runs.Add(1) > 1 {
					close(second)
					<-ctx.Done()
					return ctx.Err()
				}
				if tc.first == errPanic {
					panic("crisis: index out of range [-1]")
				}
				return tc.first
			}
			start := ws.GoLoop
			if tc.once {
				start = ws.Go
			}
			if err := start("crisis", loop); err != nil {
				t.Fatal(err)
			}
			if tc.restart {
				waitSignal(t, second, "ran again")
				if !slices.Contains(ws.Running(), "crisis") {
					t.Errorf("Running() = %v without the restarted loop", ws.Running())
				}
			} else {
				// Once the goroutine is gone, nothing can start the loop again.
				waitFor(t, "the loop to end", func() bool { return !slices.Contains(ws.Running(), "crisis") })
				if n := runs.Load(); n != 1 {
					t.Errorf("ran %d times; want once", n)
				}
			}
			h, listed := healthOf(ws, "crisis")
			if tc.state == "" {
				if listed {
					t.Errorf("a loop that never failed is listed: %+v", h)
				}
				return
			}
			if !listed {
				t.Fatalf("LoopHealth() = %+v without the failed loop", ws.LoopHealth())
			}
			wantRestarts := 0
			if tc.restart {
				wantRestarts = 1
			}
			if h.State != tc.state || h.LastError != tc.lastErr || h.Restarts != wantRestarts || h.RestartAt != nil || h.FailedAt.IsZero() || h.Recovered {
				t.Errorf("health %+v; want state %q, error %q, %d restarts, no restart due, not recovered", h, tc.state, tc.lastErr, wantRestarts)
			}
			if strings.Contains(h.LastError, "goroutine") {
				t.Errorf("the stack reached LoopHealth: %q", h.LastError)
			}
		})
	}
}

// errPanic marks a table case whose loop panics.
var errPanic = errors.New("panics")

// TestGoLoopBackoffGrows: each failure in a row doubles the pause up to the
// cap, and LoopHealth shows the loop waiting with the time it comes back.
// The pauses are held by the test, so no clock decides the outcome.
func TestGoLoopBackoffGrows(t *testing.T) {
	ws := runWS(t, Timing{RestartMin: time.Second, RestartMax: 8 * time.Second})
	type held struct {
		d       time.Duration
		release chan bool
	}
	pauses := make(chan held)
	ws.sup.pause = func(ctx context.Context, d time.Duration) bool {
		h := held{d, make(chan bool)}
		pauses <- h
		return <-h.release
	}
	var runs atomic.Int32
	if err := ws.GoLoop("sla", func(context.Context) error {
		return fmt.Errorf("sweep %d failed", runs.Add(1))
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []time.Duration{1, 2, 4, 8, 8} {
		want *= time.Second
		var p held
		select {
		case p = <-pauses:
		case <-time.After(10 * time.Second):
			t.Fatalf("no pause %d", i+1)
		}
		if p.d != want {
			t.Errorf("pause %d: %v; want %v", i+1, p.d, want)
		}
		h, _ := healthOf(ws, "sla")
		switch {
		case h.State != LoopRestarting || h.Restarts != i:
			t.Errorf("pause %d: state %q after %d restarts; want %q after %d", i+1, h.State, h.Restarts, LoopRestarting, i)
		case h.RestartAt == nil || h.RestartAt.Sub(h.FailedAt) != want:
			t.Errorf("pause %d: failed at %v, restart at %v; want %v later", i+1, h.FailedAt, h.RestartAt, want)
		case h.LastError != fmt.Sprintf("sweep %d failed", i+1):
			t.Errorf("pause %d: last error %q", i+1, h.LastError)
		}
		if !slices.Contains(ws.Running(), "sla") {
			t.Errorf("pause %d: Running() = %v; a loop waiting to restart is still running", i+1, ws.Running())
		}
		p.release <- true
	}
	// The next pause ends as the workspace closes.
	p := <-pauses
	p.release <- false
	waitFor(t, "the loop to end", func() bool { return !slices.Contains(ws.Running(), "sla") })
	if h, _ := healthOf(ws, "sla"); h.State != LoopStopped || h.RestartAt != nil {
		t.Errorf("after a pause cut short: %+v; want stopped, no restart due", h)
	}
	if n := runs.Load(); n != 6 {
		t.Errorf("%d runs; want 6", n)
	}
}

// TestShutdownDuringRestartPause: Shutdown does not wait out a pause before a
// restart (an hour here), and the loop is not started again after.
func TestShutdownDuringRestartPause(t *testing.T) {
	ws := runWS(t, Timing{RestartMin: time.Hour})
	var runs atomic.Int32
	if err := ws.GoLoop("crisis", func(context.Context) error {
		runs.Add(1)
		panic("odd message")
	}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the loop to wait for its restart", func() bool {
		h, _ := healthOf(ws, "crisis")
		return h.State == LoopRestarting
	})
	if got := ws.Running(); strings.Join(got, ",") != "crisis" {
		t.Errorf("Running() = %v during the pause; want [crisis]", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ws.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown during the pause: %v", err)
	}
	if got := ws.Running(); len(got) != 0 {
		t.Errorf("still running after Shutdown: %v", got)
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("ran %d times; want once", n)
	}
	if h, _ := healthOf(ws, "crisis"); h.State != LoopStopped || h.RestartAt != nil || h.LastError != "panic: odd message" {
		t.Errorf("after Shutdown: %+v", h)
	}
	if err := ws.GoLoop("late", func(context.Context) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("GoLoop after Shutdown: %v; want ErrClosed", err)
	}
}

// TestLoopHealthRecovery: a restarted loop counts as recovered once its run
// has outlasted RestartMax, and its last failure stays listed.
func TestLoopHealthRecovery(t *testing.T) {
	for _, tc := range []struct {
		name      string
		max       time.Duration
		recovered bool
	}{
		{"run shorter than the cap", time.Hour, false},
		{"run longer than the cap", time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := runWS(t, Timing{RestartMin: time.Millisecond, RestartMax: tc.max})
			var runs atomic.Int32
			again := make(chan struct{})
			if err := ws.GoLoop("snooze", func(ctx context.Context) error {
				if runs.Add(1) == 1 {
					return errors.New("snooze: store closed")
				}
				close(again)
				<-ctx.Done()
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			waitSignal(t, again, "ran again")
			if tc.recovered {
				waitFor(t, "the loop to count as recovered", func() bool {
					h, _ := healthOf(ws, "snooze")
					return h.Recovered
				})
			}
			h, _ := healthOf(ws, "snooze")
			if h.State != LoopRunning || h.Recovered != tc.recovered || h.LastError != "snooze: store closed" || h.Restarts != 1 {
				t.Errorf("health %+v; want running, recovered %v, the last error kept, 1 restart", h, tc.recovered)
			}
		})
	}
}

func TestShortLoopError(t *testing.T) {
	long := strings.Repeat("ж", maxLoopError)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"as it is", errors.New("sla: database is locked"), "sla: database is locked"},
		{"panic", loopPanic{fmt.Errorf("boom")}, "panic: boom"},
		{"URL query removed", errors.New(`Get "https://api.example/search?key=AIzaSECRET&q=x": EOF`), `Get "https://api.example/search?…": EOF`},
		{"cut on a rune", errors.New(long), long[:maxLoopError] + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := shortLoopError(tc.err); got != tc.want {
				t.Errorf("shortLoopError = %q; want %q", got, tc.want)
			}
		})
	}
}

// TestRunRestartsPanickedLoops: the SLA sweep and the crisis monitor, as Run
// starts them, come back after a panic (a crisis monitor that stopped on one
// odd message stopped crisis detection until the app restarted).
func TestRunRestartsPanickedLoops(t *testing.T) {
	ws := openWS(t)
	ws.Timing = Timing{RestartMin: time.Millisecond}
	var sweeps atomic.Int32
	swept := make(chan struct{}, 1)
	sweep := &SLASweep{Every: time.Hour, recompute: func(ctx context.Context, now time.Time) (int, error) {
		if sweeps.Add(1) == 1 {
			panic("sla: nil policy")
		}
		signal(swept)
		return 0, nil
	}}
	m := ws.NewCrisisMonitor(nil)
	var clock atomic.Int32
	m.now = func() time.Time {
		if clock.Add(1) == 1 {
			panic("crisis: index out of range [-1]")
		}
		return time.Now()
	}
	if err := ws.Run(context.Background(), Loops{SLA: sweep, Crisis: m}); err != nil {
		t.Fatal(err)
	}
	waitSignal(t, swept, "swept after the panic")
	waitFor(t, "the crisis monitor to replay after the panic", m.Ready)
	for _, name := range []string{"crisis", "sla"} {
		h, _ := healthOf(ws, name)
		if h.Restarts != 1 || h.State != LoopRunning || !strings.HasPrefix(h.LastError, "panic: ") {
			t.Errorf("%s: %+v; want running after 1 restart, the panic kept", name, h)
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
}
