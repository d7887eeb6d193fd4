package reddit_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/reddit/redditfake"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

const agent = "desktop:dev.stormdesk.test:1.0 (by /u/AcmeAir)"

type world struct {
	fake  *redditfake.Server
	conn  *reddit.Connector
	sleep *channeltest.Sleeps
	n     int
}

func setup(t *testing.T, mod func(*reddit.Config)) *world {
	t.Helper()
	w := &world{fake: redditfake.New("app-id", "app-secret"), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	w.fake.SetAccount("AcmeAir", "hunter2")
	now := t0.Add(48 * time.Hour)
	w.fake.Now = func() time.Time { return now }
	cfg := reddit.Config{ClientID: "app-id", Secret: "app-secret", Username: "AcmeAir", Password: "hunter2", UserAgent: agent,
		AuthURL: w.fake.URL, APIURL: w.fake.URL, HTTPClient: w.fake.Client(), Retry: channels.Retry{Sleep: w.sleep.Sleep}, Now: w.fake.Now}
	w.conn = channeltest.New(t, reddit.New, cfg, mod)
	return w
}

// reply delivers a comment reply under post link, at.
func (w *world) reply(link string, at time.Time) redditfake.Message {
	w.n++
	m := redditfake.Message{Kind: "t1", ID: "c" + strconv.Itoa(w.n), Author: fmt.Sprintf("user%d", w.n%4), Body: fmt.Sprintf("where is my bag %d", w.n),
		Created: at, Type: "comment_reply", LinkID: link, ParentID: link, Subreddit: "travel"}
	w.fake.Deliver(m)
	return m
}

func TestFetchPagesAndResumes(t *testing.T) {
	w := setup(t, func(c *reddit.Config) { c.PageSize = 40; c.MaxPages = 2 })
	for i := range 50 {
		w.reply("t3_p1", t0.Add(time.Duration(i)*time.Minute))
	}
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 40 || b.More || b.Items[39].SentAt != t0.Add(49*time.Minute) {
		t.Fatalf("first sync: %d items more=%v err %v", len(b.Items), b.More, err)
	}
	var want []string
	for i := range 95 {
		want = append(want, w.reply("t3_p2", t0.Add(time.Hour+time.Duration(i)*time.Minute)).Name())
	}
	got, cur, fetches := channeltest.Drain(t, w.conn, b.Cursor)
	if fetches != 2 || !slices.Equal(got, want) {
		t.Fatalf("%d fetches, %d items; want 2 fetches and the 95 new ones once, oldest first", fetches, len(got))
	}
	b, err = w.conn.Fetch(t.Context(), cur)
	if err != nil || len(b.Items) != 0 {
		t.Fatalf("idle poll: %v err %v", channeltest.IDs(b.Items), err)
	}
	c := w.fake.Calls("/message/inbox")[0]
	if c.Query.Get("mark") != "false" || c.Header.Get("User-Agent") != agent {
		t.Fatalf("inbox call %v %v", c.Query, c.Header.Get("User-Agent"))
	}
	w = setup(t, func(c *reddit.Config) { c.MarkRead = true })
	channeltest.Fetch(t, w.conn, "")
	if c := w.fake.Calls("/message/inbox")[0]; c.Query.Get("mark") != "true" {
		t.Fatalf("asked to mark read: %v", c.Query)
	}
}

// The cursor's item leaving the inbox (a deleted message) must not stop
// the sync: before= then lists nothing, and the newest page is read instead.
func TestFetchGoesOnWhenTheCursorItemIsDeleted(t *testing.T) {
	w := setup(t, nil)
	w.reply("t3_a", t0)
	last := w.reply("t3_a", t0.Add(time.Minute))
	b := channeltest.Fetch(t, w.conn, "")
	if len(b.Items) != 2 {
		t.Fatalf("first sync: %d items", len(b.Items))
	}
	b = channeltest.Fetch(t, w.conn, b.Cursor)
	if len(b.Items) != 0 {
		t.Fatalf("idle poll: %v", channeltest.IDs(b.Items))
	}
	w.fake.DeleteMessage(last.Name())
	n1 := w.reply("t3_a", t0.Add(2*time.Minute))
	n2 := w.reply("t3_b", t0.Add(3*time.Minute))
	b = channeltest.Fetch(t, w.conn, b.Cursor)
	if !slices.Equal(channeltest.IDs(b.Items), []string{n1.Name(), n2.Name()}) {
		t.Fatalf("after the cursor's item was deleted: %v", channeltest.IDs(b.Items))
	}
	n3 := w.reply("t3_b", t0.Add(4*time.Minute))
	b = channeltest.Fetch(t, w.conn, b.Cursor)
	if !slices.Equal(channeltest.IDs(b.Items), []string{n3.Name()}) {
		t.Fatalf("next poll: %v", channeltest.IDs(b.Items))
	}
}

// A message dated far in the future (a broken clock) as the cursor's mark,
// then deleted: the rescue read of the newest page must not skip every
// message written before that date.
func TestFetchAfterAFutureDatedMarkIsDeleted(t *testing.T) {
	w := setup(t, nil)
	now := w.fake.Now()
	w.reply("t3_a", now.Add(-time.Hour))
	future := w.reply("t3_a", now.AddDate(5, 0, 0))
	b := channeltest.Fetch(t, w.conn, "")
	if len(b.Items) != 2 {
		t.Fatalf("first sync: %d items", len(b.Items))
	}
	w.fake.DeleteMessage(future.Name())
	n1 := w.reply("t3_b", now.Add(time.Minute))
	b = channeltest.Fetch(t, w.conn, b.Cursor)
	if !slices.Equal(channeltest.IDs(b.Items), []string{n1.Name()}) {
		t.Fatalf("after the future-dated mark was deleted: %v", channeltest.IDs(b.Items))
	}
}

func TestFetchThreads(t *testing.T) {
	w := setup(t, nil)
	reply := w.reply("t3_abc", t0)
	mention := redditfake.Message{Kind: "t1", ID: "m1", Author: "bob", Body: "u/AcmeAir lost my bag", Created: t0.Add(time.Minute),
		Type: "username_mention", LinkID: "t3_xyz", ParentID: "t1_zz", Subreddit: "flights"}
	pm := redditfake.Message{Kind: "t4", ID: "q1", Author: "carol", Subject: "refund", Body: "hello", Created: t0.Add(2 * time.Minute)}
	pm2 := redditfake.Message{Kind: "t4", ID: "q2", Author: "carol", Subject: "re: refund", Body: "still waiting", Created: t0.Add(3 * time.Minute),
		ParentID: "t4_q1", FirstMessage: "t4_q1"}
	w.fake.Deliver(mention, pm, pm2)
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 4 {
		t.Fatalf("%d items err %v", len(b.Items), err)
	}
	want := []struct {
		id, thread string
		kind       inbox.MessageKind
		ref        string
	}{
		{reply.Name(), "link:t3_abc", inbox.KindComment, "t3_abc"},
		{"t1_m1", "link:t3_xyz", inbox.KindComment, "t1_zz"},
		{"t4_q1", "pm:t4_q1", inbox.KindDM, ""},
		{"t4_q2", "pm:t4_q1", inbox.KindDM, "t4_q1"},
	}
	for i, it := range b.Items {
		ref := ""
		if len(it.References) > 0 {
			ref = it.References[0]
		}
		if it.ExternalID != want[i].id || it.ThreadKey != want[i].thread || it.Kind != want[i].kind || ref != want[i].ref ||
			!strings.HasPrefix(it.Author.Handle, "u/") || it.Direction != inbox.DirectionIn {
			t.Fatalf("item %d: %+v, want %+v", i, it, want[i])
		}
	}
}

func TestReplyIsPostedOnceAfterALostAnswer(t *testing.T) {
	w := setup(t, nil)
	m := w.reply("t3_abc", t0)
	w.fake.LoseAnswers(1)
	r := channels.Reply{ThreadKey: reddit.LinkThreadKey("t3_abc"), InReplyTo: m.Name(), Text: "Sorry! DM us your booking code.", IdempotencyKey: "r1"}
	sent, err := w.conn.Reply(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	own := w.fake.Own()
	if len(own) != 1 || sent.ExternalID != own[0].Name() || own[0].ParentID != m.Name() || own[0].Body != r.Text {
		t.Fatalf("sent %+v own %+v", sent, own)
	}
	// The outbox sending it again (it did not learn the first outcome)
	// finds the comment instead of posting a second one.
	again, err := w.conn.Reply(t.Context(), r)
	if err != nil || again.ExternalID != sent.ExternalID || len(w.fake.Own()) != 1 {
		t.Fatalf("second send %+v err %v, %d comments", again, err, len(w.fake.Own()))
	}
	if n := len(w.fake.Calls("/api/comment")); n != 1 {
		t.Fatalf("%d comment calls, want 1", n)
	}
	// Other text under the same comment is a new answer.
	r.Text, r.IdempotencyKey = "Also: check your e-mail.", "r2"
	if _, err := w.conn.Reply(t.Context(), r); err != nil || len(w.fake.Own()) != 2 {
		t.Fatalf("next answer err %v, %d comments", err, len(w.fake.Own()))
	}
}

func TestReplyToPostAndMessage(t *testing.T) {
	w := setup(t, nil)
	w.fake.Add(redditfake.Post{ID: "p9", Subreddit: "travel", Title: "Acme lost my bag", Author: "dan", Created: t0})
	// A listening mention of a post is answered by thread key alone.
	if _, err := w.conn.Reply(t.Context(), channels.Reply{ThreadKey: reddit.LinkThreadKey("t3_p9"), Text: "We are sorry", IdempotencyKey: "a"}); err != nil {
		t.Fatal(err)
	}
	w.fake.Deliver(redditfake.Message{Kind: "t4", ID: "q1", Author: "carol", Subject: "refund", Body: "hello", Created: t0})
	sent, err := w.conn.Reply(t.Context(), channels.Reply{ThreadKey: reddit.PMThreadKey("t4_q1"), InReplyTo: "t4_q1", Text: "Hi Carol", IdempotencyKey: "b"})
	if err != nil {
		t.Fatal(err)
	}
	own := w.fake.Own()
	if len(own) != 2 || own[0].Kind != "t1" || own[0].ParentID != "t3_p9" || own[1].Kind != "t4" || own[1].Name() != sent.ExternalID {
		t.Fatalf("own %+v", own)
	}
	if len(w.fake.Calls("/message/sent")) == 0 {
		t.Fatal("a message reply was not looked for among sent messages")
	}
}

func TestReplyRefusals(t *testing.T) {
	w := setup(t, nil)
	m := w.reply("t3_abc", t0)
	for _, r := range []channels.Reply{
		{InReplyTo: m.Name(), Text: strings.Repeat("ä", reddit.MaxText+1), IdempotencyKey: "k"},
		{InReplyTo: m.Name(), Text: "  ", IdempotencyKey: "k"},
		{InReplyTo: "12345", Text: "hi", IdempotencyKey: "k"},
	} {
		if _, err := w.conn.Reply(t.Context(), r); err == nil {
			t.Fatalf("%q to %q was sent", r.Text[:min(len(r.Text), 8)], r.InReplyTo)
		}
	}
	if len(w.fake.Calls("")) != 0 {
		t.Fatal("refused replies reached Reddit")
	}
	_, err := w.conn.Reply(t.Context(), channels.Reply{InReplyTo: "t1_gone", Text: "hi", IdempotencyKey: "k"})
	var api *channels.APIError
	if !errors.As(err, &api) || !strings.Contains(api.Message, "DELETED_COMMENT") || len(w.fake.Own()) != 0 {
		t.Fatalf("reply to a deleted comment: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	w := setup(t, nil)
	m := w.reply("t3_abc", t0)
	w.fake.RateLimitComment("you are doing that too much. try again in 9 minutes.")
	var rl *channels.RateLimitError
	r := channels.Reply{InReplyTo: m.Name(), Text: "hi", IdempotencyKey: "k"}
	if _, err := w.conn.Reply(t.Context(), r); !errors.As(err, &rl) || rl.RetryAfter != 9*time.Minute || len(w.fake.Own()) != 0 {
		t.Fatalf("RATELIMIT: %v", err)
	}
	h := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"12"}}
	w.fake.Fail("/message/inbox", 1, apifake.Fault{Status: 429, Body: `{"message": "Too Many Requests", "error": 429}`, Header: h})
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 1 || !slices.Equal(w.sleep.Waits(), []time.Duration{12 * time.Second}) {
		t.Fatalf("429: %d items waits %v err %v", len(b.Items), w.sleep.Waits(), err)
	}
	h.Set("Retry-After", "600")
	w.fake.Fail("/message/inbox", 1, apifake.Fault{Status: 429, Body: `{"error": 429}`, Header: h})
	if _, err := w.conn.Fetch(t.Context(), b.Cursor); !errors.As(err, &rl) || rl.RetryAfter != 10*time.Minute {
		t.Fatalf("long 429: %v", err)
	}
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	w := setup(t, nil)
	w.reply("t3_abc", t0)
	b, err := w.conn.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	w.fake.ExpireTokens()
	if _, err := w.conn.Fetch(t.Context(), b.Cursor); err != nil || w.fake.Issued() != 2 {
		t.Fatalf("after expiry: %d tokens err %v", w.fake.Issued(), err)
	}
	c := w.fake.Calls("/api/v1/access_token")
	if len(c) != 2 {
		t.Fatalf("%d token calls", len(c))
	}
}

func TestAuthFailuresAreCoded(t *testing.T) {
	w := setup(t, func(c *reddit.Config) { c.Password = "wrong" })
	err := w.conn.Test(t.Context())
	if !errors.Is(err, channels.ErrAuth) || apperr.Classify(err).Code != apperr.CodeAuthFailed {
		t.Fatalf("wrong password: %v", err)
	}
	if len(w.fake.Calls("/api/v1/me")) != 0 {
		t.Fatal("called the API without a token")
	}
	w = setup(t, func(c *reddit.Config) { c.Secret = "wrong" })
	if _, err := w.conn.Fetch(t.Context(), ""); apperr.Classify(err).Code != apperr.CodeAuthFailed {
		t.Fatalf("wrong app secret: %v", err)
	}
	w = setup(t, nil)
	if err := w.conn.Test(t.Context()); err != nil {
		t.Fatalf("right credentials: %v", err)
	}
	if _, err := reddit.New(reddit.Config{ClientID: "a", Secret: "b", Username: "c", UserAgent: " "}); err == nil {
		t.Fatal("a connector without a User-Agent was built")
	}
}
