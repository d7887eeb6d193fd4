package instances

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

const (
	takeoverRounds = 3
	takeoverLimit  = 2 * time.Minute // what the issue allows for a takeover
	lockTaken      = "sync lock taken"
	lockWaiting    = "sync lock held by another instance"
)

// TestSyncTakeoverAfterKill runs two instances on one database while
// mentions keep arriving at the Mastodon fake. Only one instance syncs the
// account (the other logs that it waits); that one is killed with SIGKILL
// three times, each time mid-sync, and another instance takes the account
// over within two minutes (here within a second or so: the test's lock retry
// is short) and resumes from the stored cursor: only the very first fetch of
// mentions starts without one, and at the end every mention is stored once.
func TestSyncTakeoverAfterKill(t *testing.T) {
	requireCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rng := &lockedRand{r: rand.New(rand.NewPCG(outboxSeed, 7))}
	dsn := pgtest.NewDatabase(t)
	keyFile, key := newKeyFile(t)
	fake := mastodonfake.New(teamToken)
	t.Cleanup(fake.Close)
	openTeam(ctx, t, dsn, key, fake.URL)
	db := rawDB(t, dsn)
	addMentions(t, fake, 0, 5)

	start := (&fleet{t: t, dsn: dsn, keyFile: keyFile}).start
	procs := []*instance{start(), start()}
	for _, p := range procs {
		p.waitRunning()
	}

	// Mentions keep arriving, each pushed to the open stream, until stopped.
	var mu sync.Mutex
	produced := 5
	stopProducing := make(chan struct{})
	var producer sync.WaitGroup
	producer.Add(1)
	go func() {
		defer producer.Done()
		for {
			select {
			case <-stopProducing:
				return
			case <-time.After(20 * time.Millisecond):
			}
			mu.Lock()
			addMentions(t, fake, produced, produced+1)
			produced++
			mu.Unlock()
		}
	}()
	stored := func() int {
		var c int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE direction = 'in'`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// holder is the one live instance that took the lock (a replaced
	// instance's log is gone with it; no live one loses its lock here).
	holder := func() (*instance, int) {
		var hs []*instance
		at := -1
		for i, p := range procs {
			if strings.Contains(p.logs.String(), lockTaken) {
				hs, at = append(hs, p), i
			}
		}
		if len(hs) != 1 {
			return nil, -1
		}
		return hs[0], at
	}

	for round := range takeoverRounds {
		var h *instance
		var at int
		if !waitFor(30*time.Second, func() bool { h, at = holder(); return h != nil }) {
			for _, p := range procs {
				t.Log(p.tail())
			}
			t.Fatalf("round %d: no single instance holds the account's sync lock", round)
		}
		if !waitFor(10*time.Second, func() bool {
			for _, p := range procs {
				if p != h && strings.Contains(p.logs.String(), lockWaiting) {
					return true
				}
			}
			return false
		}) {
			t.Fatalf("round %d: the instances not holding the lock do not say they wait for it", round)
		}
		// Let it sync some of the mentions arriving meanwhile, then kill it
		// at a random moment.
		before := stored()
		if !waitFor(30*time.Second, func() bool { return stored() >= before+20 }) {
			t.Fatalf("round %d: %s holds the lock but stores nothing:\n%s", round, h.name, h.tail())
		}
		time.Sleep(spread(rng, 5*time.Millisecond, 400*time.Millisecond))
		h.kill()
		killed := time.Now()
		atKill := stored()
		procs[at] = start()
		var next *instance
		if !waitFor(takeoverLimit, func() bool { next, _ = holder(); return next != nil }) {
			for _, p := range procs {
				t.Log(p.tail())
			}
			t.Fatalf("round %d: nobody took the account over within %v of killing %s", round, takeoverLimit, h.name)
		}
		took := time.Since(killed)
		if !waitFor(30*time.Second, func() bool { return stored() >= atKill+20 }) {
			t.Fatalf("round %d: %s took the lock but stores nothing:\n%s", round, next.name, next.tail())
		}
		t.Logf("round %d: killed %s with %d mentions stored; %s took over after %v", round, h.name, atKill, next.name, took.Round(time.Millisecond))
		for _, loop := range []string{"sla", "snooze"} {
			if !waitFor(10*time.Second, func() bool { return leaders(procs, loop) == 1 }) {
				t.Fatalf("round %d: %d live instances run the %s loop, want 1", round, leaders(procs, loop), loop)
			}
		}
	}

	// A lost lock connection (here ended by the database, as a failover or
	// a network cut would) stops the holder's syncing; the account is taken
	// again, by it or another instance, and syncing goes on.
	h, _ := holder()
	var ended int
	if err := db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = 1935933441::oid AND objsubid = 2 AND granted`).Scan(&ended); err != nil || ended != 1 {
		t.Fatalf("ending the sync lock's session: %d sessions, %v", ended, err)
	}
	if !waitFor(takeoverLimit, func() bool {
		return strings.Contains(h.logs.String(), "sync lock lost") && taken(procs) >= 2
	}) {
		t.Fatalf("after its lock's session ended, %s did not stop, or nobody took the account again:\n%s", h.name, allLogs(procs))
	}
	atLoss := stored()
	if !waitFor(30*time.Second, func() bool { return stored() >= atLoss+20 }) {
		t.Fatal("nothing stored after the lock was taken again")
	}
	close(stopProducing)
	producer.Wait()
	if !waitFor(60*time.Second, func() bool { return stored() >= produced }) {
		t.Fatalf("%d of %d mentions stored a minute after the last one arrived", stored(), produced)
	}
	for _, p := range procs {
		p.stop()
	}

	ids := map[string]int{}
	rows, err := db.QueryContext(ctx, `SELECT external_id FROM messages WHERE direction = 'in'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[id]++
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range produced {
		if c := ids[mentionID(i)]; c != 1 {
			t.Errorf("mention %s stored %d times", mentionID(i), c)
		}
	}
	if len(ids) != produced {
		t.Errorf("%d distinct messages stored for %d mentions", len(ids), produced)
	}
	fresh := 0
	for _, c := range fake.Calls("/api/v1/notifications") {
		if c.Query.Get("min_id") == "" && c.Query.Get("since_id") == "" && c.Query.Get("max_id") == "" {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d fetches of mentions started without a cursor, want only the first sync's: a takeover must resume from the stored cursor", fresh)
	}
	t.Logf("%d mentions stored once each through %d takeovers", produced, takeoverRounds)
}

// leaders counts the live instances that took the lock of a once-per-team loop.
func leaders(procs []*instance, loop string) int {
	n := 0
	for _, p := range procs {
		if strings.Contains(p.logs.String(), `loop lock taken: this instance runs the loop" loop=`+loop) {
			n++
		}
	}
	return n
}

func allLogs(procs []*instance) string {
	var b strings.Builder
	for _, p := range procs {
		b.WriteString(p.tail())
	}
	return b.String()
}

// taken counts the sync locks taken in the live instances' whole logs.
func taken(procs []*instance) int {
	n := 0
	for _, p := range procs {
		n += strings.Count(p.logs.String(), lockTaken)
	}
	return n
}
