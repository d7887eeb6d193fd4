package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// The tests of this file open two workspaces on one database, as two server
// instances would: on PostgreSQL with STORMDESK_TEST_ENGINE=postgres (make
// test-go runs them so too), else on one SQLite file.
func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func sharedDSN(t *testing.T) string {
	t.Helper()
	if os.Getenv("STORMDESK_TEST_ENGINE") == "postgres" {
		pgtest.Require(t)
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), "ws.db")
}

func openAtDSN(t *testing.T, dsn string) *Workspace {
	t.Helper()
	ws, err := Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// normJSON is v as the UI receives it from any instance: encoded, decoded
// into a fresh T and encoded again (so nil and empty lists compare alike).
func normJSON[T any](t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var fresh T
	if err := json.Unmarshal(b, &fresh); err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(fresh); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameCrisisView reports how the dashboard's three reads differ between the
// instance running the monitor (leader) and one that does not (other); "" when
// they agree.
func sameCrisisView(t *testing.T, leader, other *CrisisMonitor) string {
	t.Helper()
	ls, os := statesOf(t, leader), statesOf(t, other)
	if a, b := normJSON[[]crisis.KeyState](t, ls), normJSON[[]crisis.KeyState](t, os); a != b {
		return "states differ:\nleader " + a + "\nother  " + b
	}
	byKeyTime := func(a, b crisis.Alert) int {
		if c := a.DetectedAt.Compare(b.DetectedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Key.String(), b.Key.String())
	}
	la, oa := alertsOf(t, leader), alertsOf(t, other)
	slices.SortFunc(la, byKeyTime)
	slices.SortFunc(oa, byKeyTime)
	if a, b := normJSON[[]crisis.Alert](t, la), normJSON[[]crisis.Alert](t, oa); a != b {
		return "alerts differ: leader has " + itoa(len(la)) + ", other " + itoa(len(oa))
	}
	for _, st := range ls {
		if a, b := normJSON[[]crisis.Bin](t, seriesOf(t, leader, st.Key)), normJSON[[]crisis.Bin](t, seriesOf(t, other, st.Key)); a != b {
			return "series of " + st.Key.String() + " differ"
		}
	}
	return ""
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestCrisisViewSameOnEveryInstance: one workspace runs the crisis monitor
// under the loop's lock, another on the same database does not. The other
// answers States, Series and Alerts from what the runner publishes: the same
// as the runner after the history replay, and again at the moment a new
// alert is announced (so a page of any instance that reloads on the
// announcement sees it), for a burst stored by the other instance.
func TestCrisisViewSameOnEveryInstance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now := time.Now().UTC()
	dsn := sharedDSN(t)
	leaderWS, otherWS := openAtDSN(t, dsn), openAtDSN(t, dsn)
	if _, err := leaderWS.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		alert crisis.Alert
		diff  string
		known bool // the other instance lists the alert
	}
	announced := make(chan seen, 16)
	acc := inbox.Account{Channel: inbox.ChannelTelegram, Name: demoAccount(t, leaderWS, demo.BurstBrand, inbox.ChannelTelegram)}
	var leader *CrisisMonitor
	var checked atomic.Bool
	other := otherWS.NewCrisisMonitor(nil)
	leader = leaderWS.NewCrisisMonitor(func(a crisis.Alert) {
		// Only the burst's first alert is checked: later ones (the burst
		// growing, a listening topic's stream) may come while the test ends
		// and its databases close.
		if a.Key != (crisis.Key{Account: acc.Name, Channel: acc.Channel}) || !checked.CompareAndSwap(false, true) {
			return
		}
		// Called on the monitor's goroutine, so nothing is fed meanwhile.
		s := seen{alert: a, diff: sameCrisisView(t, leader, other)}
		for _, x := range alertsOf(t, other) {
			s.known = s.known || (x.Key == a.Key && x.DetectedAt.Equal(a.DetectedAt))
		}
		announced <- s
	})
	leader.poll = 20 * time.Millisecond
	// A fixed clock: between feeds the leader's detector does not move.
	leader.now = func() time.Time { return now }
	if err := leaderWS.Run(ctx, Loops{Crisis: leader}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "history replay", leader.Ready)
	if len(statesOf(t, other)) == 0 {
		t.Fatal("the other instance shows no streams after the leader's replay")
	}
	if d := sameCrisisView(t, leader, other); d != "" {
		t.Fatal("after the replay: " + d)
	}

	if _, err := otherWS.Pipeline.Ingest(ctx, acc, burstItems("other-", 40, now)); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-announced:
		if s.alert.Key.Account != acc.Name {
			t.Errorf("alert for %s, want %s", s.alert.Key, acc.Name)
		}
		if s.diff != "" {
			t.Fatal("when the alert was announced: " + s.diff)
		}
		if !s.known {
			t.Fatal("the other instance did not list the alert when it was announced")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no alert for the burst")
	}
	var alerting bool
	for _, st := range statesOf(t, other) {
		alerting = alerting || (st.Key == crisis.Key{Account: acc.Name, Channel: acc.Channel} && st.Status == crisis.StatusAlert)
	}
	if !alerting {
		t.Errorf("the other instance does not show %s in alert", acc.Name)
	}
}

// TestClassifyStatusSameOnEveryInstance: a classification run on one
// workspace is seen running, then finished with its counts, by the status
// of another workspace on the same database; a "running" state an instance
// that died left behind expires.
func TestClassifyStatusSameOnEveryInstance(t *testing.T) {
	ctx := context.Background()
	// The LLM holds its first answer until the test has looked.
	_, a, b, sec, llm := classifyingInstances(t)
	entered, release := llm.entered, llm.release
	wa, wb := a.NewClassifyWorker(sec, nil), b.NewClassifyWorker(sec, nil)
	if st, err := wb.Status(ctx); err != nil || st.Running || st.LastRun != nil || !st.Settings.Enabled {
		t.Fatalf("status before any run = %+v, %v", st, err)
	}

	type result struct {
		res ClassifyResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := wa.RunOnce(ctx, false)
		done <- result{res, err}
	}()
	<-entered
	st, err := wb.Status(ctx)
	close(release)
	if err != nil || !st.Running {
		t.Fatalf("the other instance's status during the run = %+v, %v; want running", st, err)
	}
	r := <-done
	if r.err != nil || r.res.Classified != 2 {
		t.Fatalf("run = %+v, %v", r.res, r.err)
	}
	sa, errA := wa.Status(ctx)
	sb, errB := wb.Status(ctx)
	if errA != nil || errB != nil || sb.Running || sb.LastRun == nil || sb.Last != r.res || sb.LastError != "" {
		t.Fatalf("the other instance's status after the run = %+v, %v; want the run's %+v", sb, errB, r.res)
	}
	if ja, jb := normJSON[ClassifyStatus](t, sa), normJSON[ClassifyStatus](t, sb); ja != jb {
		t.Fatalf("statuses differ:\n%s\n%s", ja, jb)
	}

	// An instance that died mid-run left "running" behind, written long ago.
	b.Store.SetClock(func() time.Time { return time.Now().Add(-2 * classifyStale) })
	wb.publish(ctx, classifyProgress{Running: true})
	if st, err := wa.Status(ctx); err != nil || st.Running {
		t.Fatalf("status with a stale running state = %+v, %v; want not running", st, err)
	}
}

// TestYouTubeQuotaSharedByInstances: two workspaces on one database spend
// from one YouTube budget at once; together they spend it exactly, never
// more, because each spend is one atomic step in the settings table.
func TestYouTubeQuotaSharedByInstances(t *testing.T) {
	ctx := context.Background()
	dsn := sharedDSN(t)
	quotas := []*youtube.Quota{openAtDSN(t, dsn).ytQuota, openAtDSN(t, dsn).ytQuota}
	var spent atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for _, q := range quotas {
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					err := q.Spend(ctx, "commentThreads.insert", youtube.CostInsert, 0)
					if errors.Is(err, youtube.ErrQuotaBudget) {
						return
					}
					if err != nil {
						errs <- err
						return
					}
					spent.Add(youtube.CostInsert)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := spent.Load(); got != youtube.DefaultDailyBudget {
		t.Fatalf("the instances spent %d units together, want the budget %d", got, youtube.DefaultDailyBudget)
	}
	for i, q := range quotas {
		if q.Used() != youtube.DefaultDailyBudget {
			t.Errorf("instance %d counts %d units used, want %d", i, q.Used(), youtube.DefaultDailyBudget)
		}
	}
}

// TestCrisisMonitorRetakenShowsTheSame: a runner that loses the loop's lock
// (its Run ends) and takes it again replays history afresh: it shows and
// publishes the same states as before, not the week's messages counted twice.
func TestCrisisMonitorRetakenShowsTheSame(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	ws := openAtDSN(t, sharedDSN(t))
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	m := ws.NewCrisisMonitor(nil)
	m.poll = 20 * time.Millisecond
	m.now = func() time.Time { return now }
	var views []string
	for range 2 {
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- m.Run(rctx) }()
		waitFor(t, "history replay", m.Ready)
		views = append(views, normJSON[[]crisis.KeyState](t, statesOf(t, m))+normJSON[[]crisis.Alert](t, alertsOf(t, m)))
		cancel() // as a lost lock does
		<-done
	}
	if views[0] != views[1] {
		t.Fatalf("the monitor shows other states after taking the loop again:\nfirst  %.400s\nsecond %.400s", views[0], views[1])
	}
}

// TestPanickedLeaderLoopGivesItsLockBack: a leader-only loop that panics
// gives its loop lock back, so another instance takes the loop over (on
// PostgreSQL the lock is held by a pinned connection, which outlived a
// panic until the lock was released on the way out).
func TestPanickedLeaderLoopGivesItsLockBack(t *testing.T) {
	dsn := sharedDSN(t)
	a, b := openAtDSN(t, dsn), openAtDSN(t, dsn)
	a.Timing = Timing{RestartMin: time.Hour, RestartMax: time.Hour, LockRetry: 20 * time.Millisecond}
	b.Timing = Timing{LockRetry: 20 * time.Millisecond}
	ma := a.NewCrisisMonitor(nil)
	ma.now = func() time.Time { panic("crisis: index out of range [-1]") }
	if err := a.Run(context.Background(), Loops{Crisis: ma}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first instance's crisis loop to fail", func() bool {
		h, ok := healthOf(a, "crisis")
		return ok && h.State == LoopRestarting
	})
	mb := b.NewCrisisMonitor(nil)
	mb.poll = 20 * time.Millisecond
	if err := b.Run(context.Background(), Loops{Crisis: mb}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second instance to take the crisis loop over", mb.Ready)
}
