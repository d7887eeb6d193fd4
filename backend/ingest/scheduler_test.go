package ingest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// flakySource fails its first fetches with the given errors, then serves one
// new item per fetch.
type flakySource struct {
	pagedSource
	mu     sync.Mutex
	errs   []error
	served int
}

func (f *flakySource) Fetch(ctx context.Context, cursor string) (channels.Batch, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return channels.Batch{}, err
	}
	f.served++
	return channels.Batch{Items: []inbox.Item{mailItem(f.served)}, Cursor: cursor + "x"}, nil
}

type recordingSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recordingSleep) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	select {
	case <-time.After(time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *recordingSleep) snapshot() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func TestSchedulerBacksOffHonouringRetryAfterThenPolls(t *testing.T) {
	st := openStore(t)
	p := New(st, nil).WithClock(func() time.Time { return testNow })
	src := &flakySource{errs: []error{
		&channels.APIError{Platform: "test", Code: 503, Message: "unavailable", Kind: channels.Transient},
		&channels.APIError{Platform: "test", Code: 503, Message: "unavailable", Kind: channels.Transient},
		&channels.RateLimitError{RetryAfter: 7 * time.Minute, Message: "slow down"},
	}}
	rec := &recordingSleep{}
	var mu sync.Mutex
	var events []Event
	s := NewScheduler(p, st, SchedulerConfig{PollInterval: time.Hour, MinBackoff: 5 * time.Second, MaxBackoff: 5 * time.Minute, Sleep: rec.sleep},
		func(e Event) { mu.Lock(); events = append(events, e); mu.Unlock() })
	s.Start(context.Background(), inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"}, src)
	ok := waitUntil(func() bool { return len(rec.snapshot()) >= 5 })
	s.Stop()
	if !ok {
		t.Fatalf("scheduler did not go on: waits %v", rec.snapshot())
	}
	waits := rec.snapshot()
	want := []time.Duration{5 * time.Second, 10 * time.Second, 7 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if waits[i] != w {
			t.Fatalf("waits %v, want to start with %v", waits, want)
		}
	}
	stats, _ := st.Stats(context.Background())
	if stats.Messages < 2 {
		t.Fatalf("%d messages stored after the failures", stats.Messages)
	}
	mu.Lock()
	defer mu.Unlock()
	var failed int
	for _, e := range events {
		if e.Err != "" {
			failed++
		}
	}
	if failed != 3 {
		t.Errorf("%d failure events, want 3", failed)
	}
}

// pushSource notifies through Watch whenever the test says so.
type pushSource struct {
	flakySource
	push chan struct{}
}

func (p *pushSource) Watch(ctx context.Context, _ string, notify func()) error {
	select {
	case <-p.push:
		notify()
		<-ctx.Done()
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestSchedulerSyncsOnPush(t *testing.T) {
	st := openStore(t)
	p := New(st, nil).WithClock(func() time.Time { return testNow })
	src := &pushSource{push: make(chan struct{})}
	rec := &recordingSleep{}
	s := NewScheduler(p, st, SchedulerConfig{PollInterval: time.Hour, Sleep: rec.sleep}, nil)
	s.Start(context.Background(), inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"}, src)
	defer s.Stop()
	count := func() int64 { stats, _ := st.Stats(context.Background()); return stats.Messages }
	if !waitUntil(func() bool { return count() == 1 }) {
		t.Fatal("first sync did not run")
	}
	for want := int64(2); want <= 3; want++ {
		src.push <- struct{}{}
		if !waitUntil(func() bool { return count() == want }) {
			t.Fatalf("after push: %d messages, want %d", count(), want)
		}
	}
	for _, w := range rec.snapshot() {
		if w == time.Hour {
			t.Fatal("a push-capable connector was polled")
		}
	}
}

func waitUntil(ok func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if ok() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return ok()
}

// TestSchedulerStopsSyncingADisabledAccount disables the account in the store
// (as another process would) while its loop polls: the loop asks before every
// run and ends by itself, and the connector is not asked again.
func TestSchedulerStopsSyncingADisabledAccount(t *testing.T) {
	ctx := context.Background()
	st, p, acc := storedAccount(t)
	src := &flakySource{}
	rec := &recordingSleep{}
	s := NewScheduler(p, st, SchedulerConfig{PollInterval: time.Hour, Sleep: rec.sleep}, nil)
	defer s.Stop()
	s.Start(ctx, acc, src)
	served := func() int { src.mu.Lock(); defer src.mu.Unlock(); return src.served }
	if !waitUntil(func() bool { return served() >= 2 }) {
		t.Fatal("the active account was not polled")
	}
	if err := st.SetAccountState(ctx, acc.ID, store.AccountDisabled); err != nil {
		t.Fatal(err)
	}
	if !waitUntil(func() bool { _, running := s.Backoff(acc.Name); return !running }) {
		t.Fatal("the loop of a disabled account goes on")
	}
	// The loop has returned: nothing can fetch for the account any more.
	after := served()
	s.Stop()
	if served() != after {
		t.Fatalf("fetched %d times after the loop ended", served()-after)
	}
}

// TestSchedulerBackoffIsTheRealNextAttempt checks that while the loop waits
// after a failure, Backoff says when the next attempt is (the time it will
// wake), and that a successful run clears it.
func TestSchedulerBackoffIsTheRealNextAttempt(t *testing.T) {
	ctx := context.Background()
	st, p, acc := storedAccount(t)
	src := &flakySource{errs: []error{&channels.APIError{Platform: "test", Code: 503, Message: "unavailable", Kind: channels.Transient}}}
	waiting := make(chan time.Duration)
	release := make(chan struct{})
	sleep := func(ctx context.Context, d time.Duration) error {
		if d == time.Hour { // the poll after the successful run
			<-ctx.Done()
			return ctx.Err()
		}
		waiting <- d
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s := NewScheduler(p, st, SchedulerConfig{PollInterval: time.Hour, MinBackoff: 40 * time.Second, Sleep: sleep}, nil)
	defer s.Stop()
	before := time.Now()
	s.Start(ctx, acc, src)
	wait := <-waiting
	after := time.Now()
	b, ok := s.Backoff(acc.Name)
	if !ok || b.Failures != 1 || !strings.Contains(b.LastError, "unavailable") {
		t.Fatalf("Backoff = %+v, %v; want one failure", b, ok)
	}
	if wait != 40*time.Second || b.NextAttempt.Before(before.Add(wait)) || b.NextAttempt.After(after.Add(wait)) {
		t.Fatalf("next attempt %v after a wait of %v; want between %v and %v", b.NextAttempt, wait, before.Add(wait), after.Add(wait))
	}
	close(release)
	if !waitUntil(func() bool { b, _ := s.Backoff(acc.Name); return b.Failures == 0 }) {
		t.Fatalf("a successful run left %+v", b)
	}
	if b, _ := s.Backoff(acc.Name); !b.NextAttempt.IsZero() || b.LastError != "" {
		t.Fatalf("after success Backoff = %+v", b)
	}
}

// storedAccount opens a store with one mail account and a pipeline over it.
func storedAccount(t *testing.T) (*store.Store, *Pipeline, inbox.Account) {
	t.Helper()
	st := openStore(t)
	acc, err := st.EnsureAccount(context.Background(), inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"})
	if err != nil {
		t.Fatal(err)
	}
	return st, New(st, nil).WithClock(func() time.Time { return testNow }), acc
}
