package drafts_test

import (
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/bluesky"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/bluesky/blueskyfake"
	"github.com/stormdesk/stormdesk/backend/listening/reddit/redditfake"
	"github.com/stormdesk/stormdesk/backend/store"
)

// A crash after Bluesky or Reddit took a reply, before the outcome was
// stored: after the restart the outbox asks the connector (WasSent), finds
// the post and marks the reply sent, without posting again.
func TestOutboxCrashAfterSendFoundOnBlueskyAndReddit(t *testing.T) {
	tests := []struct {
		name           string
		channel        inbox.ChannelKind
		thread, parent string
		setup          func(t *testing.T) (channels.Connector, func() []string)
	}{
		{"bluesky", inbox.ChannelBluesky, "post:at://did:plc:jorg/app.bsky.feed.post/3kparcel", "at://did:plc:jorg/app.bsky.feed.post/3kparcel",
			func(t *testing.T) (channels.Connector, func() []string) {
				fake := blueskyfake.New("acme.bsky.social", "app-pass")
				t.Cleanup(fake.Close)
				fake.Add(blueskyfake.Post{DID: "did:plc:jorg", Handle: "jorg.bsky.social", RKey: "3kparcel", Text: "@acme.bsky.social where is my parcel?", CreatedAt: ot0.Add(-time.Hour)})
				c := channeltest.New(t, bluesky.New, bluesky.Config{Identifier: "acme.bsky.social", AppPassword: "app-pass", BaseURL: fake.URL,
					HTTPClient: fake.Client(), Retry: channels.Retry{Attempts: 1}})
				return c, func() []string {
					var ids []string
					for _, p := range fake.Posted() {
						ids = append(ids, p.URI())
					}
					return ids
				}
			}},
		{"reddit", inbox.ChannelReddit, "link:t3_parcel", "t1_jorg1",
			func(t *testing.T) (channels.Connector, func() []string) {
				fake := redditfake.New("app", "secret")
				t.Cleanup(fake.Close)
				fake.SetAccount("acme", "pw")
				fake.Deliver(redditfake.Message{Kind: "t1", ID: "jorg1", Author: "jorg", Body: "where is my parcel?", Created: ot0.Add(-time.Hour),
					Type: "post_reply", LinkID: "t3_parcel", ParentID: "t3_parcel", Subreddit: "acme"})
				c := channeltest.New(t, reddit.New, reddit.Config{ClientID: "app", Secret: "secret", Username: "acme", Password: "pw",
					UserAgent: "desktop:dev.stormdesk.test:1.0 (by /u/acme)", AuthURL: fake.URL, APIURL: fake.URL, HTTPClient: fake.Client(),
					Retry: channels.Retry{Attempts: 1}})
				return c, func() []string {
					var ids []string
					for _, m := range fake.Own() {
						ids = append(ids, m.Name())
					}
					return ids
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.channel, tt.thread, tt.parent)
			conn, posted := tt.setup(t)
			if _, ok := conn.(drafts.SentChecker); !ok {
				t.Fatal("the connector cannot tell the outbox whether a reply was sent")
			}
			e.reply(t, "r1", "We are on it.", sendable...)
			drafts.NewOutbox(crashingStore{e.st}, only(conn), quiet).RunOnce(t.Context(), queuedAt)
			if n := len(posted()); n != 1 {
				t.Fatalf("first attempt posted %d", n)
			}
			st2, err := store.Open(t.Context(), e.path)
			if err != nil {
				t.Fatal(err)
			}
			defer st2.Close()
			ob := drafts.NewOutbox(st2, only(conn), quiet)
			sent, failed, err := ob.RunOnce(t.Context(), queuedAt.Add(ob.Lease))
			if err != nil || sent != 1 || failed != 0 {
				t.Fatalf("after restart: %d sent, %d failed, %v", sent, failed, err)
			}
			ids := posted()
			if r := e.get(t, "r1"); len(ids) != 1 || r.State != drafts.StateSent || r.ExternalID != ids[0] {
				t.Fatalf("posted %v, reply %+v", ids, r)
			}
		})
	}
}
