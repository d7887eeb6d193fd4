package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// staleSLA counts the open and pending conversations whose stored SLA state
// differs from a fresh evaluation under the stored policies at the store's
// clock (the evaluation is rolled back).
func staleSLA(t *testing.T, s *Store) int {
	t.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	eng, err := s.engineIn(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := recomputeWhere(ctx, s.d, tx, eng, s.now(), s.d.whereActive(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// twoStores opens two handles on one fresh database, as two server
// instances, with an account and a conversation (thread) its customer opened at t0.
func twoStores(t *testing.T, thread string) (a, b *Store, acc inbox.Account) {
	t.Helper()
	dsn := testDSN(t)
	a, b = openAt(t, dsn), openAt(t, dsn)
	acc = mustAccount(t, a, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, b, acc.ID, item("q0", thread, inbox.DirectionIn, 0, "question"))
	return a, b, acc
}

// policiesWithDM returns the default policy set with the dm policy's
// response targets set to d.
func policiesWithDM(t *testing.T, d time.Duration) []byte {
	t.Helper()
	set := sla.DefaultPolicies()
	for i := range set.Policies {
		if set.Policies[i].Name == "dm" {
			set.Policies[i].Targets.FirstResponse = sla.Duration(d)
			set.Policies[i].Targets.NextResponse = sla.Duration(d)
		}
	}
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestPolicySaveReachesOtherStores: policies saved through one store handle
// (one server instance) are the ones another handle on the same database
// evaluates with from then on: its saves start clocks under them, and its
// sweep does not put the old deadlines back.
func TestPolicySaveReachesOtherStores(t *testing.T) {
	ctx := context.Background()
	a, b, acc := twoStores(t, "old")
	if due := convByThread(t, b, "old").SLADueAt; due == nil || !due.Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("default dm deadline = %v, want %v", due, t0.Add(4*time.Hour))
	}

	if err := a.SaveSLAPolicies(ctx, policiesWithDM(t, time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := b.RecomputeSLA(ctx, testNow); err != nil || n != 0 {
		t.Fatalf("the other store's sweep changed %d conversations (%v): it evaluated with the old policies", n, err)
	}
	if due := convByThread(t, b, "old").SLADueAt; due == nil || !due.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after the save elsewhere the deadline is %v, want %v", due, t0.Add(time.Hour))
	}
	mustSave(t, b, acc.ID, item("q2", "new", inbox.DirectionIn, 10, "another question"))
	if due := convByThread(t, b, "new").SLADueAt; due == nil || !due.Equal(t0.Add(70*time.Minute)) {
		t.Fatalf("a conversation the other store started is due %v, want %v under the saved policies", due, t0.Add(70*time.Minute))
	}
}

// TestPersonRecomputesDoNotLoseSaves: while one store handle (a server
// instance) stores a conversation's messages, another marks its author VIP
// and back, switches crisis mode, saves policies and changes the
// conversation's priority and status, all at once. Each of
// those rewrites the conversation's SLA state from what it read; on
// PostgreSQL they lock the account and rows they rewrite first (as the save
// batch does), so after every round the stored state is what the stored
// messages, author, mode and policies give, never one computed without
// another's change.
func TestPersonRecomputesDoNotLoseSaves(t *testing.T) {
	ctx := context.Background()
	a, b, acc := twoStores(t, "th")
	author, conv := convByThread(t, a, "th").Author.ID, convByThread(t, a, "th").ID
	policies := [][]byte{policiesWithDM(t, time.Hour), policiesWithDM(t, 3*time.Hour)}

	for i := range 40 {
		dir := inbox.DirectionIn
		if i%2 == 1 {
			dir = inbox.DirectionOut
		}
		steps := []func() error{
			func() error {
				_, err := b.SaveItems(ctx, acc.ID, []inbox.Item{item(fmt.Sprint("m", i), "th", dir, 1+2*i, "more")})
				return err
			},
			func() error { return a.SetAuthorVIP(ctx, author, i%2 == 0) },
			func() error { return a.SetCrisis(ctx, acc.ID, i%3 == 0) },
			func() error { return a.SetPriority(ctx, conv, 2*(i%2)) },
			func() error {
				st := inbox.StatusOpen
				if i%3 == 1 {
					st = inbox.StatusPending
				}
				return b.SetStatusBy(ctx, conv, st, "ann")
			},
		}
		if i%4 == 0 {
			steps = append(steps, func() error { return a.SaveSLAPolicies(ctx, policies[i/4%2]) })
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(steps))
		for _, step := range steps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := step(); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", i, err)
		}
		for name, s := range map[string]*Store{"a": a, "b": b} {
			if n := staleSLA(t, s); n != 0 {
				t.Fatalf("round %d: %d conversations keep an SLA state the stored facts do not give (seen from %s)", i, n, name)
			}
		}
	}
}
