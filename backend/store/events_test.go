package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestEventsAppendAndRead(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if seq, err := s.LatestEventSeq(ctx); err != nil || seq != 0 {
		t.Fatalf("LatestEventSeq of an empty log = %d, %v; want 0", seq, err)
	}
	appended := []struct {
		name    string
		payload string
	}{
		{"inbox:changed", `[]`},
		{"sync:progress", `[{"account":"acme","stored":3}]`},
		{"reply:delivered", `[{"conversationId":7,"replyId":"r1","state":"sent"}]`},
		{"crisis:alert", `[{"text":"всплеск"}]`},
	}
	var seqs []int64
	for _, a := range appended {
		seq, err := s.AppendEvent(ctx, a.name, []byte(a.payload))
		if err != nil {
			t.Fatalf("AppendEvent %s: %v", a.name, err)
		}
		if len(seqs) > 0 && seq <= seqs[len(seqs)-1] {
			t.Fatalf("sequence went from %d to %d", seqs[len(seqs)-1], seq)
		}
		seqs = append(seqs, seq)
	}
	if _, err := s.AppendEvent(ctx, "broken", []byte(`{"unterminated`)); err == nil {
		t.Fatal("a payload that is not JSON was appended")
	}
	if latest, err := s.LatestEventSeq(ctx); err != nil || latest != seqs[len(seqs)-1] {
		t.Fatalf("LatestEventSeq = %d, %v; want %d", latest, err, seqs[len(seqs)-1])
	}

	tests := []struct {
		after int64
		limit int
		want  []int // indexes into appended
	}{
		{0, 10, []int{0, 1, 2, 3}},
		{0, 2, []int{0, 1}},
		{seqs[1], 10, []int{2, 3}},
		{seqs[3], 10, nil},
	}
	for _, tt := range tests {
		got, err := s.EventsAfter(ctx, tt.after, tt.limit)
		if err != nil {
			t.Fatalf("EventsAfter(%d, %d): %v", tt.after, tt.limit, err)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("EventsAfter(%d, %d) = %d events; want %d", tt.after, tt.limit, len(got), len(tt.want))
		}
		for i, w := range tt.want {
			e := got[i]
			if e.Seq != seqs[w] || e.Name != appended[w].name || !sameJSON(t, e.Payload, appended[w].payload) || !e.At.Equal(testNow.Truncate(time.Millisecond)) {
				t.Errorf("EventsAfter(%d, %d)[%d] = %+v; want seq %d %s %s at %v", tt.after, tt.limit, i, e, seqs[w], appended[w].name, appended[w].payload, testNow)
			}
		}
	}
	if _, err := s.EventsAfter(ctx, 0, 0); err == nil {
		t.Error("EventsAfter with limit 0 did not fail")
	}
}

func sameJSON(t *testing.T, got json.RawMessage, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored payload %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

func TestPruneEventsKeepsNumbering(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	old := testNow.Add(-48 * time.Hour)
	s.now = func() time.Time { return old }
	for i := 0; i < 3; i++ {
		if _, err := s.AppendEvent(ctx, "old", []byte(`[]`)); err != nil {
			t.Fatal(err)
		}
	}
	s.now = func() time.Time { return testNow }
	kept, err := s.AppendEvent(ctx, "new", []byte(`[]`))
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneEvents(ctx, testNow.Add(-24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("PruneEvents = %d, %v; want 3 deleted", n, err)
	}
	left, err := s.EventsAfter(ctx, 0, 10)
	if err != nil || len(left) != 1 || left[0].Seq != kept {
		t.Fatalf("after pruning: %+v, %v; want only seq %d", left, err, kept)
	}
	// The mark says which numbers may be gone: a reader that saw the third
	// old event missed nothing, one that saw only the second missed one.
	if through, err := s.EventsPrunedThrough(ctx); err != nil || through != kept-1 {
		t.Fatalf("EventsPrunedThrough = %d, %v; want %d", through, err, kept-1)
	}
	// Emptying the log must not restart the numbering: a desktop that last
	// saw seq N would take a reused N-1 for an event it already has.
	if _, err := s.PruneEvents(ctx, testNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if through, err := s.EventsPrunedThrough(ctx); err != nil || through != kept {
		t.Fatalf("EventsPrunedThrough of an emptied log = %d, %v; want %d", through, err, kept)
	}
	// A hub starting on the emptied log starts at the last number handed
	// out, so a page it serves does not look older than the pruned events.
	if latest, err := s.LatestEventSeq(ctx); err != nil || latest != kept {
		t.Fatalf("LatestEventSeq of an emptied log = %d, %v; want %d", latest, err, kept)
	}
	// A prune that finds nothing, or one that raced behind another, never
	// lowers the mark.
	if n, err := s.PruneEvents(ctx, testNow.Add(-72*time.Hour)); err != nil || n != 0 {
		t.Fatalf("PruneEvents of nothing = %d, %v", n, err)
	}
	if through, err := s.EventsPrunedThrough(ctx); err != nil || through != kept {
		t.Fatalf("EventsPrunedThrough after an empty prune = %d, %v; want %d", through, err, kept)
	}
	next, err := s.AppendEvent(ctx, "after", []byte(`[]`))
	if err != nil || next <= kept {
		t.Fatalf("append after emptying the log = %d, %v; want a seq above %d", next, err, kept)
	}
}

// TestEventsReadInOrderWhileAppending is the ordering guarantee readers rely
// on: a reader that only ever asks for "after the last seq I saw" while
// writers append concurrently ends up with every event, because no event
// commits with a smaller seq than one already visible.
func TestEventsReadInOrderWhileAppending(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	const writers, each = 6, 150
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := s.AppendEvent(ctx, "w", []byte(fmt.Sprintf(`[%d,%d]`, w, i))); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[int64]bool{}
	var hw int64
	read := func() {
		evs, err := s.EventsAfter(ctx, hw, 1000)
		if err != nil {
			t.Fatalf("EventsAfter: %v", err)
		}
		for _, e := range evs {
			seen[e.Seq] = true
			hw = e.Seq
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		read()
	}
	read()
	close(errs)
	for err := range errs {
		t.Fatalf("AppendEvent: %v", err)
	}
	all, err := s.EventsAfter(ctx, 0, writers*each+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers*each {
		t.Fatalf("%d events stored; want %d", len(all), writers*each)
	}
	var missed []int64
	for _, e := range all {
		if !seen[e.Seq] {
			missed = append(missed, e.Seq)
		}
	}
	if len(missed) > 0 {
		t.Fatalf("a reader following the high-water mark skipped %d events (first %v): a smaller seq committed after a larger one", len(missed), missed[:min(len(missed), 5)])
	}
}

func TestAppendEventNotifiesItsSeq(t *testing.T) {
	if !testOnPostgres() {
		t.Skip("PostgreSQL only: LISTEN/NOTIFY")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn := testDSN(t)
	s := openAt(t, dsn)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+EventsChannel); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		seq, err := s.AppendEvent(ctx, "inbox:changed", []byte(`[{"secret":"not in the notification"}]`))
		if err != nil {
			t.Fatal(err)
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatalf("WaitForNotification: %v", err)
		}
		if n.Channel != EventsChannel || n.Payload != strconv.FormatInt(seq, 10) {
			t.Fatalf("notification %s %q; want %s %q (the sequence number only)", n.Channel, n.Payload, EventsChannel, strconv.FormatInt(seq, 10))
		}
	}
}
