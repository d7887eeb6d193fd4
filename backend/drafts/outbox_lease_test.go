package drafts_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// slowConn stands in for a platform that takes hold to answer the first reply
// and keeps the second one in flight until released. It never posts anything
// and answers without an external id, so no outbound message is stored.
type slowConn struct {
	channels.Connector // only Kind and Reply are called
	hold               time.Duration
	inFlight, release  chan struct{}

	mu    sync.Mutex
	calls map[string]int
}

func (c *slowConn) Kind() inbox.ChannelKind { return inbox.ChannelTelegram }

func (c *slowConn) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	c.mu.Lock()
	c.calls[r.IdempotencyKey]++
	n := len(c.calls)
	c.mu.Unlock()
	if n == 1 {
		time.Sleep(c.hold)
		return channels.Sent{}, nil
	}
	c.inFlight <- struct{}{}
	select {
	case <-c.release:
		return channels.Sent{}, nil
	case <-ctx.Done():
		return channels.Sent{}, ctx.Err()
	}
}

// TestOutboxLeaseStartsWhenTheReplyIsClaimed: a pass that spends longer than
// the lease on its first reply must still hide its second reply from another
// sender for a full lease from the moment it claims it. Claimed with the
// pass's start time, the lease was already over while the reply was in flight,
// and a second outbox took the open attempt for a crash (here: Telegram, so
// "outcome unknown"; for mail, a second send).
func TestOutboxLeaseStartsWhenTheReplyIsClaimed(t *testing.T) {
	e := newEnv(t, inbox.ChannelTelegram, "chat:77", "77:1")
	e.reply(t, "r1", "First answer.", sendable...)
	e.reply(t, "r2", "Second answer.", sendable...)
	const lease = time.Second
	conn := &slowConn{hold: 3 * lease / 2, inFlight: make(chan struct{}), release: make(chan struct{}), calls: map[string]int{}}
	a := drafts.NewOutbox(e.st, only(conn), quiet)
	b := drafts.NewOutbox(e.st, only(conn), quiet)
	a.Lease, b.Lease = lease, lease

	start := time.Now()
	type result struct {
		sent, failed int
		err          error
	}
	done := make(chan result, 1)
	go func() {
		s, f, err := a.RunOnce(t.Context(), queuedAt)
		done <- result{s, f, err}
	}()
	select {
	case <-conn.inFlight:
	case <-time.After(10 * time.Second):
		t.Fatal("the second reply was never sent")
	}
	// The other sender's clock runs with the first one's.
	sent, failed, err := b.RunOnce(t.Context(), queuedAt.Add(time.Since(start)))
	close(conn.release)
	if err != nil || sent != 0 || failed != 0 {
		t.Errorf("while r2 was in flight another outbox saw it due: %d sent, %d failed, %v", sent, failed, err)
	}
	r := <-done
	if r.err != nil || r.sent != 2 || r.failed != 0 {
		t.Errorf("first outbox: %d sent, %d failed, %v; want both replies sent", r.sent, r.failed, r.err)
	}
	for _, id := range []string{"r1", "r2"} {
		got := e.get(t, id)
		if got.State != drafts.StateSent {
			t.Errorf("%s is %s (%s), want sent", id, got.State, got.FailReason)
		}
		if n := conn.calls[got.IdempotencyKey]; n != 1 {
			t.Errorf("%s sent %d times", id, n)
		}
	}
}
