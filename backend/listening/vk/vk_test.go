package vk_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	vkconn "github.com/stormdesk/stormdesk/backend/channels/vk"
	"github.com/stormdesk/stormdesk/backend/channels/vk/vkfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/vk"
)

const token = "user-token"

const t0 = int64(1793000000)

type env struct {
	src   *vk.Source
	fake  *vkfake.Server
	sleep *channeltest.Sleeps
	now   *int64
}

func setup(t *testing.T, mod func(*vk.Config)) env {
	t.Helper()
	fake := vkfake.New(1, token)
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	now := t0 + 100000
	cfg := vk.Config{Token: token, HTTPClient: fake.Client(), BaseURL: fake.BaseURL(), RequestsPerSecond: 1e9,
		Retry: channels.Retry{Sleep: sl.Sleep}, Now: func() time.Time { return time.Unix(now, 0) }}
	return env{channeltest.New(t, vk.New, cfg, mod), fake, sl, &now}
}

func (e env) search(t *testing.T, terms []string, cursor string) listening.Page {
	t.Helper()
	return listeningtest.Search(t, e.src, listening.Request{Terms: terms, Cursor: cursor})
}

// all searches until More is false and returns every id given, in order.
func (e env) all(t *testing.T, terms []string, cursor string) ([]string, string) {
	t.Helper()
	var ids []string
	for n := 0; ; n++ {
		p := e.search(t, terms, cursor)
		for _, m := range p.Mentions {
			ids = append(ids, m.ExternalID)
		}
		cursor = p.Cursor
		if !p.More {
			return ids, cursor
		}
		if n > 20 {
			t.Fatal("paging does not end")
		}
	}
}

func long(waits []time.Duration) []time.Duration {
	var out []time.Duration
	for _, w := range waits {
		if w >= 100*time.Millisecond {
			out = append(out, w)
		}
	}
	return out
}

func TestSearchTerms(t *testing.T) {
	got := vk.SearchTerms([]string{"Acme", ` "acme  phone" `, "Acme", ""})
	if !slices.Equal(got, []string{"Acme", `"acme phone"`}) {
		t.Errorf("SearchTerms = %q", got)
	}
}

func TestPagesToTheEndThenOnlyNewPosts(t *testing.T) {
	e := setup(t, func(c *vk.Config) { c.PageSize = 200 })
	for i := range 450 {
		e.fake.AddNewsPost(vkfake.NewsPost{ID: int64(i + 1), OwnerID: 500 + int64(i%3), Date: t0 + int64(i/2), Text: fmt.Sprintf("Acme post %d", i)})
	}
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 9999, OwnerID: 7, Date: t0, Text: "nothing to see"})
	ids, cur := e.all(t, []string{"acme"}, "")
	if len(ids) != 450 || ids[0] != "wall502_450" || e.fake.Calls("newsfeed.search") != 3 {
		t.Fatalf("first pass: %d posts in %d calls, first %v", len(ids), e.fake.Calls("newsfeed.search"), ids[:2])
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("%s given twice", id)
		}
		seen[id] = true
	}
	// One new post in the second of the newest seen ones, one later.
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 1000, OwnerID: 9, Date: t0 + 224, Text: "ACME again"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 1001, OwnerID: 9, Date: t0 + 5000, Text: "acme!"})
	*e.now = t0 + 200000
	ids, cur = e.all(t, []string{"acme"}, cur)
	if !slices.Equal(ids, []string{"wall9_1001", "wall9_1000"}) {
		t.Fatalf("second pass = %v", ids)
	}
	if ids, _ = e.all(t, []string{"acme"}, cur); len(ids) != 0 {
		t.Fatalf("third pass repeats %v", ids)
	}
}

func TestResumeAfterCrashAndPostsDuringAPass(t *testing.T) {
	e := setup(t, func(c *vk.Config) { c.PageSize = 2 })
	for i := range 5 {
		e.fake.AddNewsPost(vkfake.NewsPost{ID: int64(i + 1), OwnerID: 1, Date: t0 + int64(i), Text: "acme"})
	}
	p1 := e.search(t, []string{"acme"}, "")
	// A post arrives while the pass pages on: this pass ends at its fixed
	// end_time, the next pass finds it.
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 77, OwnerID: 1, Date: t0 + 100001, Text: "acme late"})
	p2 := e.search(t, []string{"acme"}, p1.Cursor)
	// The poller crashed before storing p2: the same cursor gives the same page.
	again := e.search(t, []string{"acme"}, p1.Cursor)
	if !reflect.DeepEqual(again.Mentions, p2.Mentions) || again.Cursor != p2.Cursor {
		t.Fatalf("refetch differs:\n%v\n%v", again.Mentions, p2.Mentions)
	}
	rest, cur := e.all(t, []string{"acme"}, p2.Cursor)
	var got []string
	for _, m := range append(p1.Mentions, p2.Mentions...) {
		got = append(got, m.ExternalID)
	}
	got = append(got, rest...)
	if !slices.Equal(got, []string{"wall1_5", "wall1_4", "wall1_3", "wall1_2", "wall1_1"}) {
		t.Fatalf("first pass = %v", got)
	}
	*e.now = t0 + 200000
	if late, _ := e.all(t, []string{"acme"}, cur); !slices.Equal(late, []string{"wall1_77"}) {
		t.Fatalf("next pass = %v, want the post that arrived during the first", late)
	}
}

func TestTermsSearchedApartGiveAPostOnce(t *testing.T) {
	e := setup(t, nil)
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 1, OwnerID: 1, Date: t0, Text: "Acme"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 2, OwnerID: 1, Date: t0 + 1, Text: "Акме тормозит"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 3, OwnerID: 1, Date: t0 + 2, Text: "Acme или Акме?"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 4, OwnerID: 1, Date: t0 + 3, Text: "acme phone broke"})
	ids, _ := e.all(t, []string{"acme", "акме", "acme phone"}, "")
	if !slices.Equal(ids, []string{"wall1_4", "wall1_3", "wall1_1", "wall1_2"}) {
		t.Fatalf("ids = %v", ids)
	}
	if n := e.fake.Calls("newsfeed.search"); n != 3 {
		t.Errorf("%d calls, want one per term", n)
	}
}

func TestResultCap(t *testing.T) {
	e := setup(t, func(c *vk.Config) { c.MaxPages = 10 })
	for i := range 1100 {
		e.fake.AddNewsPost(vkfake.NewsPost{ID: int64(i + 1), OwnerID: 1, Date: t0 + int64(i), Text: "acme"})
	}
	ids, _ := e.all(t, []string{"acme"}, "")
	if len(ids) != vkfake.MaxSearchResults || ids[0] != "wall1_1100" || ids[999] != "wall1_101" {
		t.Fatalf("%d posts, want VK's cap of %d newest", len(ids), vkfake.MaxSearchResults)
	}
}

func TestMentionFields(t *testing.T) {
	e := setup(t, nil)
	e.fake.AddProfile(vkfake.Profile{ID: 42, FirstName: "Ольга", LastName: "Петрова", ScreenName: "olga_p", FollowersCount: 15300})
	e.fake.AddCommunity(vkfake.Community{ID: 77, Name: "Отзывы о технике", ScreenName: "otzyvy", MembersCount: 88000})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 10, OwnerID: 42, Date: t0, Text: "Acme опять сломался", Comments: 4, Likes: 12})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 11, OwnerID: -77, Date: t0 + 1, Text: "Обзор Acme"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 12, OwnerID: -77, FromID: 5, Date: t0 + 2, Text: "acme? (a user on the community wall)"})
	p := e.search(t, []string{"acme"}, "")
	if len(p.Mentions) != 3 {
		t.Fatalf("mentions = %v", p.Mentions)
	}
	user, group, unknown := p.Mentions[2], p.Mentions[1], p.Mentions[0]
	want := listening.Mention{Source: "vk", ExternalID: "wall42_10", URL: "https://vk.com/wall42_10", Author: "Ольга Петрова", AuthorID: "42",
		AuthorURL: "https://vk.com/olga_p", Reach: 15300, Text: "Acme опять сломался", Published: time.Unix(t0, 0).UTC(), Replies: 4, Reactions: 12,
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelVK, ThreadKey: "wall42_10"}}
	if !reflect.DeepEqual(user, want) {
		t.Errorf("user post =\n%+v\nwant\n%+v", user, want)
	}
	if group.Author != "Отзывы о технике" || group.AuthorID != "-77" || group.Reach != 88000 || group.AuthorURL != "https://vk.com/otzyvy" {
		t.Errorf("community post = %+v", group)
	}
	if unknown.Author != "id5" || unknown.AuthorURL != "https://vk.com/id5" || unknown.Reach != 0 || unknown.ReplyTo.ThreadKey != "wall-77_12" {
		t.Errorf("post by an unknown user = %+v", unknown)
	}
	if p.Limits.Remaining != -1 {
		t.Errorf("limits = %+v", p.Limits)
	}
}

func TestErrors(t *testing.T) {
	e := setup(t, nil)
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 1, OwnerID: 1, Date: t0, Text: "acme"})

	e.fake.FailNext("newsfeed.search", vkfake.Failure{ErrorCode: 6}, vkfake.Failure{HTTPStatus: 429, RetryAfter: "3"})
	if p := e.search(t, []string{"acme"}, ""); len(p.Mentions) != 1 {
		t.Fatalf("after error 6 and a 429: %v", p.Mentions)
	}
	if w := long(e.sleep.Waits()); !slices.Equal(w, []time.Duration{time.Second, 3 * time.Second}) {
		t.Errorf("waits = %v, want 1s for error 6 and the Retry-After of 3s", w)
	}

	e.fake.FailNext("newsfeed.search", vkfake.Failure{ErrorCode: 29})
	_, err := e.src.Search(context.Background(), listening.Request{Terms: []string{"acme"}})
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter < time.Hour/2 {
		t.Errorf("error 29: %v, want a long RateLimitError", err)
	}

	e.fake.FailNext("newsfeed.search", vkfake.Failure{Body: `{"response": {"items": [`})
	if _, err := e.src.Search(context.Background(), listening.Request{Terms: []string{"acme"}}); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("malformed answer: %v", err)
	}

	e.fake.RevokeToken(token)
	if _, err := e.src.Search(context.Background(), listening.Request{Terms: []string{"acme"}}); !errors.Is(err, channels.ErrAuth) {
		t.Errorf("revoked token: %v, want an auth error", err)
	}
	if _, err := e.src.Search(context.Background(), listening.Request{Terms: []string{`""`}}); err == nil {
		t.Error("a topic without words searched")
	}
}

func TestSinceBoundsTheFirstPoll(t *testing.T) {
	e := setup(t, nil)
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 1, OwnerID: 1, Date: t0 - 10, Text: "acme old"})
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 2, OwnerID: 1, Date: t0 + 10, Text: "acme new"})
	p, err := e.src.Search(context.Background(), listening.Request{Terms: []string{"acme"}, Since: time.Unix(t0, 0)})
	if err != nil || len(p.Mentions) != 1 || p.Mentions[0].ExternalID != "wall1_2" {
		t.Fatalf("since: %v %v", p.Mentions, err)
	}
}

// The ReplyRef a mention carries is what the VK inbox connector answers with:
// a comment under the post, from the community.
func TestReplyRefAnswersThroughTheConnector(t *testing.T) {
	e := setup(t, nil)
	e.fake.AddNewsPost(vkfake.NewsPost{ID: 10, OwnerID: 42, Date: t0, Text: "Acme опять сломался"})
	m := e.search(t, []string{"acme"}, "").Mentions[0]
	conn, err := vkconn.New(vkconn.Config{GroupID: 1, Token: token, HTTPClient: e.fake.Client(), BaseURL: e.fake.BaseURL(), PollWait: -1, RequestsPerSecond: 1e9, UserRequestsPerSecond: 1e9, Retry: channels.Retry{Sleep: e.sleep.Sleep}})
	if err != nil {
		t.Fatal(err)
	}
	r := m.ReplyTo
	if r == nil || r.Channel != conn.Kind() {
		t.Fatalf("reply ref = %+v", r)
	}
	if _, err := conn.Reply(context.Background(), channels.Reply{ThreadKey: r.ThreadKey, InReplyTo: r.InReplyTo, Text: "Напишите нам в личные сообщения", IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	cs := e.fake.Comments()
	if len(cs) != 1 || cs[0].OwnerID != 42 || cs[0].PostID != 10 || cs[0].FromID != -1 {
		t.Errorf("comments = %+v, want one from the community under wall42_10", cs)
	}
}
