package drafts_test

import (
	"context"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// cancelAfterSend is a connector whose send succeeds just as shutdown begins.
type cancelAfterSend struct {
	channels.Connector
	cancel context.CancelFunc
}

func (c cancelAfterSend) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	s, err := c.Connector.Reply(ctx, r)
	c.cancel()
	return s, err
}

// TestOutboxRecordsASendThatShutdownInterrupted: a reply that went out while the
// app was closing is still recorded as sent, so the next start has nothing to guess.
func TestOutboxRecordsASendThatShutdownInterrupted(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ob := drafts.NewOutbox(e.st, only(cancelAfterSend{Connector: conn, cancel: cancel}), quiet)

	if sent, _, err := ob.RunOnce(ctx, queuedAt); sent != 1 {
		t.Fatalf("RunOnce: %d sent, %v; want the reply recorded although the context ended", sent, err)
	}
	if r := e.get(t, "r1"); r.State != drafts.StateSent || len(fake.Posted()) != 1 || r.ExternalID != fake.Posted()[0].ID {
		t.Fatalf("reply %+v, %d posted", r, len(fake.Posted()))
	}
}

// releasingStore records what the outbox gives back when it stops.
type releasingStore struct {
	drafts.OutboxStore
	released []string
}

func (r *releasingStore) ReleaseOutbox(_ context.Context, items []drafts.OutboxItem) error {
	for _, it := range items {
		r.released = append(r.released, it.Reply.ID)
	}
	return nil
}

// TestOutboxReleasesWhatAStoppedPassDidNotReach: replies of the pass that a
// shutdown keeps the outbox from attempting are given back to the store
// (another instance sends them without waiting for the lease); the one sent
// is not.
func TestOutboxReleasesWhatAStoppedPassDidNotReach(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	_, conn := mastodonSetup(t)
	for _, id := range []string{"r1", "r2", "r3"} {
		e.reply(t, id, "We are on it ("+id+").", sendable...)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	st := &releasingStore{OutboxStore: e.st}
	ob := drafts.NewOutbox(st, only(cancelAfterSend{Connector: conn, cancel: cancel}), quiet)
	if sent, _, _ := ob.RunOnce(ctx, queuedAt); sent != 1 {
		t.Fatalf("%d sent, want 1 before the shutdown", sent)
	}
	if len(st.released) != 2 {
		t.Fatalf("released %v, want the two replies not attempted", st.released)
	}
	for _, id := range st.released {
		if r := e.get(t, id); r.State != drafts.StateQueued {
			t.Fatalf("released reply %s is %s: only replies not attempted are given back", id, r.State)
		}
	}
}
