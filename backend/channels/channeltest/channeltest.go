// Package channeltest holds what the connector packages' tests share: a
// recorder for retry and reconnect waits, running a Watch in the background,
// and building, fetching and reading fixtures without repeating the error
// checks in every package.
package channeltest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Guard bounds how long a helper waits for something that should happen at
// once; it only decides when to give up, nothing is timed against it.
const Guard = 10 * time.Second

// Sleeps records the waits of a channels.Retry (or a reconnect loop) instead
// of spending them. Zero waits, a throttle with nothing to wait for, are not
// recorded, so tests see only real backoff.
type Sleeps struct {
	mu     sync.Mutex
	waits  []time.Duration
	during func()
}

// Sleep has the signature of channels.Retry.Sleep. It returns ctx's error,
// so a cancelled call still stops retrying.
func (s *Sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	if d > 0 {
		s.waits = append(s.waits, d)
	}
	f := s.during
	s.during = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return ctx.Err()
}

// Waits returns the recorded waits in order.
func (s *Sleeps) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// During runs f inside the next wait, as if it happened while the client was
// backing off (a message arriving while a stream is down).
func (s *Sleeps) During(f func()) {
	s.mu.Lock()
	s.during = f
	s.mu.Unlock()
}

// New builds a connector with a package's New, after mods change the test's
// base configuration (nil mods are skipped), failing the test on error.
func New[C, Cfg any](t testing.TB, newConnector func(Cfg) (C, error), cfg Cfg, mods ...func(*Cfg)) C {
	t.Helper()
	for _, mod := range mods {
		if mod != nil {
			mod(&cfg)
		}
	}
	c, err := newConnector(cfg)
	if err != nil {
		t.Fatalf("new connector: %v", err)
	}
	return c
}

// Fetch calls c.Fetch(cursor), failing the test on error.
func Fetch(t testing.TB, c channels.Connector, cursor string) channels.Batch {
	t.Helper()
	b, err := c.Fetch(t.Context(), cursor)
	if err != nil {
		t.Fatalf("Fetch(%q): %v", cursor, err)
	}
	return b
}

// Testdata reads testdata/name of the package under test, failing the test
// when it cannot.
func Testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("testdata: %v", err)
	}
	return b
}

// Watching runs a channels.Watcher's Watch in the background.
type Watching struct {
	notes chan struct{}
	count atomic.Int32
	done  chan struct{}
	err   error // set before done closes
	stop  context.CancelFunc
}

// StartWatch runs w.Watch(cursor); the test's cleanup cancels it and waits
// for it to return, so no Watch outlives its fake server.
func StartWatch(t testing.TB, w channels.Watcher, cursor string) *Watching {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	wt := &Watching{notes: make(chan struct{}, 100), done: make(chan struct{}), stop: cancel}
	go func() {
		defer close(wt.done)
		wt.err = w.Watch(ctx, cursor, func() {
			wt.count.Add(1)
			select { // a test that reads no notes must not block Watch; count still counts
			case wt.notes <- struct{}{}:
			default:
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		<-wt.done
	})
	return wt
}

// Notes receives one value per notify not yet read (up to 100).
func (w *Watching) Notes() <-chan struct{} { return w.notes }

// Done is closed when Watch has returned; Err then gives its error.
func (w *Watching) Done() <-chan struct{} { return w.done }

// Err is Watch's error once Done is closed.
func (w *Watching) Err() error {
	<-w.done
	return w.err
}

// Notifies is how many times Watch has called notify so far.
func (w *Watching) Notifies() int32 { return w.count.Load() }

// Stop cancels Watch's context.
func (w *Watching) Stop() { w.stop() }

// Notified waits for one notify; it fails the test if Watch returns first or
// nothing comes within Guard.
func (w *Watching) Notified(t testing.TB) {
	t.Helper()
	select {
	case <-w.notes:
	case <-w.done:
		t.Fatalf("Watch returned %v before notifying", w.err)
	case <-time.After(Guard):
		t.Fatal("Watch did not notify")
	}
}

// Ended waits for Watch to return and gives its error; it fails the test if
// Watch is still running after Guard.
func (w *Watching) Ended(t testing.TB) error {
	t.Helper()
	select {
	case <-w.done:
		return w.err
	case <-time.After(Guard):
		t.Fatal("Watch did not end")
		return nil
	}
}

// IDs lists the items' external ids in order.
func IDs(items []inbox.Item) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.ExternalID)
	}
	return out
}

// Drain fetches from cursor until a batch says no more, returning the ids
// of every item in order, the last cursor and how many fetches it took.
func Drain(t testing.TB, c channels.Connector, cursor string) (ids []string, last string, fetches int) {
	t.Helper()
	for {
		b := Fetch(t, c, cursor)
		fetches++
		ids = append(ids, IDs(b.Items)...)
		cursor = b.Cursor
		if !b.More {
			return ids, cursor, fetches
		}
	}
}
