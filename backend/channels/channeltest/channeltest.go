// Package channeltest holds what the connector packages' tests share: a
// recorder for retry and reconnect waits, and building, fetching and reading
// fixtures without repeating the error checks in every package.
package channeltest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

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
