package teamevents

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// sseStream reads a bridge's event stream: id and JSON of each event.
type sseStream struct {
	sc   *bufio.Scanner
	stop func()
}

func openStream(t *testing.T, ctx context.Context, url, token, lastID string) sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("event stream: status %d", res.StatusCode)
	}
	s := sseStream{sc: bufio.NewScanner(res.Body), stop: func() { cancel(); res.Body.Close() }}
	t.Cleanup(s.stop)
	// The subscription exists once the stream has said so.
	if !s.sc.Scan() || s.sc.Text() != ": connected" {
		t.Fatalf("event stream did not start: %q %v", s.sc.Text(), s.sc.Err())
	}
	return s
}

type sseEvent struct {
	id   int64
	name string
	data []payload
}

func (s sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	var ev sseEvent
	var body string
	for s.sc.Scan() {
		line := s.sc.Text()
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			ev.id, _ = strconv.ParseInt(v, 10, 64)
		} else if v, ok := strings.CutPrefix(line, "data: "); ok {
			body = v
		} else if line == "" && body != "" {
			var msg struct {
				Name string    `json:"name"`
				Data []payload `json:"data"`
			}
			if err := json.Unmarshal([]byte(body), &msg); err != nil {
				t.Fatalf("event %d: %s: %v", ev.id, body, err)
			}
			ev.name, ev.data = msg.Name, msg.Data
			return ev
		}
	}
	t.Fatalf("event stream ended: %v", s.sc.Err())
	return ev
}

// TestBridgeReplaysADesktopThatSlept wires a Hub to a web bridge as the
// server does (see the package doc) on one instance, publishes from another,
// and checks that a desktop reconnecting with an old Last-Event-ID, further
// back than the bridge's ring, gets every event it missed, in order, once.
func TestBridgeReplaysADesktopThatSlept(t *testing.T) {
	pgtest.Require(t)
	dsn := pgDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()

	// Instance a: the server's wiring.
	a := serve(t, openStore(t, dsn), dsn)
	bridge, seen := a.bridge, a.got

	// Instance b publishes; so does a, through its bridge's Emit.
	other := startInstance(t, dsn, nil)
	url := a.url
	desk := openStream(t, ctx, url, bridge.Token(), "")
	other.hub.Publish(ctx, "inbox:changed", payload{From: "b", N: 0})
	bridge.Emit(ctx, "inbox:changed", payload{From: "a", N: 1})
	first, second := desk.next(t), desk.next(t)
	if first.data[0] != (payload{"b", 0}) || second.data[0] != (payload{"a", 1}) || second.id <= first.id {
		t.Fatalf("live events: %+v then %+v", first, second)
	}
	desk.stop() // the desktop sleeps

	const missed = 400 // more than the bridge's ring
	for i := 0; i < missed; i++ {
		if i%4 == 0 {
			bridge.Emit(ctx, "sync:progress", payload{From: "a", N: 2 + i})
		} else {
			other.hub.Publish(ctx, "sync:progress", payload{From: "b", N: 2 + i})
		}
	}
	logged := seen.waitFor(t, missed+2)

	desk = openStream(t, ctx, url, bridge.Token(), strconv.FormatInt(second.id, 10))
	for i := 0; i < missed; i++ {
		ev, want := desk.next(t), logged[2+i]
		if ev.id != want.Seq || ev.name != "sync:progress" || len(ev.data) != 1 || ev.data[0].N != 2+i {
			t.Fatalf("replayed event %d: id %d %s %+v; want id %d n=%d", i, ev.id, ev.name, ev.data, want.Seq, 2+i)
		}
	}
	other.hub.Publish(ctx, "inbox:changed", payload{From: "b", N: missed + 2})
	if ev := desk.next(t); ev.name != "inbox:changed" || ev.data[0].N != missed+2 || ev.id <= logged[len(logged)-1].Seq {
		t.Fatalf("live event after the replay: %+v", ev)
	}
}

// engines runs a test on a fresh database of SQLite (one process) and of
// PostgreSQL, opened as st; ctx bounds the test.
func engines(t *testing.T, run func(t *testing.T, ctx context.Context, dsn string, st *store.Store)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "stormdesk.db")
			if engine == "postgres" {
				pgtest.Require(t)
				dsn = pgDSN(t)
			}
			ctx, cancel := context.WithTimeout(context.Background(), testWait)
			defer cancel()
			run(t, ctx, dsn, openStore(t, dsn))
		})
	}
}

// served is one instance as the server wires it: a hub and a bridge using
// it as its journal, serving pages over HTTP until the test ends.
type served struct {
	hub    *Hub
	bridge *webbridge.Bridge
	url    string
	got    *collector
}

func serve(t *testing.T, st *store.Store, dsn string) served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	hub, err := New(ctx, st, Options{DSN: dsn, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	bridge := webbridge.New(nil, nil, nil)
	bridge.UseJournal(hub)
	c := newCollector()
	hub.Subscribe(c.add)
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx) }()
	srv := httptest.NewServer(bridge)
	t.Cleanup(func() {
		bridge.Close()
		srv.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return served{hub: hub, bridge: bridge, url: srv.URL + "/bridge/events", got: c}
}

// TestBridgeResetsAPageOlderThanThePrunedEvents: a desktop away for longer
// than the retention comes back, after the events it missed were pruned, to
// an instance started since (its ring is empty): it gets the reset event,
// numbered so that reconnecting does not reset it again, and then the live
// events. A desktop that saw the last pruned event misses nothing: no reset.
func TestBridgeResetsAPageOlderThanThePrunedEvents(t *testing.T) {
	engines(t, func(t *testing.T, ctx context.Context, dsn string, st *store.Store) {
		first := serve(t, st, dsn)
		for i := 0; i < 3; i++ {
			first.hub.Publish(ctx, "inbox:changed", payload{From: "a", N: i})
		}
		old := first.got.waitFor(t, 3)
		// The retention passed: everything so far is pruned.
		if n, err := st.PruneEvents(ctx, time.Now().Add(time.Minute)); err != nil || n != 3 {
			t.Fatalf("PruneEvents = %d, %v; want 3", n, err)
		}
		// A restarted instance: nothing in its ring, everything from the table.
		second := serve(t, st, dsn)
		stale := openStream(t, ctx, second.url, second.bridge.Token(), strconv.FormatInt(old[0].Seq, 10))
		if ev := stale.next(t); ev.name != webbridge.ResetEvent || ev.id != old[2].Seq {
			t.Fatalf("page older than the pruned events got %+v; want %s at %d", ev, webbridge.ResetEvent, old[2].Seq)
		}
		current := openStream(t, ctx, second.url, second.bridge.Token(), strconv.FormatInt(old[2].Seq, 10))
		second.hub.Publish(ctx, "sync:progress", payload{From: "b", N: 3})
		for who, s := range map[string]sseStream{"reset page": stale, "current page": current} {
			if ev := s.next(t); ev.name != "sync:progress" || ev.data[0].N != 3 || ev.id <= old[2].Seq {
				t.Fatalf("%s: live event %+v", who, ev)
			}
		}
	})
}

// TestBridgeKeepsPageLocalEventsOffTheTable: streamed draft text reaches the
// pages of the instance that emitted it, in order after what that instance
// published before, without an id, and neither the events table nor another
// instance sees it.
func TestBridgeKeepsPageLocalEventsOffTheTable(t *testing.T) {
	engines(t, func(t *testing.T, ctx context.Context, dsn string, st *store.Store) {
		a := serve(t, st, dsn)
		page := openStream(t, ctx, a.url, a.bridge.Token(), "")
		var b served
		if store.IsPostgresDSN(dsn) {
			b = serve(t, openStore(t, dsn), dsn)
		}
		a.bridge.Emit(ctx, "approval:changed", payload{From: "a", N: 0})
		for i := 1; i <= 3; i++ {
			a.bridge.EmitLocal(ctx, "compose:delta", payload{From: "a", N: i})
		}
		a.bridge.Emit(ctx, "inbox:changed", payload{From: "a", N: 4})
		var ids []int64
		for i := 0; i <= 4; i++ {
			ev := page.next(t)
			if ev.data[0].N != i {
				t.Fatalf("event %d on the page: %+v", i, ev)
			}
			ids = append(ids, ev.id)
		}
		if ids[0] == 0 || ids[4] <= ids[0] || ids[1] != 0 || ids[2] != 0 || ids[3] != 0 {
			t.Fatalf("ids on the page %v; want the journal's around three without one", ids)
		}
		evs, err := st.EventsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Name != "approval:changed" || evs[1].Name != "inbox:changed" {
			t.Fatalf("events table: %+v; want only the two shared events", evs)
		}
		if b.hub != nil {
			for _, e := range b.got.waitFor(t, 2) {
				if e.Name == "compose:delta" {
					t.Fatalf("the other instance got a page-local event")
				}
			}
		}
	})
}
