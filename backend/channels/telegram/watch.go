package telegram

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// WatchTimeout is the long-poll wait of one getUpdates call made by Watch.
const WatchTimeout = 25 * time.Second

var _ channels.Watcher = (*Connector)(nil)

// pollGate serialises the getUpdates calls of one connector. Telegram serves
// one getUpdates per bot at a time: a second one terminates the first with
// 409 Conflict. Watch and Fetch therefore never call it at the same time:
//
//   - every getUpdates runs while holding sem;
//   - Fetch announces itself (fetching++) and cancels a Watch long poll in
//     flight, so it waits at most for a cancelled request to return, never
//     for the 25 s wait; Watch does not start a poll while a Fetch is announced;
//   - Watch polls with offset = the cursor it was given, or the highest
//     offset a Fetch has sent since (both were confirmed as stored by the
//     caller), so Watch never confirms an update the caller has not stored.
//     It only looks: once updates exist it calls notify and then waits for a
//     Fetch before polling again, since the same offset would return the same
//     updates at once.
type pollGate struct {
	sem chan struct{} // capacity 1, held during every getUpdates call

	mu          sync.Mutex
	fetching    int                // Fetch calls waiting for or holding sem
	cancelWatch context.CancelFunc // ends the Watch long poll in flight, if any
	fetched     chan struct{}      // closed and replaced when a Fetch ends
	confirmed   int64              // highest offset a Fetch sent successfully
}

func newPollGate() *pollGate {
	return &pollGate{sem: make(chan struct{}, 1), fetched: make(chan struct{})}
}

// beginFetch takes the gate for a Fetch, cutting a Watch long poll short.
func (g *pollGate) beginFetch(ctx context.Context) error {
	g.mu.Lock()
	g.fetching++
	if g.cancelWatch != nil {
		g.cancelWatch()
	}
	g.mu.Unlock()
	select {
	case g.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		g.finish(0, false, false)
		return ctx.Err()
	}
}

// endFetch releases the gate; sent reports that Telegram answered a
// getUpdates with this offset, so the updates below it are confirmed.
func (g *pollGate) endFetch(offset int64, sent bool) { g.finish(offset, sent, true) }

func (g *pollGate) finish(offset int64, sent, held bool) {
	if held {
		<-g.sem
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fetching--
	if sent && offset > g.confirmed {
		g.confirmed = offset
	}
	close(g.fetched)
	g.fetched = make(chan struct{})
}

// beginWatchPoll takes the gate for one Watch long poll. ok=false means a
// Fetch is pending: the caller waits on fetched and tries again.
func (g *pollGate) beginWatchPoll(ctx context.Context, cursor int64) (pollCtx context.Context, offset int64, fetched <-chan struct{}, ok bool, err error) {
	g.mu.Lock()
	fetched = g.fetched
	busy := g.fetching > 0
	g.mu.Unlock()
	if busy {
		return nil, 0, fetched, false, nil
	}
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, nil, false, ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fetching > 0 { // a Fetch arrived between the check and the acquire
		<-g.sem
		return nil, 0, g.fetched, false, nil
	}
	pollCtx, cancel := context.WithCancel(ctx)
	g.cancelWatch = cancel
	return pollCtx, max(cursor, g.confirmed), g.fetched, true, nil
}

func (g *pollGate) endWatchPoll() {
	g.mu.Lock()
	if g.cancelWatch != nil {
		g.cancelWatch()
		g.cancelWatch = nil
	}
	g.mu.Unlock()
	<-g.sem
}

// Watch implements channels.Watcher with getUpdates long polls of
// WatchTimeout: it calls notify when updates wait at or after cursor, then
// waits for the next Fetch before it looks again (see pollGate). It returns
// ctx's error when ctx ends, and any API or transport error at once (after
// the client's own retries, which honour 429 retry_after) so the caller backs
// off; a rejected token is a channels.ErrAuth error.
func (c *Connector) Watch(ctx context.Context, cursor string, notify func()) error {
	offset, err := parseCursor(cursor)
	if err != nil {
		return fmt.Errorf("telegram watch: %w", err)
	}
	timeout := c.watchTimeout()
	for {
		pollCtx, off, fetched, ok, err := c.gate.beginWatchPoll(ctx, offset)
		if err != nil {
			return err
		}
		if !ok {
			select {
			case <-fetched:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		// Limit 1: Watch only needs to know that something waits; Fetch reads it.
		raw, err := c.client.GetUpdates(pollCtx, GetUpdatesParams{
			Offset: off, Limit: 1, Timeout: int(timeout / time.Second), AllowedUpdates: AllowedUpdates,
		})
		cut := pollCtx.Err() != nil
		c.gate.endWatchPoll()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case cut:
			continue // a Fetch took over; it reads whatever arrived
		case err != nil:
			return fmt.Errorf("telegram watch: %w", err)
		case len(raw) == 0:
			continue
		}
		notify()
		select {
		case <-fetched:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// watchTimeout keeps the long poll shorter than the HTTP client's own
// timeout, which would otherwise end every quiet poll as a transport error.
func (c *Connector) watchTimeout() time.Duration {
	d := c.cfg.WatchTimeout
	if d <= 0 {
		d = WatchTimeout
	}
	if hc := c.cfg.HTTPClient; hc != nil && hc.Timeout > 0 && d > hc.Timeout-5*time.Second {
		d = max(hc.Timeout-5*time.Second, time.Second)
	}
	return max(d.Truncate(time.Second), time.Second) // the API takes whole seconds; 0 would not wait
}

func parseCursor(cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(cursor, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad cursor %q: %w", cursor, err)
	}
	return n, nil
}
