package workspace

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestRunSLASweepMovesStates saves a conversation under a 1-second policy and
// checks that the sweep, with no new event, turns it to breached and reports it.
func TestRunSLASweepMovesStates(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	policies := `{"policies": [{"name": "instant", "targets": {"firstResponse": "1s"},
		"hours": {"timeZone": "UTC", "always": true}}], "default": "instant"}`
	if err := ws.Store.SaveSLAPolicies(ctx, []byte(policies)); err != nil {
		t.Fatal(err)
	}
	a, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelTelegram})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.SaveItems(ctx, a.ID, []inbox.Item{{ExternalID: "q", ThreadKey: "th", Kind: inbox.KindDM,
		Direction: inbox.DirectionIn, Text: "hello?", SentAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	id, err := ws.Store.ConversationIDByThreadKey(ctx, a.ID, "th")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ws.Store.ConversationByID(ctx, id); c.SLAState == "breached" {
		t.Fatalf("breached at once: %+v", c)
	}
	changed := make(chan int, 10)
	if err := ws.Run(ctx, Loops{SLA: &SLASweep{Every: 100 * time.Millisecond, OnChange: func(n int) { changed <- n }}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case n := <-changed:
			if n != 1 {
				t.Fatalf("sweep changed %d rows; want 1", n)
			}
			c, err := ws.Store.ConversationByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.SLAState == "breached" {
				cancel()
				if err := ws.Close(); err != nil { // returns once the sweep has stopped
					t.Fatal(err)
				}
				if len(ws.Running()) != 0 {
					t.Fatalf("still running after Close: %v", ws.Running())
				}
				return
			}
		case <-deadline:
			t.Fatal("the sweep never marked the conversation breached")
		}
	}
}

// TestRunSLASweepFullThenDue: the first sweep and one every FullEvery read
// every open conversation, the others only the due ones; a failed full sweep
// is retried as a full one.
func TestRunSLASweepFullThenDue(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	w := &Workspace{Log: slog.New(slog.DiscardHandler)}
	var mu sync.Mutex
	var got []string
	record := func(kind string) func(context.Context, time.Time) (int, error) {
		return func(context.Context, time.Time) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, kind)
			if len(got) == 1 {
				return 0, errors.New("database away")
			}
			return 0, nil
		}
	}
	w.runSLASweep(ctx, 5*time.Millisecond, 200*time.Millisecond, record("full"), record("due"), nil)
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 3 || got[0] != "full" || got[1] != "full" || got[2] != "due" {
		t.Fatalf("sweeps %v; want full (failed), full, then due ones", got)
	}
	// 500 ms: the second full sweep at 5 ms, a third one 200 ms later, and
	// perhaps a fourth; ticks a machine too busy to keep are dropped, never
	// added, so there are at most that many.
	fulls := 0
	for _, k := range got[2:] {
		if k == "full" {
			fulls++
		}
	}
	if fulls < 1 || fulls > 2 {
		t.Fatalf("%d more full sweeps in %v; want 1 or 2 (one every 200 ms)", fulls, got)
	}
}

// TestCrisisModeNeverHidesABreach opens crisis mode (tighter targets) on real
// SQLite with a fixed clock: a conversation already overdue stays breached with
// its own breach time, and a running clock only moves earlier.
func TestCrisisModeNeverHidesABreach(t *testing.T) {
	ctx := context.Background()
	ws, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	t0 := time.Date(2026, 6, 5, 16, 0, 0, 0, time.UTC) // a Friday
	now := t0
	ws.Store.SetClock(func() time.Time { return now })
	// Normal: 1h around the clock. Crisis: 30 min, but only in office hours
	// (to 18:00), so counted plainly a crisis deadline could land on Monday.
	policies := `{"policies": [
		{"name": "normal", "targets": {"firstResponse": "1h"}, "hours": {"timeZone": "UTC", "always": true}},
		{"name": "crisis", "targets": {"firstResponse": "30m"},
		 "hours": {"timeZone": "UTC", "week": [{"day": "fri", "start": "09:00", "end": "18:00"}, {"day": "mon", "start": "09:00", "end": "18:00"}]}}],
		"default": "normal", "crisisDefault": "crisis"}`
	if err := ws.Store.SaveSLAPolicies(ctx, []byte(policies)); err != nil {
		t.Fatal(err)
	}
	a, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelTelegram})
	if err != nil {
		t.Fatal(err)
	}
	dm := func(key string, at time.Time) int64 {
		t.Helper()
		if _, err := ws.Store.SaveItems(ctx, a.ID, []inbox.Item{{ExternalID: key, ThreadKey: key, Kind: inbox.KindDM,
			Direction: inbox.DirectionIn, Text: "hello?", SentAt: at}}); err != nil {
			t.Fatal(err)
		}
		id, err := ws.Store.ConversationIDByThreadKey(ctx, a.ID, key)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	state := func(id int64) (string, time.Time) {
		t.Helper()
		c, err := ws.Store.ConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.SLADueAt == nil {
			t.Fatalf("conversation %d has no deadline: %+v", id, c)
		}
		return c.SLAState, *c.SLADueAt
	}

	overdue := dm("overdue", t0)                     // due 17:00
	running := dm("running", t0.Add(80*time.Minute)) // due 18:20 under normal
	now = t0.Add(88 * time.Minute)                   // 17:28: "Overdue 28m"
	if _, err := ws.Store.RecomputeSLA(ctx, now); err != nil {
		t.Fatal(err)
	}
	if st, due := state(overdue); st != "breached" || !due.Equal(t0.Add(time.Hour)) {
		t.Fatalf("before crisis mode: %s due %s, want breached due %s", st, due, t0.Add(time.Hour))
	}
	_, runningDue := state(running)

	if err := ws.SetCrisisMode(ctx, "acme", true, "anna"); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{now, now.Add(time.Minute)} {
		now = at
		if _, err := ws.Store.RecomputeSLA(ctx, now); err != nil {
			t.Fatal(err)
		}
		if st, due := state(overdue); st != "breached" || !due.Equal(t0.Add(time.Hour)) {
			t.Fatalf("at %s in crisis mode: %s due %s, want breached due %s", now.Format("15:04"), st, due, t0.Add(time.Hour))
		}
	}
	// 8 of the crisis target's 30 min are used at 17:28; office hours leave 32
	// min today, so the 22 left end at 17:50: earlier than 18:20, as it must be.
	st, due := state(running)
	if due.After(runningDue) {
		t.Fatalf("crisis mode moved a running deadline later: %s -> %s", runningDue, due)
	}
	if want := t0.Add(110 * time.Minute); st == "breached" || !due.Equal(want) {
		t.Fatalf("running clock in crisis mode: %s due %s, want due %s", st, due, want)
	}
}
