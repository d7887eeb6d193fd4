package youtube_test

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
	yt "github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/channels/youtube/youtubefake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/youtube"
)

const (
	key   = "listen-key"
	oauth = "brand-oauth" // the inbox connector's sign-in, to answer
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func setup(t *testing.T, mod func(*youtube.Config)) (*youtube.Source, *youtubefake.Server, *channeltest.Sleeps) {
	t.Helper()
	fake := youtubefake.New("UCbrand", []string{key}, []string{oauth})
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	cfg := youtube.Config{APIKey: key, HTTPClient: fake.Client(), BaseURL: fake.BaseURL(), Retry: channels.Retry{Sleep: sl.Sleep}}
	return channeltest.New(t, youtube.New, cfg, mod), fake, sl
}

func search(t *testing.T, s *youtube.Source, cursor string) listening.Page {
	t.Helper()
	return listeningtest.Search(t, s, listening.Request{Terms: []string{"Acme", "acme phone"}, Cursor: cursor})
}

func TestSearchQuery(t *testing.T) {
	for _, c := range []struct {
		terms []string
		want  string
	}{
		{[]string{"acme"}, "acme"},
		{[]string{"Acme", "acme phone"}, `Acme|"acme phone"`},
		{[]string{` "odd | term" `, ""}, `"odd term"`},
		{nil, ""},
	} {
		if got := youtube.SearchQuery(c.terms); got != c.want {
			t.Errorf("SearchQuery(%q) = %q, want %q", c.terms, got, c.want)
		}
	}
}

func TestPagesToTheEndThenOnlyNewVideos(t *testing.T) {
	s, fake, _ := setup(t, func(c *youtube.Config) { c.MaxPages = 5; c.WatchVideos = 2 })
	for i := range 120 {
		fake.AddVideo(youtubefake.Video{ID: fmt.Sprintf("v%03d", i), ChannelID: "UCfan", ChannelTitle: "Fan", Title: fmt.Sprintf("Acme review %d", i), PublishedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	fake.AddVideo(youtubefake.Video{ID: "other", Title: "Cooking pasta", PublishedAt: t0})

	var all []string
	cur := ""
	for n := 0; ; n++ {
		p := search(t, s, cur)
		all = append(all, listeningtest.IDs(p.Mentions)...)
		cur = p.Cursor
		if !p.More {
			break
		}
		if n > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(all) != 120 || all[0] != "v119" || all[119] != "v000" {
		t.Fatalf("first pass: %d videos, first %v", len(all), all[:min(3, len(all))])
	}
	if q := fake.Queries(); q[0] != `Acme|"acme phone"` {
		t.Errorf("q = %q", q[0])
	}
	// 3 pages of 50 at 100 units and their channels at 1, then the 2
	// followed videos' comments at 1 unit.
	if got := fake.Units(); got != 305 {
		t.Errorf("units spent = %d, want 305", got)
	}

	// A new video in the same second as the newest seen one, and a later one.
	fake.AddVideo(youtubefake.Video{ID: "tie", Title: "acme PHONE unboxing", PublishedAt: t0.Add(119 * time.Minute)})
	fake.AddVideo(youtubefake.Video{ID: "new", Title: "ACME support is slow", PublishedAt: t0.Add(3 * time.Hour)})
	p := search(t, s, cur)
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"new", "tie"}) || p.More {
		t.Fatalf("second pass = %v more=%v", got, p.More)
	}
	if again := search(t, s, p.Cursor); len(again.Mentions) != 0 {
		t.Fatalf("third pass repeats %v", listeningtest.IDs(again.Mentions))
	}
}

func TestVideoMentionFields(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "vid1", ChannelID: "UCrev", ChannelTitle: "Reviewer", Title: `Acme's "X" & more`, Description: "Is <Acme> worth it?", PublishedAt: t0})
	fake.AddChannel("UCrev", 48100)
	p := search(t, s, "")
	if len(p.Mentions) != 1 {
		t.Fatalf("mentions = %v", listeningtest.IDs(p.Mentions))
	}
	m := p.Mentions[0]
	want := listening.Mention{Source: "youtube", ExternalID: "vid1", URL: "https://www.youtube.com/watch?v=vid1", Author: "Reviewer", AuthorID: "UCrev",
		AuthorURL: "https://www.youtube.com/channel/UCrev", Reach: 48100, Title: `Acme's "X" & more`, Text: "Is <Acme> worth it?", Published: t0, Replies: -1, Reactions: -1}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("mention =\n%+v\nwant\n%+v", m, want)
	}
	// search.list, channels.list for the reach, commentThreads.list of the video.
	if p.Limits.Remaining != yt.DefaultDailyBudget-102 || p.Limits.Reset.IsZero() || !p.Limits.NextPoll.IsZero() {
		t.Errorf("limits = %+v", p.Limits)
	}
}

func TestCommentsOfFoundVideos(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "vid1", Title: "Acme phone review", PublishedAt: t0})
	fake.AddThread(youtubefake.Thread{ID: "th1", VideoID: "vid1",
		Top:     youtubefake.Comment{AuthorName: "@olga", AuthorChannelID: "UColga", Text: "Acme battery died after a week", PublishedAt: t0.Add(time.Hour), Likes: 7},
		Replies: []youtubefake.Comment{{AuthorName: "@max", AuthorChannelID: "UCmax", Text: "same here", PublishedAt: t0.Add(2 * time.Hour)}},
	})
	p := search(t, s, "")
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"vid1", "th1", "th1.r1"}) {
		t.Fatalf("mentions = %v", got)
	}
	top := p.Mentions[1]
	if top.Author != "olga" || top.AuthorID != "UColga" || top.Reactions != 7 || top.Replies != 1 || top.Title != "Acme phone review" ||
		top.URL != "https://www.youtube.com/watch?v=vid1&lc=th1" || !top.Published.Equal(t0.Add(time.Hour)) {
		t.Errorf("top comment = %+v", top)
	}
	if r := top.ReplyTo; r == nil || r.Channel != inbox.ChannelYouTube || r.ThreadKey != "video:vid1:thread:th1" || r.InReplyTo != "th1" {
		t.Errorf("reply ref = %+v", top.ReplyTo)
	}
	if p.Mentions[2].Replies != -1 {
		t.Errorf("a reply's own replies are not reported: %+v", p.Mentions[2])
	}

	// A new reply arrives later: only it is new; the video is not found again.
	fake.AddThread(youtubefake.Thread{ID: "th2", VideoID: "vid1", Top: youtubefake.Comment{AuthorName: "@ann", Text: "Acme fixed it", PublishedAt: t0.Add(5 * time.Hour)}})
	p = search(t, s, p.Cursor)
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"th2"}) {
		t.Fatalf("second pass = %v", got)
	}
}

func TestDeletedAndClosedVideos(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "gone", Title: "acme", PublishedAt: t0})
	fake.AddVideo(youtubefake.Video{ID: "closed", Title: "acme", PublishedAt: t0.Add(time.Minute)})
	fake.DisableComments("closed")
	p := search(t, s, "")
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"closed", "gone"}) || len(p.Deleted) != 0 {
		t.Fatalf("first = %v deleted %v", got, p.Deleted)
	}
	fake.RemoveVideo("gone")
	p = search(t, s, p.Cursor)
	if !slices.Equal(p.Deleted, []string{"gone"}) {
		t.Fatalf("deleted = %v", p.Deleted)
	}
	before := fake.Calls("/commentThreads")
	p = search(t, s, p.Cursor)
	if fake.Calls("/commentThreads") != before || len(p.Deleted) != 0 {
		t.Errorf("dropped videos are read again: %d calls, deleted %v", fake.Calls("/commentThreads")-before, p.Deleted)
	}
}

func TestOwnBudgetSpentMakesNoCall(t *testing.T) {
	pacific, _ := time.LoadLocation("America/Los_Angeles")
	now := time.Date(2026, 11, 2, 22, 30, 0, 0, pacific)
	q := yt.NewQuota(2150, func() time.Time { return now })
	s, fake, _ := setup(t, func(c *youtube.Config) { c.Quota = q; c.Reserve = 2000 })
	fake.AddVideo(youtubefake.Video{ID: "v1", Title: "acme", PublishedAt: t0})
	first := search(t, s, "")
	if len(first.Mentions) != 1 || !first.Limits.NextPoll.IsZero() {
		t.Fatalf("first = %v %+v", listeningtest.IDs(first.Mentions), first.Limits)
	}
	calls := fake.Calls("/search")
	p := search(t, s, first.Cursor)
	reset := time.Date(2026, 11, 3, 0, 0, 0, 0, pacific)
	if fake.Calls("/search") != calls {
		t.Error("a search was made with the budget spent")
	}
	if !p.Limits.NextPoll.Equal(reset) || !p.Limits.Reset.Equal(reset) || p.Cursor != first.Cursor || len(p.Mentions) != 0 {
		t.Errorf("page = %+v, want next poll %v and the cursor kept", p, reset)
	}
}

func TestGoogleQuotaExceeded(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.SetBudget(50)
	p := search(t, s, "")
	if p.Limits.NextPoll.IsZero() || p.Limits.Remaining != 0 || s.Quota().Remaining() != 0 {
		t.Fatalf("limits = %+v, quota left %d", p.Limits, s.Quota().Remaining())
	}
	calls := fake.Calls("/search")
	search(t, s, p.Cursor)
	if fake.Calls("/search") != calls {
		t.Error("searched again after quotaExceeded")
	}
}

func TestRateLimited(t *testing.T) {
	s, fake, sl := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "v1", Title: "acme", PublishedAt: t0})
	fake.FailNext("/search", youtubefake.Failure{Status: 429, Reason: "rateLimitExceeded", RetryAfter: "7"})
	if p := search(t, s, ""); len(p.Mentions) != 1 {
		t.Fatalf("after a 429: %v", listeningtest.IDs(p.Mentions))
	}
	if w := sl.Waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Errorf("waits = %v, want the Retry-After of 7s", w)
	}
	fake.FailNext("/search", youtubefake.Failure{Status: 429, Reason: "rateLimitExceeded", RetryAfter: "600"})
	_, err := s.Search(context.Background(), listening.Request{Terms: []string{"acme"}})
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 10*time.Minute {
		t.Errorf("long Retry-After: %v, want a RateLimitError for the poller", err)
	}
}

func TestAuthAndMalformed(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.Revoke(key)
	_, err := s.Search(context.Background(), listening.Request{Terms: []string{"acme"}})
	if !errors.Is(err, channels.ErrAuth) {
		t.Errorf("revoked key: %v, want an auth error", err)
	}

	s, fake, _ = setup(t, nil)
	fake.FailNext("/search", youtubefake.Failure{Body: `{"items": [`})
	_, err = s.Search(context.Background(), listening.Request{Terms: []string{"acme"}})
	if err == nil || !strings.Contains(err.Error(), "malformed JSON") {
		t.Errorf("malformed answer: %v", err)
	}
	if _, err := s.Search(context.Background(), listening.Request{Terms: []string{` " `}}); err == nil {
		t.Error("a topic without words searched anything")
	}
	if _, err := s.Search(context.Background(), listening.Request{Terms: []string{"acme"}, Cursor: "{broken"}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("broken cursor: %v", err)
	}
}

func TestRateLimitWhileReadingCommentsKeepsTheVideos(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "v1", Title: "acme", PublishedAt: t0})
	fake.AddThread(youtubefake.Thread{ID: "th1", VideoID: "v1", Top: youtubefake.Comment{Text: "acme!", PublishedAt: t0.Add(time.Hour)}})
	fake.FailNext("/commentThreads", youtubefake.Failure{Status: 429, Reason: "rateLimitExceeded", RetryAfter: "900"})
	p := search(t, s, "")
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"v1"}) || p.Limits.NextPoll.IsZero() {
		t.Fatalf("page = %v limits %+v, want the video and a later poll", got, p.Limits)
	}
	searches := fake.Calls("/search")
	p = search(t, s, p.Cursor)
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"th1"}) || fake.Calls("/search") != searches+1 {
		t.Fatalf("next pass = %v, want the comment read then", got)
	}
}

func TestResumeAfterCrashAndVideosDuringAPass(t *testing.T) {
	now := t0.Add(24 * time.Hour)
	s, fake, _ := setup(t, func(c *youtube.Config) { c.MaxPages = 10; c.Now = func() time.Time { return now } })
	for i := range 120 {
		fake.AddVideo(youtubefake.Video{ID: fmt.Sprintf("v%03d", i), Title: "acme", PublishedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	p1 := search(t, s, "")
	// A video published while the pass pages on would shift the page
	// offsets; the pass is bounded by its start, the next pass finds it.
	fake.AddVideo(youtubefake.Video{ID: "late", Title: "acme", PublishedAt: now.Add(time.Minute)})
	p2 := search(t, s, p1.Cursor)
	// The poller crashed before storing p2: the same cursor gives the same page.
	if again := search(t, s, p1.Cursor); !reflect.DeepEqual(again.Mentions, p2.Mentions) || again.Cursor != p2.Cursor {
		t.Fatalf("refetch differs: %v vs %v", listeningtest.IDs(again.Mentions), listeningtest.IDs(p2.Mentions))
	}
	p3 := search(t, s, p2.Cursor)
	all := slices.Concat(listeningtest.IDs(p1.Mentions), listeningtest.IDs(p2.Mentions), listeningtest.IDs(p3.Mentions))
	if p3.More || len(all) != 120 || slices.Contains(all, "late") || all[50] != "v069" {
		t.Fatalf("first pass: %d videos, more=%v, late included %v", len(all), p3.More, slices.Contains(all, "late"))
	}
	now = now.Add(time.Hour)
	if p := search(t, s, p3.Cursor); !slices.Equal(listeningtest.IDs(p.Mentions), []string{"late"}) {
		t.Fatalf("next pass = %v", listeningtest.IDs(p.Mentions))
	}
}

// The ReplyRef a comment carries is what the YouTube inbox connector answers
// with: a reply under the top-level comment.
func TestReplyRefAnswersThroughTheConnector(t *testing.T) {
	s, fake, _ := setup(t, nil)
	fake.AddVideo(youtubefake.Video{ID: "vid1", Title: "Acme review", PublishedAt: t0})
	fake.AddThread(youtubefake.Thread{ID: "th1", VideoID: "vid1", Top: youtubefake.Comment{Text: "top", PublishedAt: t0.Add(time.Hour)},
		Replies: []youtubefake.Comment{{Text: "Acme broke", PublishedAt: t0.Add(2 * time.Hour)}}})
	p := search(t, s, "")
	if len(p.Mentions) != 3 || p.Mentions[2].ReplyTo == nil {
		t.Fatalf("mentions = %+v", p.Mentions)
	}
	r := p.Mentions[2].ReplyTo
	conn, err := yt.New(yt.Config{ChannelID: "UCbrand", Token: func(context.Context) (string, error) { return oauth, nil }, HTTPClient: fake.Client(), BaseURL: fake.BaseURL(), Quota: s.Quota()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Channel != conn.Kind() {
		t.Fatalf("reply ref channel %q", r.Channel)
	}
	if _, err := conn.Reply(context.Background(), channels.Reply{ThreadKey: r.ThreadKey, InReplyTo: r.InReplyTo, Text: "Sorry, write to us"}); err != nil {
		t.Fatal(err)
	}
	if ins := fake.Inserts(); len(ins) != 1 || ins[0].ParentID != "th1" {
		t.Errorf("inserts = %+v, want a reply under th1", ins)
	}
}
