package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// SchedulerConfig tunes the background sync.
type SchedulerConfig struct {
	PollInterval time.Duration // between syncs of connectors that cannot push; default 2 min
	MinBackoff   time.Duration // first wait after a failure; default 5 s
	MaxBackoff   time.Duration // longest wait after repeated failures; default 5 min
	// LockRetry is how often an instance that does not hold an account's sync
	// lock tries again (see AccountLocker); default 30 s, so a dead holder's
	// accounts are taken over well within two minutes.
	LockRetry time.Duration
	// Sleep waits for d or until ctx ends; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (c *SchedulerConfig) defaults() {
	if c.PollInterval <= 0 {
		c.PollInterval = 2 * time.Minute
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 5 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 5 * time.Minute
	}
	if c.LockRetry <= 0 {
		c.LockRetry = 30 * time.Second
	}
	if c.Sleep == nil {
		c.Sleep = channels.Sleep
	}
}

// Event tells the UI what a background sync did.
type Event struct {
	Progress
	Err       string `json:"error"`     // "" unless the run failed
	RetryInMs int64  `json:"retryInMs"` // until the next attempt after a failure; 0 if none
	Completed bool   `json:"completed"` // a sync run finished (successfully or not)
}

// Scheduler keeps every configured account in sync in the background: push
// where the connector can (IMAP IDLE, long poll), polling otherwise, and
// exponential backoff after failures, honouring the platform's Retry-After.
type Scheduler struct {
	p     *Pipeline
	st    SyncStore
	cfg   SchedulerConfig
	log   *slog.Logger
	event func(Event)

	mu      sync.Mutex
	running map[string]*run
	wg      sync.WaitGroup
}

// run is one account's loop: how to end it, when it has ended, and its backoff.
type run struct {
	cancel context.CancelFunc
	done   chan struct{}
	retry  Backoff // guarded by Scheduler.mu
}

// Backoff is where an account's loop stands after failed syncs: the UI shows
// NextAttempt as the real time of the next try.
type Backoff struct {
	Failures    int       `json:"failures"`                     // failed runs in a row; 0 when the last run succeeded
	NextAttempt time.Time `json:"nextAttempt" ts_type:"string"` // zero unless the loop is waiting after a failure
	LastError   string    `json:"lastError"`
}

// AccountGate is what the scheduler asks before every run whether an account
// may still be synced (the store: a disabled or removed account may not). A
// store without it syncs every account it is given.
type AccountGate interface {
	AccountActiveByID(ctx context.Context, accountID int64) (bool, error)
}

// AccountLocker is what the scheduler asks for the right to sync an account
// (the store: a PostgreSQL advisory lock, held on a connection of its own, so
// of several server instances on one database only one syncs each account;
// SQLite always grants it). A store without it syncs every account it is given.
type AccountLocker interface {
	TryLockAccount(ctx context.Context, accountID int64) (*store.Lock, bool, error)
}

// NewScheduler returns a scheduler; event (may be nil) receives progress and errors.
func NewScheduler(p *Pipeline, st SyncStore, cfg SchedulerConfig, event func(Event)) *Scheduler {
	cfg.defaults()
	if event == nil {
		event = func(Event) {}
	}
	return &Scheduler{p: p, st: st, cfg: cfg, log: p.log, event: event, running: map[string]*run{}}
}

// Start keeps account a in sync through conn until Stop, or until Start is called
// again for the same account name (which replaces the running loop).
func (s *Scheduler) Start(ctx context.Context, a inbox.Account, conn channels.Connector) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var prev chan struct{}
	if old, ok := s.running[a.Name]; ok {
		old.cancel()
		prev = old.done
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &run{cancel: cancel, done: make(chan struct{})}
	s.running[a.Name] = r
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(r.done)
		defer s.forget(a.Name, r)
		if prev != nil {
			// The replaced loop gives the account's sync lock back as it
			// returns; asking before would find it held and wait a LockRetry.
			<-prev
		}
		s.loop(ctx, a, conn, r)
	}()
}

// Stop ends every loop and waits for them.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	for name, r := range s.running {
		r.cancel()
		delete(s.running, name)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// StopAccount ends one account's loop (the account was disabled or removed)
// and waits until it has returned, so no sync of it runs afterwards.
func (s *Scheduler) StopAccount(name string) {
	s.mu.Lock()
	r, ok := s.running[name]
	if ok {
		r.cancel()
		delete(s.running, name)
	}
	s.mu.Unlock()
	if ok {
		<-r.done
	}
}

// Backoff returns where the loop of an account stands; ok is false when no
// loop runs for it.
func (s *Scheduler) Backoff(name string) (b Backoff, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.running[name]
	if !ok {
		return Backoff{}, false
	}
	return r.retry, true
}

// forget drops a loop that ended by itself, unless Start already replaced it.
func (s *Scheduler) forget(name string, r *run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[name] == r {
		delete(s.running, name)
	}
}

func (s *Scheduler) setRetry(r *run, b Backoff) {
	s.mu.Lock()
	r.retry = b
	s.mu.Unlock()
}

func (s *Scheduler) clearNextAttempt(r *run) {
	s.mu.Lock()
	r.retry.NextAttempt = time.Time{}
	s.mu.Unlock()
}

// allowed asks the store whether a may still be synced. Only a definite "no"
// ends the loop: a failed read is logged and the sync goes on, as it would
// have before accounts could be disabled.
func (s *Scheduler) allowed(ctx context.Context, a inbox.Account) bool {
	g, ok := s.st.(AccountGate)
	if !ok || a.ID == 0 {
		return true
	}
	active, err := g.AccountActiveByID(ctx, a.ID)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("sync: account state unknown, syncing", "account", a.Name, "err", err)
		}
		return true
	}
	if !active {
		s.log.Info("sync stopped: the account is disabled or removed", "account", a.Name)
	}
	return active
}

// loop syncs a while this instance holds the account's sync lock. Without the
// lock it waits, trying again every LockRetry, so when the holder dies (its
// session ends and PostgreSQL frees the lock) this instance takes over and
// resumes from the stored cursor. A lost lock stops the syncing at once (the
// running sync is cancelled; its batch is stored whole or not at all) and
// the loop goes back to waiting for the lock.
func (s *Scheduler) loop(ctx context.Context, a inbox.Account, conn channels.Connector, r *run) {
	for ctx.Err() == nil {
		lost, release, ok := s.acquire(ctx, a)
		if !ok {
			return
		}
		hctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-lost:
				s.log.Warn("sync lock lost: syncing of the account stops until it is taken again", "account", a.Name)
				cancel()
			case <-hctx.Done():
			}
		}()
		finished := s.syncWhileHeld(hctx, a, conn, r)
		cancel()
		release()
		if finished {
			return
		}
	}
}

// acquire waits until this instance holds a's sync lock; ok is false when ctx
// ended first. lost is closed if the lock is lost; release gives it back.
func (s *Scheduler) acquire(ctx context.Context, a inbox.Account) (lost <-chan struct{}, release func(), ok bool) {
	l, isLocker := s.st.(AccountLocker)
	if !isLocker || a.ID == 0 {
		return nil, func() {}, true // a nil channel is never closed
	}
	waiting := false
	for {
		lock, got, err := l.TryLockAccount(ctx, a.ID)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("sync lock: cannot ask for it; trying again", "account", a.Name, "err", err, "retry_in", s.cfg.LockRetry)
		case got:
			s.log.Info("sync lock taken: this instance syncs the account", "account", a.Name, "account_id", a.ID)
			return lock.Lost(), lock.Release, true
		case err == nil && !waiting:
			s.log.Info("sync lock held by another instance: waiting to take over", "account", a.Name, "retry_in", s.cfg.LockRetry)
			waiting = true
		}
		if s.cfg.Sleep(ctx, s.cfg.LockRetry) != nil {
			return nil, nil, false
		}
	}
}

// syncWhileHeld is the sync loop proper; it returns when ctx ends (false) or
// when the account may no longer be synced (true).
func (s *Scheduler) syncWhileHeld(ctx context.Context, a inbox.Account, conn channels.Connector, r *run) bool {
	failures := 0
	for ctx.Err() == nil {
		if !s.allowed(ctx, a) {
			return true
		}
		if failures > 0 {
			// The attempt is under way: no next time to show until it fails again.
			s.clearNextAttempt(r)
		}
		_, err := s.p.Sync(ctx, s.st, a, conn, func(pr Progress) { s.event(Event{Progress: pr}) })
		if ctx.Err() != nil {
			return false
		}
		if err != nil {
			failures++
			wait := s.backoff(failures, err)
			s.setRetry(r, Backoff{Failures: failures, NextAttempt: time.Now().Add(wait), LastError: err.Error()})
			s.log.Warn("sync failed", "account", a.Name, "err", err, "retry_in", wait)
			s.event(Event{Progress: Progress{Account: a.Name}, Err: err.Error(), RetryInMs: wait.Milliseconds(), Completed: true})
			if s.cfg.Sleep(ctx, wait) != nil {
				return false
			}
			continue
		}
		failures = 0
		s.setRetry(r, Backoff{})
		s.event(Event{Progress: Progress{Account: a.Name}, Completed: true})
		if err := s.waitForNews(ctx, a.Name, conn); err != nil && ctx.Err() == nil {
			s.log.Warn("watch ended", "account", a.Name, "err", err)
		}
	}
	return false
}

// waitForNews returns when new items may be waiting: on a push notification
// from a Watcher, or after the poll interval.
func (s *Scheduler) waitForNews(ctx context.Context, account string, conn channels.Connector) error {
	w, ok := conn.(channels.Watcher)
	if !ok {
		return s.cfg.Sleep(ctx, s.cfg.PollInterval)
	}
	acc, err := s.st.AccountByName(ctx, account)
	if err != nil {
		return s.cfg.Sleep(ctx, s.cfg.PollInterval)
	}
	state, err := s.st.SyncStateOf(ctx, acc.ID)
	if err != nil {
		return s.cfg.Sleep(ctx, s.cfg.PollInterval)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	news := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- w.Watch(wctx, state.Cursor, func() {
			select {
			case news <- struct{}{}:
			default:
			}
		})
	}()
	select {
	case <-news:
		return nil
	case err := <-done:
		// A watch that ends by itself (dropped connection) falls back to one poll interval.
		if err != nil && !errors.Is(err, context.Canceled) {
			_ = s.cfg.Sleep(ctx, s.cfg.MinBackoff)
			return err
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// backoff doubles the wait per failure up to MaxBackoff; a platform's
// Retry-After wins when it is longer.
func (s *Scheduler) backoff(failures int, err error) time.Duration {
	d := s.cfg.MinBackoff
	for i := 1; i < failures && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxBackoff)
	var rl *channels.RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > d {
		d = rl.RetryAfter
	}
	return d
}
