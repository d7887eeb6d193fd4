package ingest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
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
