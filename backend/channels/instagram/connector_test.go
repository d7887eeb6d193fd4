package instagram_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/instagram"
	"github.com/stormdesk/stormdesk/backend/channels/instagram/instagramfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

const (
	pageID    = "1001"
	igID      = "17841400000000001"
	userToken = "long-lived-user-token"
	pageToken = "page-token"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*instagram.Connector, *instagramfake.Server, *clock) {
	t.Helper()
	clk := &clock{time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	fake := instagramfake.New(pageID, igID, "acme.air", userToken, pageToken)
	t.Cleanup(fake.Close)
	fake.SetNow(clk.now)
	sl := &channeltest.Sleeps{}
	cfg := instagram.Config{PageConfig: graph.PageConfig{PageID: pageID, UserToken: userToken, HTTPClient: fake.Client(), BaseURL: fake.URL(),
		Retry: channels.Retry{Sleep: sl.Sleep}, Now: clk.now}}
	return channeltest.New(t, instagram.New, cfg, nil), fake, clk
}

func byID(items []inbox.Item) map[string]inbox.Item {
	m := map[string]inbox.Item{}
	for _, it := range items {
		m[it.ExternalID] = it
	}
	return m
}

func TestFetchCommentsWithRepliesThenOnlyNewOnes(t *testing.T) {
	c, fake, clk := setup(t)
	t0 := clk.t.Add(-3 * time.Hour)
	m := fake.AddMedia("Winter sale", t0)
	top := fake.AddComment(m, "", "u1", "olga.k", "Is the sale on flights too?", t0.Add(time.Minute))
	rep := fake.AddComment(m, top, "u2", "ivan.p", "asking too", t0.Add(2*time.Minute))
	b := channeltest.Fetch(t, c, "")
	got := byID(b.Items)
	if len(b.Items) != 2 {
		t.Fatalf("items = %+v", b.Items)
	}
	if it := got[top]; it.ThreadKey != "comment:"+top || it.Author.Handle != "@olga.k" || it.Kind != inbox.KindComment {
		t.Errorf("top = %+v", it)
	}
	if it := got[rep]; it.ThreadKey != "comment:"+top || !slices.Equal(it.References, []string{top}) {
		t.Errorf("reply = %+v", it)
	}
	if again := channeltest.Fetch(t, c, b.Cursor); len(again.Items) != 0 {
		t.Fatalf("repeated %d items", len(again.Items))
	}
	clk.t = clk.t.Add(time.Minute)
	late := fake.AddComment(m, top, "u3", "eva", "me too", clk.t)
	third := channeltest.Fetch(t, c, b.Cursor)
	if len(third.Items) != 1 || third.Items[0].ExternalID != late {
		t.Fatalf("third = %+v, want only the late reply under the old comment", third.Items)
	}
}

func TestDirectMessagesAndRequests(t *testing.T) {
	c, fake, clk := setup(t)
	stranger := fake.DMs.Receive(graphfake.Person{ID: "igsid-1", Username: "stranger"}, "Hi, do you fly to Oslo?", clk.t.Add(-time.Hour))
	follower := fake.DMs.Receive(graphfake.Person{ID: "igsid-2", Username: "fan", FollowsBusiness: true}, "Love you", clk.t.Add(-30*time.Minute))
	b := channeltest.Fetch(t, c, "")
	got := byID(b.Items)
	s, f := got[stranger], got[follower]
	if s.ThreadKey != "dm:igsid-1" || s.Kind != inbox.KindDM || s.Author.Handle != "@stranger" || !slices.Contains(s.Flags, instagram.FlagMessageRequest) {
		t.Errorf("stranger's DM = %+v, want a message request", s)
	}
	if slices.Contains(f.Flags, instagram.FlagMessageRequest) {
		t.Errorf("a follower's DM is marked as a request: %+v", f)
	}
	// Answering accepts the request: later messages are no longer marked.
	if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "dm:igsid-1", Text: "Yes, daily", IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Minute)
	next := fake.DMs.Receive(graphfake.Person{ID: "igsid-1", Username: "stranger"}, "Thanks!", clk.t)
	nb := byID(channeltest.Fetch(t, c, b.Cursor).Items)
	if it, ok := nb[next]; !ok || slices.Contains(it.Flags, instagram.FlagMessageRequest) {
		t.Errorf("after answering: %+v (found %v)", it, ok)
	}
	if sent := fake.DMs.Sent(); len(sent) != 1 || sent[0].MessagingType != "RESPONSE" {
		t.Errorf("sent = %+v", sent)
	}
}

func TestDirectMessageWindow(t *testing.T) {
	cases := []struct {
		ago      time.Duration
		wantType string
	}{
		{2 * time.Hour, "RESPONSE"},
		{3 * 24 * time.Hour, "MESSAGE_TAG"},
		{7*24*time.Hour + time.Minute, ""},
	}
	for _, tc := range cases {
		t.Run(tc.ago.String(), func(t *testing.T) {
			c, fake, clk := setup(t)
			last := clk.t.Add(-tc.ago)
			fake.DMs.Receive(graphfake.Person{ID: "igsid-1", Username: "x"}, "hello", last)
			_, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "dm:igsid-1", Text: "Hi", IdempotencyKey: "k"})
			sent := fake.DMs.Sent()
			if tc.wantType == "" {
				var we *channels.WindowError
				if !errors.As(err, &we) || !we.ClosedAt.Equal(last.Add(graph.HumanAgentWindow)) || len(sent) != 0 {
					t.Fatalf("err = %v, sent %+v", err, sent)
				}
				return
			}
			if err != nil || len(sent) != 1 || sent[0].MessagingType != tc.wantType {
				t.Fatalf("err = %v, sent = %+v, want %s", err, sent, tc.wantType)
			}
		})
	}
}

func TestReplyAndModerateComments(t *testing.T) {
	c, fake, clk := setup(t)
	m := fake.AddMedia("p", clk.t.Add(-time.Hour))
	top := fake.AddComment(m, "", "u1", "olga.k", "refund?", clk.t.Add(-time.Minute))
	ctx := context.Background()
	sent, err := c.Reply(ctx, channels.Reply{ThreadKey: "comment:" + top, Text: "Check your DMs", IdempotencyKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if cm, ok := fake.Comment(sent.ExternalID); !ok || cm.ParentID != top || cm.FromID != igID {
		t.Fatalf("reply = %+v", cm)
	}
	if it := byID(channeltest.Fetch(t, c, "").Items)[sent.ExternalID]; it.Direction != inbox.DirectionOut {
		t.Errorf("own reply fetched as %+v", it)
	}
	for _, s := range []struct {
		a       channels.ModerationAction
		hidden  bool
		present bool
	}{{channels.ActionHide, true, true}, {channels.ActionUnhide, false, true}, {channels.ActionDelete, false, false}} {
		if err := c.Moderate(ctx, channels.Moderation{ExternalID: top, ThreadKey: "comment:" + top, Action: s.a}); err != nil {
			t.Fatalf("%s: %v", s.a, err)
		}
		if cm, ok := fake.Comment(top); ok != s.present || cm.Hidden != s.hidden {
			t.Errorf("after %s: %+v %v", s.a, cm, ok)
		}
	}
}

func TestExpiryThrottlingAndPermissions(t *testing.T) {
	c, fake, clk := setup(t)
	fake.AddMedia("p", clk.t.Add(-time.Hour))
	fake.Fail("GET media", graphfake.Failure{Code: 80002, RegainMinutes: 15})
	_, err := c.Fetch(context.Background(), "")
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 15*time.Minute {
		t.Fatalf("throttled: %v", err)
	}

	c, fake, _ = setup(t)
	fake.Expire(userToken)
	if _, err := c.Fetch(context.Background(), ""); !errors.Is(err, channels.ErrAuth) || !strings.Contains(err.Error(), "reconnect this account") {
		t.Fatalf("expired: %v", err)
	}

	c, fake, _ = setup(t)
	fake.SetPerms(userToken, []string{"instagram_basic", "pages_show_list"}, []string{"instagram_manage_messages"})
	var me *graph.MissingError
	if err := c.Test(context.Background()); !errors.As(err, &me) || !slices.Contains(me.Grants.Missing, "instagram_manage_messages") || !slices.Contains(me.Grants.Granted, "instagram_basic") {
		t.Fatalf("missing: %v", err)
	}
}

// A comment without a time was dropped (it is not after the media's
// position), and one dated in the future became the position, after which
// every new comment on the media looked seen.
func TestFetchUndatedAndFutureComments(t *testing.T) {
	c, fake, clk := setup(t)
	m := fake.AddMedia("Winter sale", clk.t.Add(-3*time.Hour))
	undated := fake.AddComment(m, "", "u1", "olga.k", "no time", time.Time{})
	future := fake.AddComment(m, "", "u2", "ivan.p", "from the future", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	b := channeltest.Fetch(t, c, "")
	if got := byID(b.Items); len(got) != 2 || got[undated].ExternalID == "" || got[future].ExternalID == "" {
		t.Fatalf("first fetch %q, want the undated and the future comment", channeltest.IDs(b.Items))
	}
	clk.t = clk.t.Add(time.Minute)
	later := fake.AddComment(m, "", "u3", "eva", "Where is my bag?", clk.t)
	if got := byID(channeltest.Fetch(t, c, b.Cursor).Items); got[later].ExternalID == "" {
		t.Fatalf("second fetch misses the comment written after the future-dated one")
	}
}
