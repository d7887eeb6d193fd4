package rss_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/rss"
	"github.com/stormdesk/stormdesk/backend/listening/rss/rssfake"
)

var now = time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T, path string, mod func(*rss.Config)) (*rss.Source, *rssfake.Server, *channeltest.Sleeps) {
	t.Helper()
	fake := rssfake.New()
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	cfg := rss.Config{URL: fake.URL + path, HTTPClient: fake.Client(), Retry: channels.Retry{Sleep: sl.Sleep}, Now: func() time.Time { return now }}
	return channeltest.New(t, rss.New, cfg, mod), fake, sl
}

func search(t *testing.T, s *rss.Source, cursor string) listening.Page {
	t.Helper()
	// Terms are ignored: a feed is read whole and matched locally.
	return listeningtest.Search(t, s, listening.Request{Terms: []string{"unrelated"}, Cursor: cursor})
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func item(guid, link, title string) string {
	return fmt.Sprintf("<item><guid>%s</guid><link>%s</link><title>%s</title><pubDate>Tue, 03 Nov 2026 08:00:00 GMT</pubDate></item>", guid, link, title)
}

func feed(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example/</link>` + strings.Join(items, "") + `</channel></rss>`
}

func TestConditionalFetchAndOnlyNewEntries(t *testing.T) {
	s, fake, _ := setup(t, "/feed", nil)
	fake.SetFeed("/feed", rssfake.Feed{Body: testdata(t, "rss2.xml"), Modified: now.Add(-time.Hour)})
	p := search(t, s, "")
	// A bare guid and an entry without id or link get ids under the feed's address.
	got := listeningtest.IDs(p.Mentions)
	if len(got) != 4 || got[0] != fake.URL+"/feed#42" || got[1] != "https://reviews.example.ru/reviews/1" ||
		got[2] != "https://reviews.example.ru/reviews/0" || !strings.HasPrefix(got[3], fake.URL+"/feed#hash:") {
		t.Fatalf("first fetch = %v", got)
	}
	m := p.Mentions[0]
	if m.Source != "rss" || m.URL != "https://reviews.example.ru/reviews/2" || m.Author != "Ольга П." || m.Lang != "ru" || m.ReplyTo != nil || m.Replies != -1 || m.Reactions != -1 {
		t.Errorf("mention = %+v", m)
	}
	if !p.Mentions[2].Published.Equal(now) {
		t.Errorf("an entry with an absurd date is dated %v, want when it was seen", p.Mentions[2].Published)
	}
	if !p.Limits.NextPoll.Equal(now.Add(30*time.Minute)) || p.More {
		t.Errorf("limits = %+v (the feed's ttl is 30 min) more=%v", p.Limits, p.More)
	}

	again := search(t, s, p.Cursor)
	if len(again.Mentions) != 0 || fake.NotModified("/feed") != 1 || again.Cursor != p.Cursor {
		t.Fatalf("unchanged feed: %v, %d 304s", listeningtest.IDs(again.Mentions), fake.NotModified("/feed"))
	}

	// The feed gains an entry and keeps the old ones.
	body := strings.Replace(testdata(t, "rss2.xml"), "<item>", "<item><title>Acme снова</title><guid>https://reviews.example.ru/reviews/3</guid></item><item>", 1)
	fake.SetFeed("/feed", rssfake.Feed{Body: body})
	p = search(t, s, again.Cursor)
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"https://reviews.example.ru/reviews/3"}) {
		t.Fatalf("after an update = %v", got)
	}
	if p.Mentions[0].Text != "Acme снова" {
		t.Errorf("an entry without text reads its title: %q", p.Mentions[0].Text)
	}
}

func TestDedupeByIDAndLinkWithoutValidators(t *testing.T) {
	s, fake, _ := setup(t, "/news.xml", nil)
	fake.SetFeed("/news.xml", rssfake.Feed{NoValidators: true, Body: feed(
		item("tag:news.example,2026:1", "https://news.example/a", "Acme one"),
		item("tag:news.example,2026:2", "https://news.example/b", "Acme two"),
		// The same story twice in one feed, under two ids.
		item("tag:news.example,2026:2-dup", "https://news.example/b", "Acme two again"),
	)})
	p := search(t, s, "")
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"tag:news.example,2026:1", "tag:news.example,2026:2"}) {
		t.Fatalf("first = %v", got)
	}
	fake.SetFeed("/news.xml", rssfake.Feed{NoValidators: true, Body: feed(
		item("tag:news.example,2026:3", "https://news.example/a", "Acme one, re-published under a new id"),
		item("tag:news.example,2026:2", "https://news.example/b-moved", "Acme two, moved"),
		item("tag:news.example,2026:4", "https://news.example/c", "Acme three"),
	)})
	p = search(t, s, p.Cursor)
	if got := listeningtest.IDs(p.Mentions); !slices.Equal(got, []string{"tag:news.example,2026:4"}) || fake.NotModified("/news.xml") != 0 {
		t.Fatalf("second = %v", got)
	}
}

func TestSinceAndSeenBound(t *testing.T) {
	s, fake, _ := setup(t, "/f", func(c *rss.Config) { c.SeenKept = 4 })
	old := strings.Replace(item("o1", "https://news.example/old", "old"), "Tue, 03 Nov 2026 08:00:00 GMT", "Mon, 05 Oct 2026 08:00:00 GMT", 1)
	fake.SetFeed("/f", rssfake.Feed{Body: feed(item("n1", "https://news.example/new", "new"), old)})
	p, err := s.Search(context.Background(), listening.Request{Cursor: "", Since: now.Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got := listeningtest.IDs(p.Mentions); len(got) != 1 || !strings.HasSuffix(got[0], "#n1") {
		t.Fatalf("since = %v", got)
	}
	// The old entry was remembered though not given: it does not come later.
	fake.SetFeed("/f", rssfake.Feed{Body: feed(item("n1", "https://news.example/new", "new"), old, item("n2", "https://news.example/n2", "n2"))})
	if got := listeningtest.IDs(search(t, s, p.Cursor).Mentions); len(got) != 1 || !strings.HasSuffix(got[0], "#n2") {
		t.Fatalf("after since = %v", got)
	}
}

func TestAtomAndRDFSources(t *testing.T) {
	s, fake, _ := setup(t, "/alerts", nil)
	fake.SetFeed("/alerts", rssfake.Feed{Body: testdata(t, "google-alerts.xml"), ContentType: "application/atom+xml"})
	p := search(t, s, "")
	if len(p.Mentions) != 2 || p.Mentions[0].URL != "https://news.example.com/2026/11/acme-recall" || p.Mentions[1].Lang != "de" {
		t.Fatalf("alerts = %+v", p.Mentions)
	}
	s, fake, _ = setup(t, "/index.rdf", nil)
	fake.SetFeed("/index.rdf", rssfake.Feed{Body: testdata(t, "rdf.xml"), ContentType: "application/rdf+xml"})
	if p := search(t, s, ""); len(p.Mentions) != 1 || p.Mentions[0].Author != "timothy" {
		t.Fatalf("rdf = %+v", p.Mentions)
	}
}

func TestHTTPFailures(t *testing.T) {
	s, fake, sl := setup(t, "/f", nil)
	fake.SetFeed("/f", rssfake.Feed{Body: feed(item("1", "https://news.example/1", "one"))})
	fake.FailNext("/f", rssfake.Failure{Status: 429, RetryAfter: "5"}, rssfake.Failure{Status: 502})
	if p := search(t, s, ""); len(p.Mentions) != 1 {
		t.Fatalf("after 429 and 502: %v", listeningtest.IDs(p.Mentions))
	}
	if w := sl.Waits(); len(w) != 2 || w[0] != 5*time.Second {
		t.Errorf("waits = %v, want the Retry-After of 5s then a backoff", w)
	}

	fake.FailNext("/f", rssfake.Failure{Status: 503, RetryAfter: "3600"})
	_, err := s.Search(context.Background(), listening.Request{})
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Errorf("503 for an hour: %v", err)
	}

	fake.FailNext("/f", rssfake.Failure{Status: 401})
	if _, err := s.Search(context.Background(), listening.Request{}); !errors.Is(err, channels.ErrAuth) {
		t.Errorf("401: %v, want an auth error", err)
	}
	var api *channels.APIError
	if _, err := s.Search(context.Background(), listening.Request{}); err != nil {
		t.Fatal(err)
	}
	gone, _, _ := setup(t, "/missing", nil)
	_, err = gone.Search(context.Background(), listening.Request{})
	if !errors.As(err, &api) || api.Code != 404 || !strings.Contains(err.Error(), "does not exist") || !unreadable(err, "gone") {
		t.Errorf("404: %v", err)
	}

	fake.SetFeed("/f", rssfake.Feed{Body: "<html><body>Shop</body></html>", ContentType: "text/html"})
	if _, err := s.Search(context.Background(), listening.Request{}); err == nil || !strings.Contains(err.Error(), "web page") || !unreadable(err, "web-page") {
		t.Errorf("a web page: %v", err)
	}
	fake.SetFeed("/f", rssfake.Feed{Body: "<rss><channel><title>cut"})
	if _, err := s.Search(context.Background(), listening.Request{}); !unreadable(err, "broken") {
		t.Errorf("broken XML: %v", err)
	}
	if _, err := s.Search(context.Background(), listening.Request{Cursor: "{"}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("broken cursor: %v", err)
	}
	if _, err := rss.New(rss.Config{URL: "file:///etc/passwd"}); err == nil {
		t.Error("a file address was accepted")
	}
}

// unreadable reports whether err reaches the window as feed-unreadable for reason.
func unreadable(err error, reason string) bool {
	var ae *apperr.Error
	return errors.As(apperr.Classify(err), &ae) && ae.Code == apperr.CodeFeedUnreadable && ae.Params["reason"] == reason
}

func TestUserAgent(t *testing.T) {
	s, fake, _ := setup(t, "/f", nil)
	fake.RefuseGoClient()
	fake.SetFeed("/f", rssfake.Feed{Body: feed(item("1", "https://news.example/1", "one"))})
	if p := search(t, s, ""); len(p.Mentions) != 1 {
		t.Fatal("the reader's own User-Agent was refused")
	}
	if ua := fake.UserAgents(); ua[0] != rss.DefaultUserAgent {
		t.Errorf("User-Agent = %q", ua[0])
	}
}
