package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAttemptLimitSharedByStores: two stores on one database (two server
// instances) hand out a bucket's attempts together, never more than it
// holds, even when they ask at the same moment; the bucket refills with
// time, tells how long to wait, and a reset forgives a key's misses without
// touching another's. Refilled buckets are pruned.
func TestAttemptLimitSharedByStores(t *testing.T) {
	ctx := context.Background()
	a, b, advance := storesOnOneClock(t)
	limits := []*AttemptLimit{{Store: a, Burst: 5, Refill: time.Minute}, {Store: b, Burst: 5, Refill: time.Minute}}

	// 5 attempts between 40 callers on two instances at once: exactly 5 allowed.
	var allowed atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, _, err := limits[i%2].Allow(ctx, "name:ann")
			if err != nil {
				errs <- err
			}
			if ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := allowed.Load(); n != 5 {
		t.Fatalf("%d attempts allowed on two instances, want the bucket's 5", n)
	}
	ok, wait, err := limits[1].Allow(ctx, "name:ann")
	if err != nil || ok || wait != time.Minute {
		t.Fatalf("an attempt past the bucket = %v, wait %v, %v; want refused for a minute", ok, wait, err)
	}

	// After 90 s one attempt has come back (and half of the next).
	advance(90 * time.Second)
	if ok, _, err := limits[0].Allow(ctx, "name:ann"); err != nil || !ok {
		t.Fatalf("an attempt after the refill = %v, %v; want allowed", ok, err)
	}
	if ok, wait, err := limits[1].Allow(ctx, "name:ann"); err != nil || ok || wait != 30*time.Second {
		t.Fatalf("the next one = %v, wait %v, %v; want refused for 30 s", ok, wait, err)
	}

	// Another key has its own bucket; a reset of one leaves the other alone.
	for i := range 5 {
		if ok, _, err := limits[i%2].Allow(ctx, "addr:192.0.2.1"); err != nil || !ok {
			t.Fatalf("attempt %d of another key = %v, %v", i, ok, err)
		}
	}
	if err := limits[0].Reset(ctx, "name:ann"); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := limits[1].Allow(ctx, "name:ann"); err != nil || !ok {
		t.Fatalf("an attempt after the reset = %v, %v; want allowed", ok, err)
	}
	if ok, _, err := limits[1].Allow(ctx, "addr:192.0.2.1"); err != nil || ok {
		t.Fatalf("the other key after the reset = %v, %v; want still refused", ok, err)
	}

	// A clock behind the last take (another instance's) does not drain the bucket.
	advance(-time.Hour)
	if ok, wait, err := limits[0].Allow(ctx, "addr:192.0.2.1"); err != nil || ok || wait <= 0 {
		t.Fatalf("with a clock behind = %v, %v, %v; want refused with a wait", ok, wait, err)
	}
	advance(time.Hour)

	// Once every bucket has refilled, a prune removes them all.
	advance(time.Hour)
	if ok, _, err := limits[0].Allow(ctx, "name:bob"); err != nil || !ok {
		t.Fatal(ok, err)
	}
	var keys []string
	rows, err := a.db.QueryContext(ctx, `SELECT key FROM login_attempts ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if fmt.Sprint(keys) != "[name:bob]" {
		t.Fatalf("after the prune the table holds %v; want only the fresh name:bob", keys)
	}
}

// storesOnOneClock opens two stores on one database whose clocks read one
// test time, moved on by advance (safe from any goroutine).
func storesOnOneClock(t *testing.T) (a, b *Store, advance func(time.Duration)) {
	t.Helper()
	dsn := testDSN(t)
	a, b = openAt(t, dsn), openAt(t, dsn)
	var mu sync.Mutex
	now := testNow
	a.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	b.now = a.now
	return a, b, func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}
