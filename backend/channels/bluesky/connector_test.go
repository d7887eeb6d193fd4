package bluesky_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/bluesky"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/bluesky/blueskyfake"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

const (
	handle = "acme.bsky.social"
	pass   = "abcd-efgh-ijkl-mnop"
)

type world struct {
	fake  *blueskyfake.Server
	conn  *bluesky.Connector
	sleep *channeltest.Sleeps
	n     int
}

func setup(t *testing.T, mod func(*bluesky.Config)) *world {
	t.Helper()
	w := &world{fake: blueskyfake.New(handle, pass), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	now := t0.Add(48 * time.Hour)
	w.fake.Now = func() time.Time { return now }
	cfg := bluesky.Config{Identifier: handle, AppPassword: pass, BaseURL: w.fake.URL, HTTPClient: w.fake.Client(),
		Retry: channels.Retry{Sleep: w.sleep.Sleep}, Now: w.fake.Now}
	w.conn = channeltest.New(t, bluesky.New, cfg, mod)
	return w
}

// mention adds a post by someone else mentioning the account, indexed at.
func (w *world) mention(at time.Time, mod func(*blueskyfake.Post)) blueskyfake.Post {
	w.n++
	p := blueskyfake.Post{DID: fmt.Sprintf("did:plc:user%d", w.n%7), Handle: fmt.Sprintf("user%d.bsky.social", w.n%7), DisplayName: "User",
		RKey: fmt.Sprintf("3k%06d", w.n), Text: fmt.Sprintf("@%s where is my bag %d", handle, w.n), CreatedAt: at, IndexedAt: at}
	if mod != nil {
		mod(&p)
	}
	w.fake.Add(p)
	return p
}

func TestFetchPagesCatchesUpAndResumes(t *testing.T) {
	w := setup(t, func(c *bluesky.Config) { c.PageSize = 50; c.MaxPages = 2 })
	for i := range 70 {
		w.mention(t0.Add(time.Duration(i)*time.Minute), nil)
	}
	// The first sync reads one page of history, newest first.
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 50 || b.More {
		t.Fatalf("first sync: %d items more=%v err %v", len(b.Items), b.More, err)
	}
	if !b.Items[0].SentAt.Before(b.Items[49].SentAt) || b.Items[49].SentAt != t0.Add(69*time.Minute) {
		t.Fatalf("first sync not oldest first ending at the newest: %v … %v", b.Items[0].SentAt, b.Items[49].SentAt)
	}
	var want []string
	for i := range 130 {
		want = append(want, w.mention(t0.Add(2*time.Hour+time.Duration(i)*time.Minute), nil).URI())
	}
	w.mention(t0.Add(time.Hour), func(p *blueskyfake.Post) { p.Text = "nothing about the brand" })
	got, cur, fetches := channeltest.Drain(t, w.conn, b.Cursor)
	slices.Sort(got)
	slices.Sort(want)
	if fetches != 2 || !slices.Equal(got, want) {
		t.Fatalf("%d fetches, %d items; want 2 fetches (100, then 30), the 130 new ones once", fetches, len(got))
	}
	// A notification indexed at the very time of the mark, after the poll,
	// is not mistaken for one already delivered.
	late := w.mention(t0.Add(2*time.Hour+129*time.Minute), nil)
	b, err = w.conn.Fetch(t.Context(), cur)
	if err != nil || !slices.Equal(channeltest.IDs(b.Items), []string{late.URI()}) {
		t.Fatalf("same-time arrival: %v err %v", channeltest.IDs(b.Items), err)
	}
	b, err = w.conn.Fetch(t.Context(), b.Cursor)
	if err != nil || len(b.Items) != 0 {
		t.Fatalf("idle poll: %v err %v", channeltest.IDs(b.Items), err)
	}
	c := w.fake.Calls("/xrpc/app.bsky.notification.listNotifications")[0]
	if !slices.Equal(c.Query["reasons"], bluesky.Reasons) || c.Query.Get("limit") != "50" {
		t.Fatalf("listNotifications query %v", c.Query)
	}
}

func TestFetchThreadsRepliesMentionsAndQuotes(t *testing.T) {
	w := setup(t, nil)
	own := "at://" + blueskyfake.AccountDID + "/app.bsky.feed.post/3kown"
	w.fake.Add(blueskyfake.Post{DID: blueskyfake.AccountDID, Handle: handle, RKey: "3kown", Text: "Our flights are on time", CreatedAt: t0})
	reply := w.mention(t0.Add(time.Minute), func(p *blueskyfake.Post) {
		p.Text, p.ReplyRoot, p.ReplyParent = "no they are not", own, own
	})
	quote := w.mention(t0.Add(2*time.Minute), func(p *blueskyfake.Post) { p.Text, p.Quote = "look at this", own })
	plain := w.mention(t0.Add(3*time.Minute), nil)
	w.mention(t0.Add(4*time.Minute), func(p *blueskyfake.Post) { p.Text = "unrelated" })
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 3 {
		t.Fatalf("%d items err %v", len(b.Items), err)
	}
	want := []struct{ id, thread, ref string }{
		{reply.URI(), "post:" + own, own},
		{quote.URI(), "post:" + quote.URI(), ""},
		{plain.URI(), "post:" + plain.URI(), ""},
	}
	for i, it := range b.Items {
		ref := ""
		if len(it.References) > 0 {
			ref = it.References[0]
		}
		if it.ExternalID != want[i].id || it.ThreadKey != want[i].thread || ref != want[i].ref ||
			it.Direction != inbox.DirectionIn || it.Kind != inbox.KindComment || !strings.HasPrefix(it.Author.Handle, "@user") || it.Author.ExternalID == "" {
			t.Fatalf("item %d: %+v, want %+v", i, it, want[i])
		}
	}
}

func TestReplyIsPostedOnceAfterALostAnswer(t *testing.T) {
	w := setup(t, nil)
	root := w.mention(t0, nil)
	parent := w.mention(t0.Add(time.Minute), func(p *blueskyfake.Post) { p.ReplyRoot, p.ReplyParent = root.URI(), root.URI() })
	w.fake.LoseAnswers(1)
	r := channels.Reply{ThreadKey: bluesky.ThreadKey(root.URI()), InReplyTo: parent.URI(), Text: "Sorry! We are on it 🙏", IdempotencyKey: "reply-42"}
	sent, err := w.conn.Reply(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	posted := w.fake.Posted()
	if len(posted) != 1 || sent.ExternalID != posted[0].URI() || posted[0].RKey != bluesky.TID("reply-42") {
		t.Fatalf("sent %+v, posted %+v", sent, posted)
	}
	if posted[0].ReplyRoot != root.URI() || posted[0].ReplyParent != parent.URI() || posted[0].Text != r.Text {
		t.Fatalf("reply refs %+v", posted[0])
	}
	// The outbox sending the same reply again (its first attempt's outcome
	// unknown to it) gets the same post back.
	again, err := w.conn.Reply(t.Context(), r)
	if err != nil || again.ExternalID != sent.ExternalID || len(w.fake.Posted()) != 1 {
		t.Fatalf("second send %+v err %v, %d posts", again, err, len(w.fake.Posted()))
	}
	// Another reply has another key, so it is posted.
	r.IdempotencyKey = "reply-43"
	if _, err := w.conn.Reply(t.Context(), r); err != nil || len(w.fake.Posted()) != 2 {
		t.Fatalf("next reply err %v, %d posts", err, len(w.fake.Posted()))
	}
}

func TestReplyByThreadKeyAlone(t *testing.T) {
	w := setup(t, nil)
	root := w.mention(t0, nil)
	if _, err := w.conn.Reply(t.Context(), channels.Reply{ThreadKey: bluesky.ThreadKey(root.URI()), Text: "Hello", IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if p := w.fake.Posted(); len(p) != 1 || p[0].ReplyParent != root.URI() || p[0].ReplyRoot != root.URI() {
		t.Fatalf("posted %+v", p)
	}
}

func TestReplyRefusals(t *testing.T) {
	w := setup(t, nil)
	root := w.mention(t0, nil)
	r := channels.Reply{InReplyTo: root.URI(), Text: strings.Repeat("👍🏽", bluesky.MaxGraphemes+1), IdempotencyKey: "k"}
	if _, err := w.conn.Reply(t.Context(), r); err == nil || len(w.fake.Calls("")) != 0 {
		t.Fatalf("301 graphemes: err %v after %d calls", err, len(w.fake.Calls("")))
	}
	r.Text = strings.Repeat("👍🏽", bluesky.MaxGraphemes) // 300 graphemes, 1200+ bytes: allowed
	if _, err := w.conn.Reply(t.Context(), r); err != nil {
		t.Fatalf("300 graphemes: %v", err)
	}
	r.IdempotencyKey = ""
	if _, err := w.conn.Reply(t.Context(), r); err == nil {
		t.Fatal("a reply without an idempotency key was sent")
	}
	w.fake.Delete(root.URI())
	r.IdempotencyKey = "k2"
	if _, err := w.conn.Reply(t.Context(), r); err == nil || len(w.fake.Posted()) != 1 {
		t.Fatalf("reply to a deleted post: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	w := setup(t, nil)
	root := w.mention(t0, nil)
	h := http.Header{"Retry-After": {"7"}}
	w.fake.Fail("/xrpc/com.atproto.repo.createRecord", 1, apifake.Fault{Status: 429, Body: `{"error": "RateLimitExceeded"}`, Header: h})
	if _, err := w.conn.Reply(t.Context(), channels.Reply{InReplyTo: root.URI(), Text: "Hi", IdempotencyKey: "a"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.sleep.Waits(), []time.Duration{7 * time.Second}) || len(w.fake.Posted()) != 1 {
		t.Fatalf("waits %v, %d posts", w.sleep.Waits(), len(w.fake.Posted()))
	}
	// A wait longer than the retry's Max goes back to the scheduler.
	h.Set("Retry-After", "3600")
	w.fake.Fail("/xrpc/app.bsky.notification.listNotifications", 1, apifake.Fault{Status: 429, Body: `{"error": "RateLimitExceeded"}`, Header: h})
	var rl *channels.RateLimitError
	if _, err := w.conn.Fetch(t.Context(), ""); !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Fatalf("long 429: %v", err)
	}
}

func TestSessionRenewal(t *testing.T) {
	w := setup(t, nil)
	w.mention(t0, nil)
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 1 {
		t.Fatalf("%d items err %v", len(b.Items), err)
	}
	w.fake.ExpireAccess()
	if _, err := w.conn.Fetch(t.Context(), b.Cursor); err != nil {
		t.Fatalf("after access expiry: %v", err)
	}
	if w.fake.Sessions() != 1 || len(w.fake.Calls("/xrpc/com.atproto.server.refreshSession")) != 1 {
		t.Fatalf("%d logins; an expired access token is refreshed, not a new login", w.fake.Sessions())
	}
	w.fake.ExpireAccess()
	w.fake.ExpireRefresh()
	if _, err := w.conn.Reply(t.Context(), channels.Reply{InReplyTo: b.Items[0].ExternalID, Text: "Hi", IdempotencyKey: "x"}); err != nil {
		t.Fatalf("after refresh expiry: %v", err)
	}
	if w.fake.Sessions() != 2 {
		t.Fatalf("%d logins; a refused refresh logs in again", w.fake.Sessions())
	}
}

func TestAuthFailureIsCoded(t *testing.T) {
	w := setup(t, func(c *bluesky.Config) { c.AppPassword = "wrong" })
	err := w.conn.Test(t.Context())
	if !errors.Is(err, channels.ErrAuth) || apperr.Classify(err).Code != apperr.CodeAuthFailed {
		t.Fatalf("test: %v", err)
	}
	if _, err := w.conn.Fetch(t.Context(), ""); apperr.Classify(err).Code != apperr.CodeAuthFailed {
		t.Fatalf("fetch: %v", err)
	}
	if len(w.fake.Calls("/xrpc/app.bsky.notification.listNotifications")) != 0 {
		t.Fatal("fetched without a session")
	}
}

func TestTIDSyntax(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		k := bluesky.TID(fmt.Sprint("key-", i))
		if len(k) != 13 || !strings.ContainsRune("234567abcdefghij", rune(k[0])) || strings.Trim(k, "234567abcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("TID %q is not a TID", k)
		}
		if seen[k] {
			t.Fatalf("TID %q repeats", k)
		}
		seen[k] = true
	}
	if bluesky.TID("a") != bluesky.TID("a") {
		t.Fatal("TID is not stable")
	}
}

// A notification indexed in the future (a broken clock) must not become the
// mark: every poll after it would stop at once and miss the new mentions.
func TestFetchFutureIndexTimeIsNotTheMark(t *testing.T) {
	w := setup(t, nil)
	w.mention(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), nil)
	b := channeltest.Fetch(t, w.conn, "")
	if len(b.Items) != 1 {
		t.Fatalf("first fetch: %q", channeltest.IDs(b.Items))
	}
	later := w.mention(t0.Add(47*time.Hour), nil)
	b = channeltest.Fetch(t, w.conn, b.Cursor)
	if ids := channeltest.IDs(b.Items); !slices.ContainsFunc(ids, func(id string) bool { return strings.HasSuffix(id, later.RKey) }) {
		t.Fatalf("second fetch %q misses the mention made after the future-dated one", ids)
	}
}
