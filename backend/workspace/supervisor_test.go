package workspace

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/store"
)

// lateExit is how long the test's loops keep going after their context
// ends, each then touching the store: long enough that a Close which did not
// wait for them would have closed the database first.
const lateExit = 300 * time.Millisecond

// storeGuard records store calls the loops make after Close began,
// and every call that found the database closed or came after Close returned.
type storeGuard struct {
	closing atomic.Bool // set by the test as it calls Close
	closed  atomic.Bool // set by the test once Close has returned

	mu    sync.Mutex
	late  map[string]int // calls made after Close began
	wrong []string
}

func (g *storeGuard) touched(what string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing.Load() {
		g.late[what]++
	}
	switch {
	case g.closed.Load():
		g.wrong = append(g.wrong, what+" after Close returned")
	case err != nil && strings.Contains(err.Error(), "database is closed"):
		g.wrong = append(g.wrong, what+": "+err.Error())
	}
}

func (g *storeGuard) report() (map[string]int, []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	late := map[string]int{}
	for k, v := range g.late {
		late[k] = v
	}
	return late, append([]string(nil), g.wrong...)
}

// guardedSync is the store the sync scheduler writes through. Its batch
// write is slow to notice shutdown: it waits for the sync's context to end,
// then lateExit more, then writes (as a write already under way would).
type guardedSync struct {
	*store.Store
	g      *storeGuard
	saving chan struct{}
}

func (s guardedSync) SaveBatch(ctx context.Context, accountID int64, items []inbox.Item, st store.SyncState) (store.SaveResult, error) {
	signal(s.saving)
	<-ctx.Done()
	time.Sleep(lateExit)
	res, err := s.Store.SaveBatch(context.WithoutCancel(ctx), accountID, items, st)
	s.g.touched("sync", err)
	return res, err
}

func (s guardedSync) SetSyncError(ctx context.Context, accountID int64, msg string) error {
	err := s.Store.SetSyncError(ctx, accountID, msg)
	s.g.touched("sync", err)
	return err
}

// guardedOutbox is the store the outbox records sends through.
type guardedOutbox struct {
	*store.Store
	g *storeGuard
}

func (s guardedOutbox) MarkSent(ctx context.Context, id string, at time.Time, out *inbox.Item, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) error {
	err := s.Store.MarkSent(ctx, id, at, out, step)
	s.g.touched("send", err)
	return err
}

func (s guardedOutbox) MarkFailed(ctx context.Context, id string, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) error {
	err := s.Store.MarkFailed(ctx, id, step)
	s.g.touched("send", err)
	return err
}

func (s guardedOutbox) Reschedule(ctx context.Context, id string, next time.Time, lastErr string) error {
	err := s.Store.Reschedule(ctx, id, next, lastErr)
	s.g.touched("send", err)
	return err
}

// slowConn is a platform that serves one message at once and answers a
// reply only as the app shuts down: Reply blocks until its context ends, then
// takes lateExit more to report success, which the outbox records.
type slowConn struct {
	replying chan struct{}
}

func (c *slowConn) Kind() inbox.ChannelKind    { return inbox.ChannelTelegram }
func (c *slowConn) Test(context.Context) error { return nil }
func (c *slowConn) Limits() channels.Limits    { return channels.Limits{} }

func (c *slowConn) Fetch(ctx context.Context, cursor string) (channels.Batch, error) {
	if cursor != "" {
		<-ctx.Done()
		return channels.Batch{}, ctx.Err()
	}
	return channels.Batch{Cursor: "1", Items: []inbox.Item{{ExternalID: "s1", ThreadKey: "s", Kind: inbox.KindDM,
		Direction: inbox.DirectionIn, Text: "anyone there?", SentAt: time.Now()}}}, nil
}

func (c *slowConn) Reply(ctx context.Context, _ channels.Reply) (channels.Sent, error) {
	signal(c.replying)
	<-ctx.Done()
	time.Sleep(lateExit)
	return channels.Sent{ExternalID: "late-1"}, nil
}

// signal notes that something began, without waiting for anyone to look.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// queuedReply walks an offline draft in the fixture's conversation to queued.
func queuedReply(t *testing.T, ws *Workspace, sec *memSecrets, convID int64) {
	t.Helper()
	ctx := context.Background()
	c := ws.NewComposer(sec)
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	r, err := c.Draft(ctx, convID, agent, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []drafts.Step{{Action: drafts.ActionSubmit}, {Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}} {
		if r, err = c.Step(ctx, r.ID, agent, s); err != nil {
			t.Fatalf("%s: %v", s.Action, err)
		}
	}
}

func waitSignal(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("never %s", what)
	}
}

// TestCloseWaitsForSyncSendAndSweep closes the workspace while a sync, a send
// and an SLA sweep are each in progress and slow to notice: every one of them
// still writes to the store after its context ends, and each write must find
// the database open, before Close returns.
func TestCloseWaitsForSyncSendAndSweep(t *testing.T) {
	ws, sec, _, convID := telegramConversation(t)
	queuedReply(t, ws, sec, convID)
	g := &storeGuard{late: map[string]int{}}
	conn := &slowConn{replying: make(chan struct{}, 1)}
	saving := make(chan struct{}, 1)

	syncer := ws.NewSyncer(sec, nil)
	syncer.sched = ingest.NewScheduler(ws.Pipeline, guardedSync{ws.Store, g, saving}, ingest.SchedulerConfig{}, nil)
	composer := ws.NewComposer(sec)
	composer.outbox = drafts.NewOutbox(guardedOutbox{ws.Store, g}, func(int64) (channels.Connector, error) { return conn, nil }, ws.Log)
	sweeping := make(chan struct{}, 1)
	sweep := &SLASweep{Every: time.Hour, recompute: func(ctx context.Context, now time.Time) (int, error) {
		signal(sweeping)
		<-ctx.Done()
		time.Sleep(lateExit)
		n, err := ws.Store.RecomputeSLA(context.WithoutCancel(ctx), now)
		g.touched("sweep", err)
		return n, err
	}}

	if err := ws.Run(context.Background(), Loops{Sync: syncer, Outbox: composer, SLA: sweep,
		Crisis: ws.NewCrisisMonitor(nil), Classify: ws.NewClassifyWorker(sec, nil)}); err != nil {
		t.Fatal(err)
	}
	// Beside the fixture's Telegram account, which StartAll syncs for real.
	syncer.sched.Start(context.Background(), inbox.Account{Name: "slow", Channel: inbox.ChannelTelegram}, conn)
	waitSignal(t, saving, "stored a synced batch")
	waitSignal(t, conn.replying, "sent")
	waitSignal(t, sweeping, "swept")
	if got := ws.Running(); strings.Join(got, ",") != "classify,crisis,outbox,sla,sync" {
		t.Fatalf("running %v", got)
	}

	g.closing.Store(true)
	start := time.Now()
	if err := ws.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	took := time.Since(start)
	g.closed.Store(true)
	if took < lateExit {
		t.Errorf("Close returned after %v, before the loops' last writes (%v)", took, lateExit)
	}
	if got := ws.Running(); len(got) != 0 {
		t.Errorf("still running after Close: %v", got)
	}
	// A loop Close forgot would write within lateExit of the cancellation.
	time.Sleep(2 * lateExit)
	late, wrong := g.report()
	for _, what := range []string{"sync", "send", "sweep"} {
		if late[what] == 0 {
			t.Errorf("no %s write after cancellation: the test did not shut down during a %s", what, what)
		}
	}
	if len(wrong) > 0 {
		t.Errorf("store used after it closed: %v", wrong)
	}
	if _, err := ws.Store.Accounts(context.Background()); err == nil {
		t.Error("the store is still open after Close")
	}
}

// logLines receives the log lines the workspace writes; a line beyond its
// buffer is dropped rather than blocking a loop.
type logLines chan string

func (l logLines) Write(p []byte) (int, error) {
	select {
	case l <- string(p):
	default:
	}
	return len(p), nil
}

// drain returns the lines written since the last drain.
func (l logLines) drain() string {
	var b strings.Builder
	for {
		select {
		case s := <-l:
			b.WriteString(s)
		default:
			return b.String()
		}
	}
}

// TestSupervisorLifecycle: a panicking loop is logged and does not stop the
// others or Close; nothing starts once Close has begun; Close twice is safe.
func TestSupervisorLifecycle(t *testing.T) {
	ws, sec, _, _ := telegramConversation(t)
	logs := make(logLines, 100)
	ws.Log = slog.New(slog.NewTextHandler(logs, nil))
	if err := ws.Go("early", func(context.Context) error { return nil }); err == nil {
		t.Error("Go before Run started a loop")
	}
	if err := ws.Run(context.Background(), Loops{}); err != nil {
		t.Fatal(err)
	}
	if err := ws.Run(context.Background(), Loops{}); err == nil {
		t.Error("a second Run was accepted")
	}
	if err := ws.Go("boom", func(context.Context) error { panic("loop bug") }); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	if err := ws.Go("steady", func(ctx context.Context) error { <-ctx.Done(); close(stopped); return ctx.Err() }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the panicking loop to end, the other running", func() bool { return strings.Join(ws.Running(), ",") == "steady" })
	if l := logs.drain(); !strings.Contains(l, "loop bug") || !strings.Contains(l, "loop=boom") {
		t.Errorf("the panic is not logged with its loop:\n%s", l)
	}

	syncer := ws.NewSyncer(sec, nil)
	syncer.Stop()
	if err := syncer.Start(context.Background(), "acme-bot"); !errors.Is(err, ErrClosed) {
		t.Errorf("Start after Stop: %v; want ErrClosed", err)
	}

	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	default:
		t.Error("Close returned before the steady loop")
	}
	if err := ws.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := ws.Go("late", func(context.Context) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Go after Close: %v; want ErrClosed", err)
	}
	if l := logs.drain(); strings.Contains(l, "steady") {
		t.Errorf("a loop ending by cancellation was logged as an error:\n%s", l)
	}
}

// TestShutdownLeavesTheStoreOpenForAStuckLoop: when the wait is cut short,
// the database stays usable for the loop that is still running, and a later
// Close finishes the job.
func TestShutdownLeavesTheStoreOpenForAStuckLoop(t *testing.T) {
	ws := openWS(t)
	release := make(chan struct{})
	if err := ws.Run(context.Background(), Loops{}); err != nil {
		t.Fatal(err)
	}
	if err := ws.Go("stuck", func(context.Context) error { <-release; return nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := ws.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "stuck") {
		t.Fatalf("Shutdown = %v; want a deadline error naming the stuck loop", err)
	}
	if _, err := ws.Store.Accounts(context.Background()); err != nil {
		t.Fatalf("the store closed under a running loop: %v", err)
	}
	close(release)
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.Accounts(context.Background()); err == nil {
		t.Error("the store is still open after Close")
	}
}

// TestCrisisMonitorStartsAfterSeed: the monitor's replay must see seeded data
// as history, so it waits for Seed.
func TestCrisisMonitorStartsAfterSeed(t *testing.T) {
	ws := openWS(t)
	release := make(chan struct{})
	m := ws.NewCrisisMonitor(nil)
	seeding := make(chan struct{}, 1)
	err := ws.Run(context.Background(), Loops{Crisis: m, Seed: func(ctx context.Context) error {
		signal(seeding)
		<-release
		return errors.New("demo: disk full")
	}})
	if err != nil {
		t.Fatal(err)
	}
	waitSignal(t, seeding, "seeded")
	time.Sleep(200 * time.Millisecond) // time for a monitor that did not wait to replay
	if m.Ready() {
		t.Fatal("the crisis monitor replayed before the seed finished")
	}
	close(release)
	waitFor(t, "the monitor to start after a failed seed", m.Ready)
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
}
