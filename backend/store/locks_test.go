package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

// Two stores on one database stand for two server instances: on PostgreSQL
// only one holds a lock at a time and the other takes it once it is released
// or its session dies; on SQLite (one process) every lock is granted.
func TestLocksOneHolderAndTakeover(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	a, b := openAt(t, dsn), openAt(t, dsn)
	a.SetLockCheck(50 * time.Millisecond)

	held, ok, err := a.TryLockAccount(ctx, 7)
	if err != nil || !ok {
		t.Fatalf("first lock: ok %v, err %v", ok, err)
	}
	other, ok, err := b.TryLockAccount(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !testOnPostgres() {
		if !ok {
			t.Fatal("SQLite refused a lock: one process owns the file, so every lock is granted")
		}
		other.Release()
		held.Release()
		return
	}
	if ok {
		t.Fatal("a second instance got account 7's sync lock while the first holds it")
	}
	if l, ok, err := b.TryLockAccount(ctx, 8); err != nil || !ok {
		t.Fatalf("another account's lock: ok %v, err %v", ok, err)
	} else {
		l.Release()
	}
	if l, ok, err := b.TryLockLoop(ctx, "sla"); err != nil || !ok {
		t.Fatalf("a loop lock is not an account lock: ok %v, err %v", ok, err)
	} else {
		if _, ok, _ := a.TryLockLoop(ctx, "sla"); ok {
			t.Fatal("two instances hold the sla loop's lock")
		}
		l.Release()
	}

	held.Release()
	held.Release() // twice is harmless
	taken, ok, err := b.TryLockAccount(ctx, 7)
	if err != nil || !ok {
		t.Fatalf("lock not free after release: ok %v, err %v", ok, err)
	}

	// The holder's session dies (as when its instance is killed): the lock is
	// free for the other store, and the holder hears that it lost it.
	lost, ok, err := a.TryLockAccount(ctx, 9)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, err := b.db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = ?::oid AND objid = 9 AND objsubid = 2`, int64(uint32(lockClassSync))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lost.Lost():
	case <-time.After(10 * time.Second):
		t.Fatal("a lock whose session was terminated is not reported lost")
	}
	lost.Release()
	if l, ok, err := b.TryLockAccount(ctx, 9); err != nil || !ok {
		t.Fatalf("lock of a dead session not taken over: ok %v, err %v", ok, err)
	} else {
		l.Release()
	}
	select {
	case <-taken.Lost():
		t.Fatal("a healthy lock reported lost")
	default:
	}
	taken.Release()
}

// Instances claiming the outbox at once never get the same reply; every due
// reply is claimed by exactly one of them, and claimed replies are hidden
// until the lease ends.
func TestClaimOutboxDisjoint(t *testing.T) {
	dsn := testDSN(t)
	s, conv := replyFixtureAt(t, dsn)
	ctx := context.Background()
	const n = 60
	for i := range n {
		newStoredReply(t, s, fmt.Sprintf("q%02d", i), conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	}
	now := rt0.Add(time.Hour)
	stores := []*Store{s}
	if testOnPostgres() {
		stores = append(stores, openAt(t, dsn), openAt(t, dsn))
	}
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for _, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				items, err := st.ClaimOutbox(ctx, now, 7, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(items) == 0 {
					return
				}
				mu.Lock()
				for _, it := range items {
					got[it.Reply.ID]++
				}
				mu.Unlock()
				if !testOnPostgres() {
					// SQLite lists without reserving: its one sender claims each with MarkAttempt.
					for _, it := range items {
						if err := st.MarkAttempt(ctx, it.Reply.ID, it.Attempts, now, time.Minute); err != nil {
							t.Error(err)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("%d replies claimed, want %d", len(got), n)
	}
	for id, c := range got {
		if c != 1 {
			t.Errorf("reply %s claimed %d times", id, c)
		}
	}
	if again, err := s.ClaimOutbox(ctx, now.Add(59*time.Second), 100, time.Minute); err != nil || len(again) != 0 {
		t.Fatalf("claimed replies due again within the lease: %d, %v", len(again), err)
	}
	again, err := s.ClaimOutbox(ctx, now.Add(time.Minute), 100, time.Minute)
	if err != nil || len(again) != n {
		t.Fatalf("after the lease %d replies are due, want %d (%v)", len(again), n, err)
	}

	// A stopping sender gives back what it reserved and did not attempt;
	// a reply claimed meanwhile stays with its claimer.
	if err := s.MarkAttempt(ctx, again[0].Reply.ID, again[0].Attempts, now.Add(time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseOutbox(ctx, again); err != nil {
		t.Fatal(err)
	}
	back, err := s.ClaimOutbox(ctx, now.Add(time.Minute), 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// On PostgreSQL the others were reserved and are released; SQLite
	// reserves nothing. Either way the claimed one stays hidden.
	if len(back) != n-1 {
		t.Fatalf("after release %d replies are due again, want %d", len(back), n-1)
	}
}
