package webbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// memJournal is an in-memory Journal numbering events with gaps, as a
// PostgreSQL sequence may; the real one (teamevents.Hub) is tested with the
// bridge on PostgreSQL in backend/teamevents.
type memJournal struct {
	mu      sync.Mutex
	log     []memEvent
	next    int64
	deliver func(seq int64, name string, data []byte)
	replays int
	// held: appended events wait for release before they are delivered, as
	// the hub's asynchronous read of the table makes them wait.
	held   bool
	queued []memEvent
	// pruned is what Pruned reports.
	pruned int64
}

type memEvent struct {
	seq  int64
	name string
	data []byte
}

func (j *memJournal) Append(_ context.Context, name string, data ...any) (int64, error) {
	if data == nil {
		data = []any{}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return 0, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next += 2
	e := memEvent{j.next, name, raw}
	j.log = append(j.log, e)
	if j.held {
		j.queued = append(j.queued, e)
	} else if j.deliver != nil {
		j.deliver(e.seq, e.name, e.data)
	}
	return e.seq, nil
}

// release delivers the held events and stops holding.
func (j *memJournal) release() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.held = false
	for _, e := range j.queued {
		if j.deliver != nil {
			j.deliver(e.seq, e.name, e.data)
		}
	}
	j.queued = nil
}

func (j *memJournal) Pruned(context.Context) (int64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.pruned, nil
}

func (j *memJournal) Follow(deliver func(seq int64, name string, data []byte)) (int64, func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.deliver = deliver
	return j.next, func() {
		j.mu.Lock()
		defer j.mu.Unlock()
		j.deliver = nil
	}
}

func (j *memJournal) Replay(_ context.Context, after, upTo int64, send func(seq int64, name string, data []byte) error) error {
	j.mu.Lock()
	j.replays++
	var evs []memEvent
	for _, e := range j.log {
		if e.seq > after && e.seq <= upTo {
			evs = append(evs, e)
		}
	}
	j.mu.Unlock()
	for _, e := range evs {
		if err := send(e.seq, e.name, e.data); err != nil {
			return err
		}
	}
	return nil
}

func (j *memJournal) replayed() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.replays
}

// journalBridge serves a bridge on a journal that already holds history events.
func journalBridge(t *testing.T, history int) (*Bridge, *memJournal, func(ctx context.Context, lastID, since string) sseReader) {
	t.Helper()
	b, srv, _ := newTestServer(t)
	j := &memJournal{}
	for i := 0; i < history; i++ {
		if _, err := j.Append(context.Background(), "history", i); err != nil {
			t.Fatal(err)
		}
	}
	b.UseJournal(j)
	open := func(ctx context.Context, lastID, since string) sseReader {
		url := srv.URL + "/bridge/events"
		if since != "" {
			url += "?since=" + since
		}
		return openEvents(t, ctx, srv.Client(), url, lastID)
	}
	return b, j, open
}

func TestJournalNumbersAndReplaysBeyondTheRing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, j, open := journalBridge(t, 10) // history: seqs 2..20
	live := open(ctx, "", "")          // no resume point: from now on
	const n = replaySize + 50
	var ids []string
	for i := 0; i < n; i++ {
		b.Emit(ctx, "tick", i) // read as it goes: a stream more than subscriberBuffer behind is dropped
		id, data := live.next(t)
		want := 22 + 2*i
		if id != strconv.Itoa(want) || data != fmt.Sprintf(`{"name":"tick","data":[%d]}`, i) {
			t.Fatalf("live event %d: id %s data %s; want id %d", i, id, data, want)
		}
		ids = append(ids, id)
	}
	// A page that slept after its 5th event: the ring no longer reaches back.
	back := open(ctx, ids[4], "0")
	for i := 5; i < n; i++ {
		if id, _ := back.next(t); id != ids[i] {
			t.Fatalf("resumed stream event %d: id %s; want %s", i, id, ids[i])
		}
	}
	if j.replayed() != 1 {
		t.Fatalf("journal replayed %d times; want once", j.replayed())
	}
	// Within the ring, no journal read.
	near := open(ctx, ids[n-3], "")
	for _, want := range ids[n-2:] {
		if id, _ := near.next(t); id != want {
			t.Fatalf("stream resumed in the ring: id %s; want %s", id, want)
		}
	}
	if j.replayed() != 1 {
		t.Fatalf("a resume inside the ring read the journal")
	}
	// The page a bridge serves resumes at the journal's number.
	if got := b.lastID(); got != uint64(20+2*n) {
		t.Fatalf("lastID %d; want %d", got, 20+2*n)
	}
}

func TestJournalResumeFromBeforeTheBridge(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, _, open := journalBridge(t, 5) // seqs 2..10, before the bridge followed
	s := open(ctx, "", "4")
	for _, want := range []string{"6", "8", "10"} {
		if id, _ := s.next(t); id != want {
			t.Fatalf("since=4: id %s; want %s", id, want)
		}
	}
	b.Emit(ctx, "new")
	if id, data := s.next(t); id != "12" || !strings.Contains(data, `"new"`) {
		t.Fatalf("live after replay: id %s data %s", id, data)
	}
}

// TestJournalSkipsWhatThePageHas: behind a load balancer a page may come back
// with an id from an instance ahead of this one; events up to it are not sent twice.
func TestJournalSkipsWhatThePageHas(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, _, open := journalBridge(t, 0)
	s := open(ctx, "4", "")
	b.Emit(ctx, "one")   // 2
	b.Emit(ctx, "two")   // 4
	b.Emit(ctx, "three") // 6
	if id, data := s.next(t); id != "6" || !strings.Contains(data, `"three"`) {
		t.Fatalf("first event sent: id %s data %s; want 6 (three)", id, data)
	}
}

// TestJournalLocalEvents: a page-local event reaches the pages of this
// bridge without going through the journal, without an id (Last-Event-ID
// stays the journal's number), after the events published before it even
// when the journal delivers those late, and is not replayed.
func TestJournalLocalEvents(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, j, open := journalBridge(t, 2) // seqs 2, 4
	page := open(ctx, "", "4")
	b.EmitLocal(ctx, "compose:delta", map[string]any{"text": "Hel"})
	if id, data := page.next(t); id != "" || data != `{"name":"compose:delta","data":[{"text":"Hel"}]}` {
		t.Fatalf("local event: id %q data %s; want no id", id, data)
	}
	j.mu.Lock()
	j.held = true
	j.mu.Unlock()
	b.Emit(ctx, "inbox:changed")                                    // 6, delivered late
	b.EmitLocal(ctx, "import:progress", map[string]any{"rows": 10}) // after 6
	b.EmitLocal(ctx, "import:progress", map[string]any{"rows": 20}) // after 6
	j.release()
	for i, want := range []struct{ id, name string }{{"6", "inbox:changed"}, {"", "import:progress"}, {"", "import:progress"}} {
		id, data := page.next(t)
		if id != want.id || !strings.Contains(data, `"name":"`+want.name+`"`) {
			t.Fatalf("event %d: id %q data %s; want id %q %s", i, id, data, want.id, want.name)
		}
	}
	j.mu.Lock()
	for _, e := range j.log {
		if e.name != "history" && e.name != "inbox:changed" {
			t.Errorf("journal holds page-local event %s", e.name)
		}
	}
	j.mu.Unlock()
	// A page resuming from 4 gets the journal's event, not the local ones.
	b.Emit(ctx, "approval:changed") // 8
	again := open(ctx, "4", "")
	for _, want := range []string{"6", "8"} {
		if id, data := again.next(t); id != want || strings.Contains(data, "compose:delta") || strings.Contains(data, "import:progress") {
			t.Fatalf("resumed stream: id %q data %s; want id %s", id, data, want)
		}
	}
}

// TestJournalResetsAPageOlderThanThePrunedEvents: a page whose last event
// was pruned from the journal is told to reload, at the stream's position,
// instead of getting what is left; a page at or after the pruned number is
// replayed as before.
func TestJournalResetsAPageOlderThanThePrunedEvents(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, j, open := journalBridge(t, 5) // seqs 2..10, before the bridge followed
	j.mu.Lock()
	j.pruned = 6
	j.mu.Unlock()

	old := open(ctx, "4", "")
	if id, data := old.next(t); id != "10" || data != `{"name":"events:reset","data":[]}` {
		t.Fatalf("page older than the pruned events: id %s data %s; want the reset at 10", id, data)
	}
	b.Emit(ctx, "inbox:changed")
	if id, data := old.next(t); id != "12" || !strings.Contains(data, "inbox:changed") {
		t.Fatalf("after the reset: id %s data %s; want 12", id, data)
	}
	// Its Last-Event-ID is now the reset's (or later): no second reset.
	back := open(ctx, "10", "")
	b.Emit(ctx, "approval:changed")
	if id, data := back.next(t); id != "12" || !strings.Contains(data, "inbox:changed") {
		t.Fatalf("reconnect after the reset: id %s data %s; want 12", id, data)
	}
	// At the pruned number nothing was missed: replayed, no reset.
	edge := open(ctx, "6", "")
	for _, want := range []string{"8", "10", "12", "14"} {
		if id, data := edge.next(t); id != want || strings.Contains(data, ResetEvent) {
			t.Fatalf("page at the pruned number: id %s data %s; want %s", id, data, want)
		}
	}
}
