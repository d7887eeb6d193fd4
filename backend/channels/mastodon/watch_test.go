package mastodon_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest/ingesttest"
)

// finish ends the watch the way only a rejected token can and returns the
// final notify count: every event sent before has been read by then.
func finish(t *testing.T, w *channeltest.Watching, fake *mastodonfake.Server) int32 {
	t.Helper()
	fake.RevokeToken()
	fake.DropStreams()
	if err := w.Ended(t); !errors.Is(err, channels.ErrAuth) {
		t.Fatalf("Watch returned %v, want an auth error", err)
	}
	return w.Notifies()
}

func waitStreams(t *testing.T, fake *mastodonfake.Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), channeltest.Guard)
	defer cancel()
	if err := fake.WaitStreams(ctx, n); err != nil {
		t.Fatal(err)
	}
}

var nextStatus atomic.Int32

// addMention stores a new public status mentioning the account and its
// mention notification (which the fake streams); it returns the status id.
func addMention(t *testing.T, fake *mastodonfake.Server) string {
	t.Helper()
	id := fmt.Sprintf("1100000000000005%02d", nextStatus.Add(1))
	err := fake.AddStatuses([]byte(`[{"id":"` + id + `","created_at":"2026-01-04T08:00:00.000Z","in_reply_to_id":null,"visibility":"public","spoiler_text":"","content":"<p>@acme ping ` + id + `</p>","account":{"id":"401","username":"kim","acct":"kim@example.org","display_name":"Kim","followers_count":3},"media_attachments":[]}]`))
	if err != nil {
		t.Fatal(err)
	}
	fake.Notify("mention", id)
	return id
}

func watchSetup(t *testing.T, mod func(*mastodon.Config)) (*mastodonfake.Server, *mastodon.Connector, *channeltest.Sleeps, string) {
	t.Helper()
	g := &channeltest.Sleeps{}
	fake, c, _ := setup(t, func(cfg *mastodon.Config) {
		cfg.WatchBackoff = channels.Retry{Sleep: g.Sleep}
		if mod != nil {
			mod(cfg)
		}
	})
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	return fake, c, g, b.Cursor
}

func TestWatchNotifiesOnMentionsOnly(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*mastodonfake.Server)
	}{
		{"same host", func(*mastodonfake.Server) {}},
		{"streaming host from v2 instance", func(f *mastodonfake.Server) { f.SeparateStreaming() }},
		{"streaming host from v1 instance", func(f *mastodonfake.Server) { f.V1InstanceOnly = true; f.SeparateStreaming() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, c, _, cursor := watchSetup(t, nil)
			tc.setup(fake)
			w := channeltest.StartWatch(t, c, cursor)
			waitStreams(t, fake, 1)
			id := addMention(t, fake)
			w.Notified(t)
			// Newer than the mention, so neither the start check nor the stream may count them.
			fake.Notify("favourite", sid(101))
			fake.Notify("follow", "")
			fake.Notify("reblog", sid(106))
			fake.Thump()
			fake.Thump()
			b, err := c.Fetch(t.Context(), cursor)
			if err != nil || len(b.Items) != 1 || b.Items[0].ExternalID != id {
				t.Fatalf("Fetch after notify = %+v, %v; want the mention %s", b.Items, err, id)
			}
			calls := fake.Calls(mastodon.NotificationStreamPath)
			if len(calls) != 1 || calls[0].Header.Get("Authorization") != "Bearer "+token {
				t.Errorf("stream calls %d, auth %q", len(calls), calls[0].Header.Get("Authorization"))
			}
			if n := finish(t, w, fake); n != 1 {
				t.Fatalf("notified %d times, want once (heartbeats and other types ignored)", n)
			}
		})
	}
}

func TestWatchCatchesUpOnStart(t *testing.T) {
	tests := []struct {
		name   string
		empty  bool // account without any notification, cursor ""
		missed bool // a mention arrives between Fetch and Watch
		want   int32
	}{
		{"up to date", false, false, 1},
		{"mention missed before watching", false, true, 2},
		{"empty account", true, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fake *mastodonfake.Server
			var c *mastodon.Connector
			cursor := ""
			if tc.empty {
				fake = mastodonfake.New(token)
				t.Cleanup(fake.Close)
				c = channeltest.New(t, mastodon.New, mastodon.Config{BaseURL: fake.URL, Token: token, HTTPClient: fake.Client(), WatchBackoff: channels.Retry{Sleep: (&channeltest.Sleeps{}).Sleep}})
			} else {
				fake, c, _, cursor = watchSetup(t, nil)
			}
			if tc.missed {
				addMention(t, fake)
			}
			w := channeltest.StartWatch(t, c, cursor)
			if tc.missed {
				w.Notified(t)
			}
			waitStreams(t, fake, 1)
			addMention(t, fake)
			w.Notified(t)
			// Each mention is signalled once, whether the start check or the stream saw it first.
			fake.Thump()
			addMention(t, fake)
			w.Notified(t)
			if n := finish(t, w, fake); n != tc.want+1 {
				t.Errorf("notified %d times, want %d", n, tc.want+1)
			}
		})
	}
}

func TestWatchReconnectsAfterDrop(t *testing.T) {
	fake, c, g, cursor := watchSetup(t, nil)
	var missed string
	g.During(func() { missed = addMention(t, fake) }) // arrives while disconnected
	w := channeltest.StartWatch(t, c, cursor)
	waitStreams(t, fake, 1)
	fake.Thump()
	fake.DropStreams()
	w.Notified(t)
	waitStreams(t, fake, 2)
	streamed := addMention(t, fake)
	w.Notified(t)
	if ws := g.Waits(); len(ws) != 1 || ws[0] < 500*time.Millisecond || ws[0] > time.Second {
		t.Errorf("reconnect waits = %v, want one between Base/2 and Base (1 s)", ws)
	}
	b, err := c.Fetch(t.Context(), cursor)
	if err != nil || len(b.Items) != 2 || b.Items[0].ExternalID != missed || b.Items[1].ExternalID != streamed {
		t.Fatalf("Fetch = %+v, %v; want %s and %s", b.Items, err, missed, streamed)
	}
}

func TestWatchStreamFailures(t *testing.T) {
	path := mastodon.NotificationStreamPath
	tests := []struct {
		name    string
		arrange func(*mastodonfake.Server)
		waits   [][2]time.Duration // allowed range of each reconnect wait
	}{
		{"rate limited with Retry-After", func(f *mastodonfake.Server) { f.RateLimit(path, 1, 90*time.Second, true) },
			[][2]time.Duration{{90 * time.Second, 90 * time.Second}}},
		{"rate limited with X-RateLimit-Reset only", func(f *mastodonfake.Server) { f.RateLimit(path, 1, 40*time.Second, false) },
			[][2]time.Duration{{39 * time.Second, 40 * time.Second}}},
		{"streaming server down", func(f *mastodonfake.Server) { f.ServiceUnavailable(path, 2) },
			[][2]time.Duration{{500 * time.Millisecond, time.Second}, {time.Second, 2 * time.Second}}},
		{"not an event stream", func(f *mastodonfake.Server) { f.Malformed(path, 1) },
			[][2]time.Duration{{500 * time.Millisecond, time.Second}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, c, g, cursor := watchSetup(t, nil)
			tc.arrange(fake)
			w := channeltest.StartWatch(t, c, cursor)
			waitStreams(t, fake, 1)
			addMention(t, fake)
			w.Notified(t)
			ws := g.Waits()
			if len(ws) != len(tc.waits) {
				t.Fatalf("waits = %v, want %d", ws, len(tc.waits))
			}
			for i, r := range tc.waits {
				if ws[i] < r[0] || ws[i] > r[1] {
					t.Errorf("wait %d = %s, want %s..%s", i, ws[i], r[0], r[1])
				}
			}
		})
	}
}

func TestWatchStopsOnRejectedToken(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, fake *mastodonfake.Server, c *mastodon.Connector, cursor string) error
	}{
		{"wrong token", func(t *testing.T, fake *mastodonfake.Server, _ *mastodon.Connector, cursor string) error {
			bad := channeltest.New(t, mastodon.New, mastodon.Config{BaseURL: fake.URL, Token: "wrong", HTTPClient: fake.Client(),
				Retry: channels.Retry{Attempts: 1}, WatchBackoff: channels.Retry{Sleep: (&channeltest.Sleeps{}).Sleep}})
			w := channeltest.StartWatch(t, bad, cursor)
			err := w.Ended(t)
			if w.Notifies() != 0 {
				t.Error("notified with a wrong token")
			}
			return err
		}},
		{"token revoked while streaming", func(t *testing.T, fake *mastodonfake.Server, c *mastodon.Connector, cursor string) error {
			w := channeltest.StartWatch(t, c, cursor)
			waitStreams(t, fake, 1)
			fake.RevokeToken()
			fake.DropStreams()
			return w.Ended(t)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, c, g, cursor := watchSetup(t, nil)
			err := tc.run(t, fake, c, cursor)
			if !errors.Is(err, channels.ErrAuth) || !strings.Contains(err.Error(), "mastodon watch") || !strings.Contains(err.Error(), "access token") {
				t.Fatalf("err = %v, want a mastodon watch auth error telling to create a new token", err)
			}
			if channels.Retryable(err) {
				t.Error("auth error must not be retryable")
			}
			if len(g.Waits()) > 1 {
				t.Errorf("waits %v: a rejected token must not be retried", g.Waits())
			}
		})
	}
}

func TestWatchReturnsPromptlyOnCancel(t *testing.T) {
	tests := []struct {
		name    string
		arrange func(*mastodonfake.Server)
		ready   func(*testing.T, *mastodonfake.Server, chan struct{})
	}{
		{"while streaming", func(*mastodonfake.Server) {},
			func(t *testing.T, f *mastodonfake.Server, _ chan struct{}) { waitStreams(t, f, 1) }},
		{"while backing off", func(f *mastodonfake.Server) { f.ServiceUnavailable(mastodon.NotificationStreamPath, 1) },
			func(t *testing.T, _ *mastodonfake.Server, sleeping chan struct{}) { <-sleeping }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sleeping := make(chan struct{})
			fake, c, _, cursor := watchSetup(t, func(cfg *mastodon.Config) {
				cfg.WatchBackoff = channels.Retry{Base: time.Hour, Max: time.Hour, Sleep: func(ctx context.Context, d time.Duration) error {
					close(sleeping)
					<-ctx.Done() // a real hour-long wait, cut by ctx
					return ctx.Err()
				}}
			})
			tc.arrange(fake)
			w := channeltest.StartWatch(t, c, cursor)
			tc.ready(t, fake, sleeping)
			w.Stop()
			if err := w.Ended(t); !errors.Is(err, context.Canceled) {
				t.Errorf("Watch returned %v, want context.Canceled", err)
			}
		})
	}
}

func TestWatchReconnectsSilentStream(t *testing.T) {
	fake, c, g, cursor := watchSetup(t, func(cfg *mastodon.Config) { cfg.StreamIdle = 50 * time.Millisecond })
	fake.Heartbeat = time.Hour // a half-open connection: nothing arrives, nothing fails
	channeltest.StartWatch(t, c, cursor)
	waitStreams(t, fake, 2)
	if len(g.Waits()) == 0 {
		t.Error("no reconnect wait recorded")
	}
}

// TestSchedulerSyncsMastodonOnPush runs the real ingest scheduler with a poll
// interval it never reaches: mentions arrive through the stream alone.
func TestSchedulerSyncsMastodonOnPush(t *testing.T) {
	fake, c, _ := setup(t, func(cfg *mastodon.Config) { cfg.WatchBackoff = channels.Retry{Sleep: (&channeltest.Sleeps{}).Sleep} })
	run := ingesttest.StartScheduler(t, inbox.Account{Channel: inbox.ChannelMastodon, Name: "acme-masto"}, c)
	eventually(t, "first sync", func() bool { return run.Messages(t) == 6 })
	for i := 1; i <= 3; i++ {
		waitStreams(t, fake, i) // each push ends one Watch; the scheduler syncs and watches again
		addMention(t, fake)
		eventually(t, fmt.Sprintf("mention %d stored", i), func() bool { return run.Messages(t) == int64(6+i) })
	}
	if errs := run.Errors(); len(errs) != 0 {
		t.Errorf("sync errors %v", errs)
	}
}

var eventually = ingesttest.Eventually
