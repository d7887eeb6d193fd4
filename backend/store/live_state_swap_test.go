package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestSwapLiveStateOneWinner: stores on one database swapping the same state
// at once (instances claiming one run) never both win; a swap from a state
// that changed meanwhile fails, and one from nothing fails once a state exists.
func TestSwapLiveStateOneWinner(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	stores := []*Store{openAt(t, dsn), openAt(t, dsn), openAt(t, dsn)}

	for round := range 20 {
		name := fmt.Sprintf("claim/%d", round)
		var was *LiveState
		if round%2 == 1 { // odd rounds swap from a stored state, even ones from none
			if err := stores[0].PutLiveState(ctx, map[string]string{name: "idle"}, nil); err != nil {
				t.Fatal(err)
			}
			st, err := stores[1].LiveState(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			was = &st
		}
		var wg sync.WaitGroup
		wins := make(chan string, 6)
		errs := make(chan error, 6)
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := fmt.Sprintf("running by %d", i)
				ok, err := stores[i%len(stores)].SwapLiveState(ctx, name, was, who)
				if err != nil {
					errs <- err
				}
				if ok {
					wins <- who
				}
			}()
		}
		wg.Wait()
		close(wins)
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		var got []string
		for w := range wins {
			got = append(got, w)
		}
		if len(got) != 1 {
			t.Fatalf("round %d: %d swaps won (%v), want exactly one", round, len(got), got)
		}
		if st, err := stores[2].LiveState(ctx, name); err != nil || st.Value != got[0] {
			t.Fatalf("round %d: stored %+v, %v; want the winner's %q", round, st, err, got[0])
		}
	}

	// A stale read: the state changed after it was read.
	if ok, err := stores[0].SwapLiveState(ctx, "claim/0", nil, "again"); err != nil || ok {
		t.Fatalf("a swap from nothing over a stored state = %v, %v; want refused", ok, err)
	}
	st, _ := stores[0].LiveState(ctx, "claim/1")
	if err := stores[1].PutLiveState(ctx, map[string]string{"claim/1": "finished"}, nil); err != nil {
		t.Fatal(err)
	}
	if ok, err := stores[0].SwapLiveState(ctx, "claim/1", &st, "late"); err != nil || ok {
		t.Fatalf("a swap from a state that changed = %v, %v; want refused", ok, err)
	}
}
