package teamevents

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

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
	hub, err := New(ctx, openStore(t, dsn), Options{DSN: dsn, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	bridge := webbridge.New(nil, nil, nil)
	bridge.UseJournal(hub)
	runCtx, stopRun := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.Run(runCtx) }()
	srv := httptest.NewServer(bridge)
	t.Cleanup(func() {
		bridge.Close()
		srv.Close()
		stopRun()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	seen := newCollector()
	hub.Subscribe(seen.add)

	// Instance b publishes; so does a, through its bridge's Emit.
	other := startInstance(t, dsn, nil)
	url := srv.URL + "/bridge/events"
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
