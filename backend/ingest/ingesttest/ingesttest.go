// Package ingesttest runs the real ingest scheduler over a fresh SQLite store,
// so connector tests can check that what a platform pushes ends up stored.
package ingesttest

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Guard bounds every wait of Eventually: it only stops a hang.
const Guard = 10 * time.Second

// Run is one account synced by the scheduler in the background.
type Run struct {
	st   *store.Store
	mu   sync.Mutex
	errs []string
}

// StartScheduler syncs acc through conn with a poll interval it never reaches
// within a test, so anything new arrives through the connector's Watch alone.
// It stops when the test ends.
func StartScheduler(t testing.TB, acc inbox.Account, conn channels.Connector) *Run {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "ingest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &Run{st: st}
	sched := ingest.NewScheduler(ingest.New(st, nil), st, ingest.SchedulerConfig{PollInterval: time.Hour}, func(e ingest.Event) {
		if e.Err != "" {
			r.mu.Lock()
			r.errs = append(r.errs, e.Err)
			r.mu.Unlock()
		}
	})
	sched.Start(t.Context(), acc, conn)
	t.Cleanup(sched.Stop)
	return r
}

// Messages counts the stored messages.
func (r *Run) Messages(t testing.TB) int64 {
	s, err := r.st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s.Messages
}

// Errors returns the sync errors reported so far.
func (r *Run) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// Eventually polls ok until it holds, failing the test after Guard.
func Eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(Guard)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
