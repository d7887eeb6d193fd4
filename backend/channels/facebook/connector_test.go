package facebook_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/facebook"
	"github.com/stormdesk/stormdesk/backend/channels/facebook/facebookfake"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

const (
	pageID    = "1001"
	userToken = "long-lived-user-token"
	pageToken = "page-token"
)

// clock is the time both the fake and the connector read, moved by tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*facebook.Connector, *facebookfake.Server, *clock, *channeltest.Sleeps) {
	t.Helper()
	clk := &clock{time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	fake := facebookfake.New(pageID, "Acme Air", userToken, pageToken)
	t.Cleanup(fake.Close)
	fake.SetNow(clk.now)
	sl := &channeltest.Sleeps{}
	cfg := facebook.Config{PageConfig: graph.PageConfig{PageID: pageID, UserToken: userToken, HTTPClient: fake.Client(), BaseURL: fake.URL(),
		Retry: channels.Retry{Sleep: sl.Sleep}, Now: clk.now}}
	return channeltest.New(t, facebook.New, cfg, nil), fake, clk, sl
}

func byID(items []inbox.Item) map[string]inbox.Item {
	m := map[string]inbox.Item{}
	for _, it := range items {
		m[it.ExternalID] = it
	}
	return m
}

func TestFetchCommentsAndMessagesThenOnlyNewOnes(t *testing.T) {
	c, fake, clk, _ := setup(t)
	t0 := clk.t.Add(-2 * time.Hour)
	post := fake.AddPost("New routes to Riga", t0)
	top := fake.AddComment(post, "", "501", "Olga K.", "Where is my refund?", t0.Add(time.Minute))
	reply := fake.AddComment(post, top, "502", "Ivan P.", "Same here", t0.Add(2*time.Minute))
	old := fake.Messenger.Receive(graphfake.Person{ID: "9001", Name: "Mia L."}, "Are you there?", clk.t.Add(-8*24*time.Hour))
	dm := fake.Messenger.Receive(graphfake.Person{ID: "9002", Name: "Karl S."}, "My bag is lost", clk.t.Add(-time.Hour))

	b := channeltest.Fetch(t, c, "")
	got := byID(b.Items)
	if len(b.Items) != 3 {
		t.Fatalf("items = %+v, want the two comments and the recent DM", b.Items)
	}
	if _, ok := got[old]; ok {
		t.Errorf("a DM older than 7 days was fetched on the first sync")
	}
	tc, rc, m := got[top], got[reply], got[dm]
	if tc.ThreadKey != "comment:"+top || tc.Kind != inbox.KindComment || tc.Author.DisplayName != "Olga K." || tc.Direction != inbox.DirectionIn || tc.Text != "Where is my refund?" {
		t.Errorf("top-level comment = %+v", tc)
	}
	if rc.ThreadKey != "comment:"+top || len(rc.References) != 1 || rc.References[0] != top {
		t.Errorf("reply = %+v, want it in its top-level comment's thread", rc)
	}
	if m.ThreadKey != "dm:9002" || m.Kind != inbox.KindDM || m.Author.ExternalID != "9002" || m.Author.DisplayName != "Karl S." {
		t.Errorf("dm = %+v", m)
	}
	if !b.Items[0].SentAt.Before(b.Items[2].SentAt) {
		t.Errorf("batch is not oldest first")
	}

	again := channeltest.Fetch(t, c, b.Cursor)
	if len(again.Items) != 0 {
		t.Fatalf("second fetch repeated %d items", len(again.Items))
	}
	clk.t = clk.t.Add(time.Minute)
	newer := fake.AddComment(post, top, "503", "Eva", "+1", clk.t)
	dm2 := fake.Messenger.Receive(graphfake.Person{ID: "9002", Name: "Karl S."}, "Hello?", clk.t)
	third := channeltest.Fetch(t, c, again.Cursor)
	if ids := byID(third.Items); len(third.Items) != 2 || ids[newer].ExternalID == "" || ids[dm2].ExternalID == "" {
		t.Fatalf("third fetch = %+v, want only the new comment and DM", third.Items)
	}
}

func TestFetchPagesThroughManyComments(t *testing.T) {
	c, fake, clk, _ := setup(t)
	post := fake.AddPost("Sale", clk.t.Add(-time.Hour))
	for i := range 120 {
		fake.AddComment(post, "", fmt.Sprint(600+i), "Fan", fmt.Sprint("comment ", i), clk.t.Add(-time.Hour+time.Duration(i)*time.Second))
	}
	b := channeltest.Fetch(t, c, "")
	if len(b.Items) != 120 {
		t.Fatalf("%d items, want 120 over three pages", len(b.Items))
	}
	pages := 0
	for _, call := range fake.Calls() {
		if strings.HasSuffix(call, "/comments") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("%d comment pages read, want 3 of 50", pages)
	}
}

func TestHiddenAuthorIsNotMergedIntoOnePerson(t *testing.T) {
	c, fake, clk, _ := setup(t)
	fake.SetPerms(userToken, []string{"pages_show_list", "pages_read_engagement", "pages_manage_engagement", "pages_messaging"}, nil)
	post := fake.AddPost("p", clk.t.Add(-time.Hour))
	a := fake.AddComment(post, "", "501", "Olga", "one", clk.t.Add(-time.Minute))
	b2 := fake.AddComment(post, "", "502", "Ivan", "two", clk.t.Add(-time.Second))
	got := byID(channeltest.Fetch(t, c, "").Items)
	if got[a].Author.ExternalID == got[b2].Author.ExternalID || got[a].Author.DisplayName != "Facebook user" {
		t.Errorf("authors = %+v / %+v", got[a].Author, got[b2].Author)
	}
}

func TestReplyToCommentJoinsTheThread(t *testing.T) {
	c, fake, clk, _ := setup(t)
	post := fake.AddPost("p", clk.t.Add(-time.Hour))
	top := fake.AddComment(post, "", "501", "Olga", "refund?", clk.t.Add(-time.Minute))
	sent, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "comment:" + top, InReplyTo: top, Text: "We are on it", IdempotencyKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	cm, ok := fake.Comment(sent.ExternalID)
	if !ok || cm.ParentID != top || cm.FromID != pageID || cm.Text != "We are on it" {
		t.Fatalf("posted comment = %+v, %v", cm, ok)
	}
	// The Page's own reply comes back as outgoing in the same thread.
	got := byID(channeltest.Fetch(t, c, "").Items)[sent.ExternalID]
	if got.Direction != inbox.DirectionOut || got.ThreadKey != "comment:"+top {
		t.Errorf("fetched own reply = %+v", got)
	}
}

func TestMessengerWindow(t *testing.T) {
	cases := []struct {
		name     string
		ago      time.Duration
		wantType string // "" = refused
		wantTag  string
	}{
		{"an hour ago: standard response", time.Hour, "RESPONSE", ""},
		{"just inside 24 h", 24*time.Hour - time.Minute, "RESPONSE", ""},
		{"two days ago: human agent tag", 48 * time.Hour, "MESSAGE_TAG", "HUMAN_AGENT"},
		{"eight days ago: closed", 8 * 24 * time.Hour, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, _ := setup(t)
			last := clk.t.Add(-tc.ago)
			fake.Messenger.Receive(graphfake.Person{ID: "9002", Name: "Karl"}, "help", last)
			_, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "dm:9002", Text: "Hello Karl", IdempotencyKey: "k"})
			sent := fake.Messenger.Sent()
			if tc.wantType == "" {
				var we *channels.WindowError
				if !errors.As(err, &we) || !we.ClosedAt.Equal(last.Add(7*24*time.Hour)) || !we.LastInbound.Equal(last) {
					t.Fatalf("err = %v (%+v), want a window error closed 7 days after %s", err, we, last)
				}
				if len(sent) != 0 {
					t.Errorf("sent %+v outside the window", sent)
				}
				for _, call := range fake.Calls() {
					if strings.HasPrefix(call, "POST") {
						t.Errorf("called the Send API outside the window: %s", call)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sent) != 1 || sent[0].MessagingType != tc.wantType || sent[0].Tag != tc.wantTag || sent[0].Text != "Hello Karl" {
				t.Errorf("sent = %+v, want %s %s", sent, tc.wantType, tc.wantTag)
			}
		})
	}
}

func TestMetaRefusingOutsideTheWindowSaysWhenItClosed(t *testing.T) {
	c, fake, clk, _ := setup(t)
	last := clk.t.Add(-23 * time.Hour)
	fake.Messenger.Receive(graphfake.Person{ID: "9002", Name: "Karl"}, "help", last)
	// Meta's clock is past the window while ours is not.
	fake.SetNow(func() time.Time { return clk.t.Add(8 * 24 * time.Hour) })
	_, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "dm:9002", Text: "Hi", IdempotencyKey: "k"})
	var we *channels.WindowError
	var ge *graph.Error
	if !errors.As(err, &we) || !errors.As(err, &ge) || ge.Subcode != graph.SubcodeOutsideWindow || !we.LastInbound.Equal(last) {
		t.Fatalf("err = %v", err)
	}
}

func TestModerateHideUnhideDelete(t *testing.T) {
	c, fake, clk, _ := setup(t)
	post := fake.AddPost("p", clk.t.Add(-time.Hour))
	id := fake.AddComment(post, "", "501", "Troll", "spam", clk.t.Add(-time.Minute))
	ctx := context.Background()
	steps := []struct {
		action  channels.ModerationAction
		hidden  bool
		deleted bool
	}{
		{channels.ActionHide, true, false},
		{channels.ActionUnhide, false, false},
		{channels.ActionDelete, false, true},
	}
	for _, s := range steps {
		if err := c.Moderate(ctx, channels.Moderation{ExternalID: id, ThreadKey: "comment:" + id, Action: s.action}); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
		cm, ok := fake.Comment(id)
		if ok == s.deleted || cm.Hidden != s.hidden {
			t.Errorf("after %s: %+v (exists %v)", s.action, cm, ok)
		}
	}
	if err := c.Moderate(ctx, channels.Moderation{ExternalID: "m_1", ThreadKey: "dm:9002", Action: channels.ActionDelete}); err == nil {
		t.Error("a Messenger message was moderated")
	}
}

func TestTokenExpiryAndRevocationAskToReconnect(t *testing.T) {
	cases := []struct {
		name    string
		break_  func(*facebookfake.Server)
		subcode int
		text    string
	}{
		{"user token expired before the Page token was asked for", func(f *facebookfake.Server) { f.Expire(userToken) }, 463, "the token expired; reconnect this account"},
		{"password changed: the Page token dies with it", func(f *facebookfake.Server) { f.Revoke(userToken, 460) }, 460, "the password was changed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, _ := setup(t)
			fake.AddPost("p", clk.t.Add(-time.Hour))
			tc.break_(fake)
			_, err := c.Fetch(context.Background(), "")
			var ge *graph.Error
			if !errors.Is(err, channels.ErrAuth) || !errors.As(err, &ge) || ge.Subcode != tc.subcode || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// A Page token that worked and then died is asked for again next time.
	c, fake, clk, _ := setup(t)
	fake.AddPost("p", clk.t.Add(-time.Hour))
	channeltest.Fetch(t, c, "")
	fake.Revoke(userToken, 460)
	if _, err := c.Fetch(context.Background(), ""); !errors.Is(err, channels.ErrAuth) {
		t.Fatalf("err = %v", err)
	}
	before := len(fake.Calls())
	c.Fetch(context.Background(), "")
	if calls := fake.Calls()[before:]; len(calls) == 0 || !strings.Contains(calls[0], "me/accounts") {
		t.Errorf("after a refused Page token the next calls were %v, want me/accounts first", calls)
	}
}

func TestThrottlingWaitsAsMetaSays(t *testing.T) {
	cases := []struct {
		name string
		fail graphfake.Failure
		wait time.Duration
	}{
		{"613 with estimated time to regain access", graphfake.Failure{Code: 613, RegainMinutes: 10}, 10 * time.Minute},
		{"page limit 32 without estimate", graphfake.Failure{Code: 32}, graph.DefaultRateWait},
		{"80001 with Retry-After", graphfake.Failure{Code: 80001, RetryAfter: "120"}, 2 * time.Minute},
		{"HTTP 429 with a long Retry-After", graphfake.Failure{HTTPStatus: 429, RetryAfter: "3600"}, time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, _ := setup(t)
			fake.AddPost("p", clk.t.Add(-time.Hour))
			fake.Fail("GET feed", tc.fail)
			_, err := c.Fetch(context.Background(), "")
			var rl *channels.RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != tc.wait {
				t.Fatalf("err = %v, want to wait %s", err, tc.wait)
			}
		})
	}
}

func TestTestConnectionListsMissingPermissions(t *testing.T) {
	c, fake, _, _ := setup(t)
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("all granted: %v", err)
	}
	fake.SetPerms(userToken, []string{"pages_show_list", "pages_read_engagement"}, []string{"pages_messaging"})
	err := c.Test(context.Background())
	var me *graph.MissingError
	if !errors.As(err, &me) || strings.Join(me.Grants.Missing, ",") != "pages_read_user_content,pages_manage_engagement,pages_messaging" ||
		strings.Join(me.Grants.Granted, ",") != "pages_read_engagement,pages_show_list" {
		t.Fatalf("err = %v", err)
	}
	var api *channels.APIError
	if !errors.As(err, &api) || api.Kind != channels.Forbidden {
		t.Errorf("missing permissions are not a platform refusal: %v", err)
	}
}

func TestReplyRefusesWhatNoPlatformTakes(t *testing.T) {
	c, _, _, _ := setup(t)
	for _, r := range []channels.Reply{
		{ThreadKey: "dm:1", Text: " ", IdempotencyKey: "k"},
		{ThreadKey: "dm:1", Text: strings.Repeat("é", facebook.MaxReplyLength+1), IdempotencyKey: "k"},
		{ThreadKey: "wall:1", Text: "hi", IdempotencyKey: "k"},
	} {
		if _, err := c.Reply(context.Background(), r); err == nil {
			t.Errorf("reply %q to %s accepted", r.Text[:min(5, len(r.Text))], r.ThreadKey)
		}
	}
}

func TestTestPermissionsReportsWhatTheTokenHasAndLacks(t *testing.T) {
	all := facebook.Needed
	without := func(p string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == p })
	}
	for _, tc := range []struct {
		name              string
		granted, declined []string
		wantGranted       string // sorted, as the report lists them
		wantMissing       string // "" = the test passes
	}{
		{name: "all granted, and one the connector does not use", granted: append(slices.Clone(all), "email"),
			wantGranted: "email,pages_manage_engagement,pages_messaging,pages_read_engagement,pages_read_user_content,pages_show_list"},
		{name: "one declined", granted: without("pages_messaging"), declined: []string{"pages_messaging"},
			wantGranted: "pages_manage_engagement,pages_read_engagement,pages_read_user_content,pages_show_list", wantMissing: "pages_messaging"},
		{name: "one never asked for", granted: without("pages_read_user_content"),
			wantGranted: "pages_manage_engagement,pages_messaging,pages_read_engagement,pages_show_list", wantMissing: "pages_read_user_content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, _, _ := setup(t)
			fake.SetPerms(userToken, tc.granted, tc.declined)
			got, err := c.TestPermissions(context.Background())
			if tc.wantMissing == "" {
				if err != nil {
					t.Fatal(err)
				}
				if g := strings.Join(got.Granted, ","); g != tc.wantGranted {
					t.Errorf("granted = %s, want %s", g, tc.wantGranted)
				}
				if got.Missing == nil || len(got.Missing) != 0 {
					t.Errorf("missing = %#v, want an empty list", got.Missing)
				}
				return
			}
			// A token that lacks some fails as before, naming both lists.
			var me *graph.MissingError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want the missing permissions", err)
			}
			if m := strings.Join(me.Grants.Missing, ","); m != tc.wantMissing {
				t.Errorf("missing = %s, want %s", m, tc.wantMissing)
			}
			if g := strings.Join(me.Grants.Granted, ","); g != tc.wantGranted {
				t.Errorf("granted = %s, want %s", g, tc.wantGranted)
			}
		})
	}
}

// A comment dated in the future (a broken clock) must not become its post's
// sync position: the comments written after it would all look seen.
func TestFetchFutureCommentIsNotThePosition(t *testing.T) {
	c, fake, clk, _ := setup(t)
	post := fake.AddPost("New routes to Riga", clk.t.Add(-2*time.Hour))
	fake.AddComment(post, "", "501", "Olga K.", "from the future", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	b := channeltest.Fetch(t, c, "")
	clk.t = clk.t.Add(time.Hour)
	later := fake.AddComment(post, "", "502", "Ivan P.", "Where is my bag?", clk.t)
	b = channeltest.Fetch(t, c, b.Cursor)
	if _, ok := byID(b.Items)[later]; !ok {
		t.Fatalf("second fetch %q misses the comment written after the future-dated one", channeltest.IDs(b.Items))
	}
}
