package teamevents

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// testWait bounds every wait for an event, so a lost event fails the test
// instead of hanging it; nothing is measured against it.
const testWait = 60 * time.Second

// pgDSN is a fresh migrated database of the test cluster.
func pgDSN(t *testing.T) string {
	t.Helper()
	return pgtest.NewDatabaseFrom(t, "stormdesk_schema", func(dsn string) error {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			return err
		}
		return s.Close()
	})
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// instance is one server instance's hub: its own store (pool) on the shared
// database, running until the test ends. Poll is an hour, so only
// notifications, wake-ups and reconnects deliver anything.
type instance struct {
	hub *Hub
	got *collector
}

func startInstance(t *testing.T, dsn string, tweak func(*Hub)) instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h, err := New(ctx, openStore(t, dsn), Options{DSN: dsn, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(h)
	}
	c := newCollector()
	h.Subscribe(c.add)
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return instance{hub: h, got: c}
}

// collector records what a subscriber was given, in order.
type collector struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []Event
}

func newCollector() *collector {
	c := &collector{}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *collector) add(e Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
	c.cond.Broadcast()
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// waitFor blocks until n events arrived and returns them; more than n fails.
func (c *collector) waitFor(t *testing.T, n int) []Event {
	t.Helper()
	timer := time.AfterFunc(testWait, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(testWait)
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.events) < n && time.Now().Before(deadline) {
		c.cond.Wait()
	}
	if len(c.events) != n {
		t.Fatalf("%d events delivered; want %d", len(c.events), n)
	}
	return append([]Event(nil), c.events...)
}

// payload is what the tests publish: who published it and its number.
type payload struct {
	From string `json:"from"`
	N    int    `json:"n"`
}

func decode(t *testing.T, e Event) payload {
	t.Helper()
	var data []payload
	if err := json.Unmarshal(e.Payload, &data); err != nil || len(data) != 1 {
		t.Fatalf("event %d payload %s: %v", e.Seq, e.Payload, err)
	}
	return data[0]
}

// checkInOrder fails unless evs have strictly increasing sequence numbers.
func checkInOrder(t *testing.T, who string, evs []Event) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		if evs[i].Seq <= evs[i-1].Seq {
			t.Fatalf("%s: event %d has seq %d after %d", who, i, evs[i].Seq, evs[i-1].Seq)
		}
	}
}

func TestTwoInstancesGetEveryEventInOrderOnce(t *testing.T) {
	pgtest.Require(t)
	dsn := pgDSN(t)
	a := startInstance(t, dsn, nil)
	// b's listener times out of its waits all the time, so they and its
	// pings run between notifications without losing any.
	b := startInstance(t, dsn, func(h *Hub) { h.idleCheck = time.Millisecond })
	ctx := context.Background()
	const n = 200
	var published []payload
	for i := 0; i < n; i++ {
		p := payload{From: "a", N: i}
		hub := a.hub
		if i%3 == 1 {
			p.From, hub = "b", b.hub
		}
		hub.Publish(ctx, "test:event", p)
		published = append(published, p)
	}
	ea, eb := a.got.waitFor(t, n), b.got.waitFor(t, n)
	for i := range published {
		if ea[i].Seq != eb[i].Seq || decode(t, ea[i]) != published[i] || decode(t, eb[i]) != published[i] || ea[i].Name != "test:event" {
			t.Fatalf("event %d: a got %d %s, b got %d %s; want %+v", i, ea[i].Seq, ea[i].Payload, eb[i].Seq, eb[i].Payload, published[i])
		}
	}
	checkInOrder(t, "a", ea)
}

func TestListenerKilledCatchesUpAfterReconnect(t *testing.T) {
	pgtest.Require(t)
	dsn := pgDSN(t)
	ctx := context.Background()
	a := startInstance(t, dsn, nil)
	// b's reconnects wait for release, so the test knows its listener is
	// down while a publishes.
	release := make(chan struct{})
	var dials int
	var dialMu sync.Mutex
	b := startInstance(t, dsn, func(h *Hub) {
		dial := h.dial
		h.dial = func(ctx context.Context) (*pgx.Conn, error) {
			dialMu.Lock()
			dials++
			first := dials == 1
			dialMu.Unlock()
			if !first {
				select {
				case <-release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			return dial(ctx)
		}
	})
	a.hub.Publish(ctx, "before", payload{From: "a", N: -1})
	a.got.waitFor(t, 1)
	b.got.waitFor(t, 1)
	pid := waitListener(t, b.hub, 0)

	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var killed bool
	if err := admin.QueryRow(ctx, `SELECT pg_terminate_backend($1, 10000)`, int(pid)).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, killed, err)
	}
	const n = 100
	for i := 0; i < n; i++ {
		a.hub.Publish(ctx, "while-away", payload{From: "a", N: i})
	}
	a.got.waitFor(t, n+1)
	// b hears nothing while its listener is down (its poll is an hour away).
	if got := b.got.count(); got != 1 {
		t.Fatalf("b got %d events while its listener was down; want 1 (the one before)", got)
	}
	close(release)
	eb := b.got.waitFor(t, n+1)
	checkInOrder(t, "b", eb)
	for i, e := range eb[1:] {
		if p := decode(t, e); p.N != i || e.Name != "while-away" {
			t.Fatalf("b's event %d after reconnecting: %s %s; want while-away n=%d", i, e.Name, e.Payload, i)
		}
	}
	if again := waitListener(t, b.hub, pid); again == pid {
		t.Fatalf("listener pid %d after reconnecting is the killed one", again)
	}
	// And it listens again: a new event arrives by notification.
	a.hub.Publish(ctx, "after", payload{From: "a", N: n})
	if e := b.got.waitFor(t, n+2)[n+1]; e.Name != "after" {
		t.Fatalf("event after reconnecting: %s", e.Name)
	}
}

// waitListener waits until h has a listener connection other than not and returns its pid.
func waitListener(t *testing.T, h *Hub, not uint32) uint32 {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for time.Now().Before(deadline) {
		if pid := h.listenerPID.Load(); pid != 0 && pid != not {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the hub has no listener connection")
	return 0
}

func TestConcurrentPublishersLoseNothing(t *testing.T) {
	pgtest.Require(t)
	dsn := pgDSN(t)
	hubs := []instance{startInstance(t, dsn, nil), startInstance(t, dsn, nil)}
	const perHub, each = 3, 500
	total := len(hubs) * perHub * each
	var wg sync.WaitGroup
	for hi, in := range hubs {
		for g := 0; g < perHub; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				from := fmt.Sprintf("%d/%d", hi, g)
				for i := 0; i < each; i++ {
					in.hub.Publish(context.Background(), "load", payload{From: from, N: i})
				}
			}()
		}
	}
	wg.Wait()
	var first []Event
	for hi, in := range hubs {
		evs := in.got.waitFor(t, total)
		checkInOrder(t, fmt.Sprintf("hub %d", hi), evs)
		next := map[string]int{} // per publisher, its events arrive in the order it published them
		for _, e := range evs {
			p := decode(t, e)
			if p.N != next[p.From] {
				t.Fatalf("hub %d: from %s got n=%d, want n=%d (lost, duplicated or reordered)", hi, p.From, p.N, next[p.From])
			}
			next[p.From]++
		}
		if first == nil {
			first = evs
			continue
		}
		for i := range evs {
			if evs[i].Seq != first[i].Seq {
				t.Fatalf("hubs disagree at %d: seq %d vs %d", i, evs[i].Seq, first[i].Seq)
			}
		}
	}
}

// TestSQLiteHubWakesInProcess: one process, no LISTEN; Publish wakes Run.
func TestSQLiteHubWakesInProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stormdesk.db")
	st := openStore(t, path)
	ctx := context.Background()
	// Published before the hub exists: not delivered, it is history.
	if _, err := st.AppendEvent(ctx, "old", []byte(`[]`)); err != nil {
		t.Fatal(err)
	}
	h, err := New(ctx, st, Options{DSN: path, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if h.dial != nil {
		t.Fatal("a SQLite hub would LISTEN")
	}
	c := newCollector()
	from, stop := h.Subscribe(c.add)
	defer stop()
	if from != 1 {
		t.Fatalf("Subscribe from %d; want 1, the event before the hub", from)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	for i := 0; i < 5; i++ {
		h.Publish(ctx, "inbox:changed")
		h.Publish(ctx, "sync:progress", map[string]any{"n": i})
	}
	evs := c.waitFor(t, 10)
	checkInOrder(t, "sqlite", evs)
	if evs[0].Name != "inbox:changed" || string(evs[0].Payload) != `[]` || evs[1].Name != "sync:progress" || string(evs[1].Payload) != `[{"n":0}]` {
		t.Fatalf("first events %s %s, %s %s", evs[0].Name, evs[0].Payload, evs[1].Name, evs[1].Payload)
	}
	if err := h.Run(runCtx); err == nil {
		t.Error("a second Run on a running hub did not fail")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestRunPrunesOldEvents(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "stormdesk.db"))
	for i := 0; i < 3; i++ {
		if _, err := st.AppendEvent(ctx, "inbox:changed", []byte(`[]`)); err != nil {
			t.Fatal(err)
		}
	}
	// The default retention keeps what was just recorded.
	keep, err := New(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	keep.prune(ctx)
	if evs, err := st.EventsAfter(ctx, 0, 10); err != nil || len(evs) != 3 {
		t.Fatalf("after pruning with the default retention: %d events, %v; want 3", len(evs), err)
	}
	// A retention shorter than the events' age: Run's periodic prune deletes them.
	h, err := New(ctx, st, Options{Retention: time.Nanosecond, PruneEvery: time.Millisecond, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	defer func() {
		cancel()
		<-done
	}()
	deadline := time.Now().Add(testWait)
	for {
		evs, err := st.EventsAfter(ctx, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events older than the retention are still stored", len(evs))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
