package workspace

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/listening/poll"
	"github.com/stormdesk/stormdesk/backend/store"
)

// ErrClosed is returned by Run, Go and Syncer.Start once the workspace is
// closing: a loop started then could outlive the database.
var ErrClosed = errors.New("workspace: closed")

// Loops names the background loops Run starts; a nil field leaves that loop out.
type Loops struct {
	// Sync keeps every configured account in sync; accounts that cannot be
	// opened are logged and skipped, as a manual Start would report them.
	Sync *Syncer
	// Outbox sends the composer's approved replies.
	Outbox *Composer
	// SLA moves SLA states as time passes.
	SLA *SLASweep
	// Crisis follows stored messages with the spike detector.
	Crisis *CrisisMonitor
	// Classify is the optional LLM sentiment pass.
	Classify *ClassifyWorker
	// Snooze brings snoozed conversations back when their time comes.
	Snooze *SnoozeWaker
	// Presence ends presence whose heartbeats stopped and, on the team
	// server, hands out new conversations in turn (presence.go).
	Presence *PresenceSweep
	// Listening polls the listening sources (backend/listening/poll); on the
	// team server each source is polled by one instance at a time.
	Listening *poll.Poller
	// Forward sends listening alerts held in quiet hours and the daily
	// digests (forward.go). It runs on every instance, not as leader: alerts
	// held in quiet hours live in the memory of the instance that got them,
	// and the ledger in the settings table sends each digest once per team.
	Forward *Forwarder
	// Seed, if set, runs first (demo data). The crisis monitor starts only
	// after it, so a seeded burst is replayed as history instead of being
	// announced as a new alert. A failed seed is logged; the monitor still starts.
	Seed func(ctx context.Context) error
}

// SLASweep configures the SLA loop.
type SLASweep struct {
	// Every is the pause between sweeps; default one minute.
	Every time.Duration
	// FullEvery is the pause between sweeps of every open conversation (the
	// others read only those whose warning or due time passed); default ten
	// minutes. The first sweep is a full one.
	FullEvery time.Duration
	// OnChange, if set, hears of each sweep that changed rows.
	OnChange func(changed int)

	// recompute replaces Store.RecomputeSLA and Store.RecomputeSLADue in
	// tests, to hold a sweep open while the workspace closes.
	recompute func(ctx context.Context, now time.Time) (int, error)
}

// shutdownNotice is how long Shutdown waits before it logs which loops it is
// still waiting for, so a hung exit names its culprit.
const shutdownNotice = 5 * time.Second

// supervisor owns the background goroutines of one workspace: each runs
// under one context that Shutdown cancels, is counted in one WaitGroup that
// Shutdown waits on before the store closes, and has its panics logged
// instead of taking the window down. Loops started with GoLoop are started
// again after a failure (restartLoop), and every failure is kept in health
// for LoopHealth.
type supervisor struct {
	mu      sync.Mutex
	ctx     context.Context // nil until Run
	cancel  context.CancelFunc
	closing bool
	running map[string]int // loop name -> goroutines, for logs and tests
	wg      sync.WaitGroup
	health  map[string]*loopRecord // loops that failed since Run, by name

	// pause waits d before a restart and reports false when ctx ended
	// first; nil waits on a timer. Tests hold a restart here to look at it.
	pause func(ctx context.Context, d time.Duration) bool

	closeOnce sync.Once
	closeErr  error
}

// Run starts the given background loops under one context derived from ctx
// and returns at once. Close (or Shutdown) cancels them and waits for every
// one to return before the database closes. Run may be called once.
func (w *Workspace) Run(ctx context.Context, loops Loops) error {
	s := &w.sup
	s.mu.Lock()
	switch {
	case s.closing:
		s.mu.Unlock()
		return ErrClosed
	case s.ctx != nil:
		s.mu.Unlock()
		return errors.New("workspace: Run called twice")
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.mu.Unlock()
	w.Store.SetLockCheck(w.Timing.LockCheck)

	seeded := make(chan struct{})
	if loops.Seed == nil {
		close(seeded)
	} else {
		w.goOrLog("seed", func(ctx context.Context) error {
			// Closed even when Seed panics: the deferred close runs before recover.
			defer close(seeded)
			// Instances started together take turns: the first seeds, the
			// others find accounts and store nothing.
			return w.asLeader(ctx, "seed", true, loops.Seed)
		})
	}
	if sy := loops.Sync; sy != nil {
		// The scheduler's loops run on their own goroutines. One "sync"
		// starts them and ends; this one stays to stop them at shutdown, so
		// the WaitGroup covers them too, even when starting panicked halfway.
		// Starting is not restarted: each Start replaces an account's running
		// loop, so a start failing again and again would keep cutting off the
		// accounts started before it.
		w.goOrLog("sync", func(ctx context.Context) error {
			<-ctx.Done()
			sy.Stop()
			return nil
		})
		w.goOrLog("sync", func(ctx context.Context) error {
			for _, err := range sy.StartAll(ctx) {
				w.Log.Warn("background sync not started", "err", err)
			}
			return nil
		})
	}
	if c := loops.Outbox; c != nil {
		w.goLoopOrLog("outbox", c.RunOutbox)
	}
	if sw := loops.SLA; sw != nil {
		w.goLoopOrLog("sla", func(ctx context.Context) error {
			full, due := sw.recompute, sw.recompute
			if full == nil {
				full, due = w.Store.RecomputeSLA, w.Store.RecomputeSLADue
			}
			return w.asLeader(ctx, "sla", false, func(ctx context.Context) error {
				w.runSLASweep(ctx, sw.Every, sw.FullEvery, full, due, sw.OnChange)
				return nil
			})
		})
	}
	if m := loops.Crisis; m != nil {
		w.goLoopOrLog("crisis", func(ctx context.Context) error {
			select {
			case <-seeded:
			case <-ctx.Done():
				return nil
			}
			return w.asLeader(ctx, "crisis", false, m.Run)
		})
	}
	if c := loops.Classify; c != nil {
		w.goLoopOrLog("classify", func(ctx context.Context) error {
			return w.asLeader(ctx, "classify", false, func(ctx context.Context) error {
				c.Run(ctx)
				return nil
			})
		})
	}
	if sw := loops.Snooze; sw != nil {
		w.goLoopOrLog("snooze", func(ctx context.Context) error {
			return w.asLeader(ctx, "snooze", false, func(ctx context.Context) error {
				w.runSnoozeWaker(ctx, sw)
				return nil
			})
		})
	}
	if lp := loops.Listening; lp != nil {
		w.goLoopOrLog("listening", lp.Run)
	}
	if f := loops.Forward; f != nil {
		w.goLoopOrLog("forward", f.Run)
	}
	if ps := loops.Presence; ps != nil {
		w.goLoopOrLog("presence", func(ctx context.Context) error {
			return w.asLeader(ctx, "presence", false, func(ctx context.Context) error {
				w.runPresenceSweep(ctx, ps)
				return nil
			})
		})
	}
	return nil
}

// asLeader runs fn while this instance holds the loop's lock (a PostgreSQL
// advisory lock named after the loop; always granted on SQLite), so of
// several server instances on one database one runs the loop at a time: the
// SLA sweep, the crisis monitor (its alerts would be announced once per
// instance), the classification worker (each message would be paid for
// twice), the snooze waker and the demo seed. An instance without the lock
// tries again every Timing.LockRetry, so when the holder dies another takes
// over. A lost lock (its connection failed) cancels fn, and the lock is
// sought again. With once, fn runs one time (the seed) and asLeader returns
// its result; otherwise fn runs until ctx ends, or returns the error that
// ended it. A panic in fn gives the lock back and goes on to the supervisor,
// which restarts the loop (GoLoop).
func (w *Workspace) asLeader(ctx context.Context, name string, once bool, fn func(ctx context.Context) error) error {
	retry := w.Timing.lockRetry()
	waiting := false
	for {
		lock, ok, err := w.Store.TryLockLoop(ctx, name)
		switch {
		case err != nil && ctx.Err() == nil:
			w.Log.Warn("loop lock: cannot ask for it; trying again", "loop", name, "err", err, "retry_in", retry)
		case ok:
			w.Log.Info("loop lock taken: this instance runs the loop", "loop", name)
			lost, err := w.lead(ctx, name, lock, fn)
			if ctx.Err() != nil {
				return nil
			}
			if !lost && (once || err != nil) {
				return err
			}
		case err == nil && !waiting:
			w.Log.Info("loop lock held by another instance: waiting to take over", "loop", name, "retry_in", retry)
			waiting = true
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retry):
		}
	}
}

// lead runs fn while this instance holds lock and reports whether fn ended
// because the lock was lost. The lock is released even when fn panics: a
// restarted loop (or another instance) must be able to take it again.
func (w *Workspace) lead(ctx context.Context, name string, lock *store.Lock, fn func(ctx context.Context) error) (lost bool, err error) {
	lctx, cancel := context.WithCancel(ctx)
	defer lock.Release()
	defer cancel() // before Release: fn's context ends first, as the lock goes
	go func() {
		select {
		case <-lock.Lost():
			w.Log.Warn("loop lock lost: the loop stops until it is taken again", "loop", name)
			cancel()
		case <-lctx.Done():
		}
	}()
	err = fn(lctx)
	return lctx.Err() != nil && ctx.Err() == nil, err
}

// goOrLog is Go for Run's own loops: Run holds no lock here, so Close may
// have begun meanwhile, and then there is nothing to start.
func (w *Workspace) goOrLog(name string, fn func(ctx context.Context) error) {
	if err := w.Go(name, fn); err != nil {
		w.Log.Debug("background loop not started", "loop", name, "err", err)
	}
}

// goLoopOrLog is goOrLog for loops that GoLoop restarts.
func (w *Workspace) goLoopOrLog(name string, fn func(ctx context.Context) error) {
	if err := w.GoLoop(name, fn); err != nil {
		w.Log.Debug("background loop not started", "loop", name, "err", err)
	}
}

// Go runs fn once on its own goroutine under the workspace's supervision:
// with the context Run set up, waited for by Close, its panic logged. An
// error fn returns before the context ends, or its panic, is logged with
// name and kept for LoopHealth as stopped. Go fails before Run and once
// Close has begun. For a loop that should come back after a failure, use
// GoLoop.
func (w *Workspace) Go(name string, fn func(ctx context.Context) error) error {
	return w.start(name, false, fn)
}

// GoLoop is Go for a loop meant to run until the workspace closes: when fn
// panics or returns an error before then, it is started again after a
// pause (Timing.RestartMin, doubling with each failure in a row up to
// Timing.RestartMax; a run that outlasted RestartMax ends the row). The
// pause ends early when the workspace closes, and then nothing restarts.
// fn returning nil before the context ends means the loop is done.
func (w *Workspace) GoLoop(name string, fn func(ctx context.Context) error) error {
	return w.start(name, true, fn)
}

func (w *Workspace) start(name string, restart bool, fn func(ctx context.Context) error) error {
	s := &w.sup
	s.mu.Lock()
	defer s.mu.Unlock()
	// Add happens under the same lock that marks closing, so Shutdown's
	// Wait never races a late Add.
	if s.closing {
		return fmt.Errorf("start %s: %w", name, ErrClosed)
	}
	if s.ctx == nil {
		return fmt.Errorf("start %s: workspace.Run has not been called", name)
	}
	if s.running == nil {
		s.running = map[string]int{}
	}
	s.running[name]++
	s.wg.Add(1)
	ctx := s.ctx
	go func() {
		defer s.done(name)
		if !restart {
			if err := w.runCaught(ctx, name, fn); err != nil && ctx.Err() == nil {
				s.failed(name, err, time.Now(), nil)
			}
			return
		}
		w.restartLoop(ctx, name, fn)
	}()
	return nil
}

// restartLoop runs fn until ctx ends or fn returns nil, starting it again
// after each failure once its pause is over. The goroutine stays through
// the pause, so Running names the loop and Shutdown waits for it.
func (w *Workspace) restartLoop(ctx context.Context, name string, fn func(ctx context.Context) error) {
	s := &w.sup
	var delay time.Duration
	for {
		began := time.Now()
		err := w.runCaught(ctx, name, fn)
		if err == nil || ctx.Err() != nil {
			s.ended(name)
			return
		}
		now := time.Now()
		delay = w.Timing.restartDelay(delay, now.Sub(began))
		at := now.Add(delay)
		s.failed(name, err, now, &at)
		w.Log.Warn("background loop restarts after a pause", "loop", name, "in", delay)
		if !s.wait(ctx, delay) {
			s.ended(name)
			return
		}
		s.restarted(name, w.Timing.restartMax())
		w.Log.Info("background loop restarted", "loop", name)
	}
}

// restartDelay is the pause before starting a loop again whose run failed
// after lasting ran; prev is the pause before that run (0: it was the first).
func (t Timing) restartDelay(prev, ran time.Duration) time.Duration {
	lo, hi := t.restartMin(), t.restartMax()
	if prev == 0 || ran > hi {
		return lo
	}
	return min(prev*2, hi)
}

// wait is the pause before a restart; false when ctx ended first, so
// Shutdown is never held up by a pause.
func (s *supervisor) wait(ctx context.Context, d time.Duration) bool {
	if s.pause != nil {
		return s.pause(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// loopPanic is a panic in a supervised loop as an error: its value, for
// LoopHealth; the stack goes only to the log.
type loopPanic struct{ value any }

func (p loopPanic) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// runCaught runs fn once, turning a panic into a loopPanic, and logs how
// a run that ends before ctx failed.
func (w *Workspace) runCaught(ctx context.Context, name string, fn func(ctx context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.Log.Error("background loop panicked", "loop", name, "panic", p, "stack", string(debug.Stack()))
			err = loopPanic{p}
		}
	}()
	if err := fn(ctx); err != nil && ctx.Err() == nil {
		w.Log.Error("background loop stopped", "loop", name, "err", err)
		return err
	}
	return nil
}

func (s *supervisor) done(name string) {
	s.mu.Lock()
	if s.running[name]--; s.running[name] <= 0 {
		delete(s.running, name)
	}
	s.mu.Unlock()
	s.wg.Done()
}

// Running lists the supervised loops still running, sorted, for logs and tests.
func (w *Workspace) Running() []string {
	s := &w.sup
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.running))
	for n := range s.running {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Close stops every background loop, waits for all of them, then closes the
// database. Calling it again returns the first
// result.
func (w *Workspace) Close() error { return w.Shutdown(context.Background()) }

// Shutdown is Close with a bound on the wait: when ctx ends before every loop
// has returned, the database is left open (a loop may still be writing, and
// SQLite's WAL keeps an unclosed file consistent when the process exits) and
// the error names the loops still running. A later Close waits again.
func (w *Workspace) Shutdown(ctx context.Context) error {
	s := &w.sup
	s.mu.Lock()
	s.closing = true
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	notice := time.NewTicker(shutdownNotice)
	defer notice.Stop()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-notice.C:
			w.Log.Warn("closing: waiting for background loops", "loops", strings.Join(w.Running(), ","))
		case <-ctx.Done():
			return fmt.Errorf("close %s: background loops still running (%s), database left open: %w",
				w.DBPath, strings.Join(w.Running(), ", "), ctx.Err())
		}
	}
	s.closeOnce.Do(func() { s.closeErr = w.Store.Close() })
	return s.closeErr
}
