package instances

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

const (
	outboxReplies  = 1000
	outboxMinKills = 20
	outboxLease    = 3 * time.Second
	outboxSeed     = 20261203 // fixed, so a failing run replays the same kill delays
)

// TestOutboxExactlyOnceAcrossInstanceKills approves 1,000 replies at once
// (through the composer, as a person does) and lets two, then three server
// instances send them through the Mastodon fake while instances are killed
// with SIGKILL at random points (and restarted) at least 20 times. The fake
// holds every status post for a random moment before and after accepting it,
// so kills fall between a claim and the send, and between the platform's
// acceptance and the local commit. At the end every reply is sent, the fake
// holds exactly one status per idempotency key and per text, and each
// reply's recorded external id is that status.
func TestOutboxExactlyOnceAcrossInstanceKills(t *testing.T) {
	requireCluster(t)
	ctx := context.Background()
	began := time.Now()
	rng := &lockedRand{r: rand.New(rand.NewPCG(outboxSeed, outboxSeed))}
	dsn := pgtest.NewDatabase(t)
	keyFile, key := newKeyFile(t)
	fake := mastodonfake.New(teamToken)
	t.Cleanup(fake.Close)
	front := httptest.NewServer(stalling(fake, rng))
	t.Cleanup(front.Close)

	ws, sec := openTeam(ctx, t, dsn, key, front.URL)
	// A first sync reads one page of history and sets the cursor; the rest
	// come after it, so the next sync reads them all.
	addMentions(t, fake, 0, 1)
	syncOnce(ctx, t, ws, sec)
	addMentions(t, fake, 1, outboxReplies)
	syncOnce(ctx, t, ws, sec)
	db := rawDB(t, dsn)
	ids := approveAll(ctx, t, db, ws.NewComposer(sec), outboxReplies)
	t.Logf("set-up: %d approved replies in %v", len(ids), time.Since(began).Round(time.Millisecond))

	// The bound starts after the set-up, whose speed depends on the machine's load.
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	began = time.Now()
	start := (&fleet{t: t, dsn: dsn, keyFile: keyFile}).start
	procs := []*instance{start(), start()}
	for _, p := range procs {
		p.waitRunning()
	}
	kills := 0
	for kills < outboxMinKills {
		if kills == outboxMinKills/2 {
			p := start() // from here on three instances send side by side
			p.waitRunning()
			procs = append(procs, p)
		}
		i := rng.intN(len(procs))
		time.Sleep(spread(rng, 50*time.Millisecond, 1500*time.Millisecond))
		procs[i].kill()
		kills++
		procs[i] = start()
		if kills%4 != 3 {
			// The others are let to start fully; every fourth restart may be
			// killed again while it is still opening the store.
			procs[i].waitRunning()
		}
	}
	left := pending(ctx, t, ws)
	t.Logf("%d SIGKILLs in %v among %d instances; %d replies still queued then", kills, time.Since(began).Round(time.Millisecond), len(procs), left)
	if left == 0 {
		t.Log("warning: every reply was out before the last kill")
	}
	if !waitFor(90*time.Second, func() bool { return pending(ctx, t, ws) == 0 }) {
		for _, p := range procs {
			t.Log(p.tail())
		}
		t.Fatalf("%d replies still queued 90 s after the last kill", pending(ctx, t, ws))
	}
	for _, p := range procs {
		p.stop()
	}

	var reclaimed int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM replies WHERE attempts > 1`).Scan(&reclaimed); err != nil {
		t.Fatal(err)
	}
	posted := fake.Posted()
	posts := 0
	for _, c := range fake.Calls("/api/v1/statuses") {
		if c.Method == http.MethodPost {
			posts++
		}
	}
	t.Logf("%d statuses from %d POSTs (%d resends answered from the Idempotency-Key); %d replies claimed again after their sender died",
		len(posted), posts, posts-len(posted), reclaimed)
	if reclaimed == 0 {
		t.Error("no kill fell between a claim and its recorded outcome: the test did not exercise the crash window")
	}
	byKey, byText := map[string][]mastodonfake.Posted{}, map[string]int{}
	for _, p := range posted {
		byKey[p.IdempotencyKey] = append(byKey[p.IdempotencyKey], p)
		byText[p.Status]++
	}
	if len(posted) != len(ids) {
		t.Errorf("the fake holds %d statuses for %d approved replies", len(posted), len(ids))
	}
	for text, c := range byText {
		if c != 1 {
			t.Errorf("text %q posted %d times", text, c)
		}
	}
	for _, id := range ids {
		r, err := ws.Store.ReplyByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != drafts.StateSent {
			t.Errorf("reply %s is %s (%s), want sent", id, r.State, r.FailReason)
			continue
		}
		ps := byKey[r.IdempotencyKey]
		if len(ps) != 1 || ps[0].ID != r.ExternalID {
			t.Errorf("reply %s (key %s, external id %s): posted as %+v", id, r.IdempotencyKey, r.ExternalID, ps)
		}
	}
}

// approveAll drafts, edits, submits, approves and queues one reply in each
// of the account's conversations, four people at a time, as in the composer.
func approveAll(ctx context.Context, t *testing.T, db *sql.DB, c *workspace.Composer, want int) []string {
	t.Helper()
	// The inbox pages at most 500 conversations, so they are listed directly.
	var convs []int64
	rows, err := db.QueryContext(ctx, `SELECT id FROM conversations ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		convs = append(convs, id)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(convs) != want {
		t.Fatalf("%d conversations after sync, want %d", len(convs), want)
	}
	ids := make([]string, len(convs))
	errs := make(chan error, len(convs))
	var wg sync.WaitGroup
	work := make(chan int)
	for w := range 4 {
		person := drafts.Actor{Name: fmt.Sprintf("agent-%d", w), Role: drafts.RoleAgent}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r, err := c.Draft(ctx, convs[i], person, "", nil)
				if err != nil {
					errs <- fmt.Errorf("draft in conversation %d: %w", convs[i], err)
					continue
				}
				text := fmt.Sprintf("Thank you, we are on it. Reference %04d.", i)
				for _, s := range []drafts.Step{{Action: drafts.ActionEdit, Text: text}, {Action: drafts.ActionSubmit},
					{Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}} {
					if r, err = c.Step(ctx, r.ID, person, s); err != nil {
						errs <- fmt.Errorf("%s reply %s: %w", s.Action, r.ID, err)
						break
					}
				}
				if err == nil && (r.State != drafts.StateQueued || r.IdempotencyKey == "") {
					errs <- fmt.Errorf("reply %s is %s with key %q after approve & queue", r.ID, r.State, r.IdempotencyKey)
				}
				ids[i] = r.ID
			}
		}()
	}
	for i := range convs {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ids
}

// pending counts the queued replies, due or hidden by a claim's lease.
func pending(ctx context.Context, t *testing.T, ws *workspace.Workspace) int {
	t.Helper()
	items, err := ws.Store.DueOutbox(ctx, time.Now().Add(24*time.Hour), 10*outboxReplies)
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

// stalling serves the fake and holds every status post for 0–20 ms before
// the fake sees it and again after the fake has stored it (the answer leaves
// only when the handler returns).
func stalling(fake *mastodonfake.Server, rng *lockedRand) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		post := r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses"
		if post {
			time.Sleep(rng.stall())
		}
		fake.Config.Handler.ServeHTTP(w, r)
		if post {
			time.Sleep(rng.stall())
		}
	})
}

// lockedRand is a seeded source shared by the fake's handler and the kill loop.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func (l *lockedRand) float() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}

func (l *lockedRand) intN(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.IntN(n)
}

func (l *lockedRand) stall() time.Duration {
	return time.Duration(l.float() * float64(20*time.Millisecond))
}

// spread picks a delay between lo and hi, uniform on a log scale, so kills
// fall early and late in an instance's life alike.
func spread(rng *lockedRand, lo, hi time.Duration) time.Duration {
	l, h := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(l + rng.float()*(h-l)))
}
