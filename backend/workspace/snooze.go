package workspace

import (
	"context"
	"time"
)

// SnoozeWaker configures the loop that brings snoozed conversations back to
// the open view. The inbox query already hides a snooze only until its time;
// the loop makes the return visible: it opens the conversations again
// (pending or closed ones too) and tells the window.
type SnoozeWaker struct {
	// OnWake, if set, hears of each wake-up that opened conversations.
	OnWake func(ids []int64)
	// Every bounds the wait between checks (a snooze made meanwhile may end
	// sooner than the one the loop waits for); default one minute.
	Every time.Duration
}

func (w *Workspace) runSnoozeWaker(ctx context.Context, sw *SnoozeWaker) {
	every := sw.Every
	if every <= 0 {
		every = time.Minute
	}
	for {
		wait := every
		woken, next, err := w.Store.WakeSnoozed(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			w.Log.Warn("wake snoozed conversations", "err", err)
		case len(woken) > 0 && sw.OnWake != nil:
			sw.OnWake(woken)
		}
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
