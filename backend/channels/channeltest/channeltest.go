// Package channeltest holds what the connector packages' tests share: a
// recorder for retry and reconnect waits, and building a connector or failing
// the test.
package channeltest

import (
	"context"
	"sync"
	"testing"
	"time"
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

// New builds a connector with a package's New, failing the test on error.
func New[C, Cfg any](t testing.TB, newConnector func(Cfg) (C, error), cfg Cfg) C {
	t.Helper()
	c, err := newConnector(cfg)
	if err != nil {
		t.Fatalf("new connector: %v", err)
	}
	return c
}
