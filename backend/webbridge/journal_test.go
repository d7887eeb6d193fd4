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
}

type memEvent struct {
	seq  int64
	name string
	data []byte
}

func (j *memJournal) Publish(_ context.Context, name string, data ...any) {
	if data == nil {
		data = []any{}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next += 2
	e := memEvent{j.next, name, raw}
	j.log = append(j.log, e)
	if j.deliver != nil {
		j.deliver(e.seq, e.name, e.data)
	}
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
		j.Publish(context.Background(), "history", i)
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
