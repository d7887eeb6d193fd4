package reddit_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/reddit"
	"github.com/stormdesk/stormdesk/backend/listening/reddit/redditfake"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

const agent = "desktop:dev.stormdesk.test:1.0 (by /u/stormdesk)"

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type world struct {
	fake  *redditfake.Server
	src   *reddit.Source
	sleep *channeltest.Sleeps
	n     int
}

func setup(t *testing.T, mod func(*reddit.Config)) *world {
	t.Helper()
	w := &world{fake: redditfake.New("app-id", "app-secret"), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	now := t0.Add(48 * time.Hour)
	w.fake.Now = func() time.Time { return now }
	cfg := reddit.Config{ClientID: "app-id", Secret: "app-secret", UserAgent: agent, AuthURL: w.fake.URL, APIURL: w.fake.URL,
		HTTPClient: w.fake.Client(), Retry: channels.Retry{Sleep: w.sleep.Sleep}, Now: w.fake.Now}
	if mod != nil {
		mod(&cfg)
	}
	src, err := reddit.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.src = src
	return w
}

// post adds n posts in sub with title, one minute apart from from.
func (w *world) post(sub, title string, from time.Time, n int) []string {
	var names []string
	for i := range n {
		w.n++
		id := strconv.FormatInt(int64(1_000_000+w.n), 36)
		w.fake.Add(redditfake.Post{ID: id, Subreddit: sub, Title: fmt.Sprintf("%s %d", title, i), Selftext: "details",
			Author: "user" + strconv.Itoa(w.n), Created: from.Add(time.Duration(i) * time.Minute), Comments: i, Score: 2 * i})
		names = append(names, "t3_"+id)
	}
	return names
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func TestPagesToTheEndAndResumes(t *testing.T) {
	w := setup(t, nil)
	want := w.post("travel", "Acme Air lost my bag", t0, 150)
	want = append(want, w.post("flying", "acmeair delays", t0.Add(-time.Hour), 30)...)
	w.post("travel", "Other airline", t0, 20)

	r := listening.Request{Terms: []string{"acme air", "acmeair"}, Since: t0.Add(-2 * time.Hour)}
	got, _, pages, last := apifake.Drain(t, w.src, r)
	if pages != 2 || !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("%d pages, %d posts; want 2 pages and %d posts", pages, len(got), len(want))
	}
	c := w.fake.Calls("/search")[0]
	if c.Query.Get("q") != `"acme air" OR acmeair` || c.Query.Get("sort") != "new" || c.Query.Get("limit") != "100" ||
		c.Header.Get("User-Agent") != agent || c.Header.Get("Authorization") == "" {
		t.Fatalf("search call %v %v", c.Query, c.Header)
	}
	if w.fake.Issued() != 1 {
		t.Errorf("%d tokens fetched, want 1 for the whole sweep", w.fake.Issued())
	}
	if last.Limits.Remaining != 1000-2 || !last.Limits.Reset.Equal(w.fake.Now().Add(10*time.Minute)) {
		t.Errorf("limits %+v", last.Limits)
	}

	fresh := w.post("travel", "acme air again", t0.Add(5*time.Hour), 4)
	r.Cursor = last.Cursor
	got, _, _, _ = apifake.Drain(t, w.src, r)
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(fresh)) {
		t.Fatalf("second poll got %v want %v", apifake.IDs(got), fresh)
	}
}

func TestSinceBoundsTheFirstPoll(t *testing.T) {
	w := setup(t, nil)
	w.post("travel", "acme old", t0.Add(-24*time.Hour), 5)
	want := w.post("travel", "acme new", t0, 5)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}, Since: t0.Add(-time.Hour)})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("got %v want %v", apifake.IDs(got), want)
	}
}

func TestCrashMidSweepLosesNothing(t *testing.T) {
	w := setup(t, nil)
	first := w.post("travel", "acme", t0, 220)
	apifake.CrashResume(t, w.src, listening.Request{Terms: []string{"acme"}, Since: t0.Add(-time.Hour)}, first, func() []string {
		return w.post("travel", "acme late", t0.Add(6*time.Hour), 3)
	})
}

// Reddit lists at most about 250 results of a search: a poll that finds
// more than that since the last one keeps the newest 250.
func TestResultCap(t *testing.T) {
	w := setup(t, nil)
	all := w.post("travel", "acme", t0, 300)
	got, _, pages, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if pages != 3 || !slices.Equal(sorted(apifake.IDs(got)), sorted(all[50:])) {
		t.Fatalf("%d pages, %d posts; want the newest 250 in 3 pages", pages, len(got))
	}
}

func TestSubredditSearch(t *testing.T) {
	w := setup(t, func(c *reddit.Config) { c.Subreddits = []string{"travel", "flying"} })
	want := append(w.post("travel", "acme", t0, 2), w.post("Flying", "acme", t0, 2)...)
	w.post("news", "acme", t0, 2)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("got %v", apifake.IDs(got))
	}
	if c := w.fake.Calls("/r/travel+flying/search"); len(c) != 1 || c[0].Query.Get("restrict_sr") != "1" {
		t.Fatalf("calls %v", w.fake.Calls(""))
	}
}

func TestMentionFieldsAndDeleted(t *testing.T) {
	w := setup(t, nil)
	ids := w.post("travel", "acme lost my bag", t0, 3)
	w.fake.Remove(ids[0][3:], "deleted")
	w.fake.Remove(ids[1][3:], "moderator")
	got, deleted, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(deleted), sorted(ids[:2])) || len(got) != 1 {
		t.Fatalf("mentions %v deleted %v", apifake.IDs(got), deleted)
	}
	id := ids[2][3:]
	want := listening.Mention{Source: "reddit", ExternalID: ids[2], URL: "https://www.reddit.com/r/travel/comments/" + id + "/acme_lost_my_bag_2/",
		Author: "u/user3", AuthorID: "t2_user3", AuthorURL: "https://www.reddit.com/user/user3", Title: "acme lost my bag 2", Text: "details",
		Published: t0.Add(2 * time.Minute), Replies: 2, Reactions: 4,
		// Answered by the inbox's Reddit channel with a comment on the post.
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelReddit, ThreadKey: "link:" + ids[2], InReplyTo: ids[2]}}
	if !reflect.DeepEqual(got[0], want) {
		t.Fatalf("mention\n got %+v\nwant %+v", got[0], want)
	}
}

func TestExpiredTokenReauthenticatesOnce(t *testing.T) {
	w := setup(t, nil)
	w.post("travel", "acme", t0, 3)
	r := listening.Request{Terms: []string{"acme"}}
	p, err := w.src.Search(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	w.fake.ExpireTokens()
	w.post("travel", "acme more", t0.Add(time.Hour), 1)
	r.Cursor = p.Cursor
	p, err = w.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 1 || w.fake.Issued() != 2 {
		t.Fatalf("after expiry: %d mentions, %d tokens, err %v", len(p.Mentions), w.fake.Issued(), err)
	}
}

func TestErrors(t *testing.T) {
	r := listening.Request{Terms: []string{"acme"}}
	t.Run("bad credentials", func(t *testing.T) {
		w := setup(t, func(c *reddit.Config) { c.Secret = "wrong" })
		_, err := w.src.Search(t.Context(), r)
		if apperr.Classify(err).Code != apperr.CodeAuthFailed || len(w.fake.Calls("/search")) != 0 {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("token refused twice", func(t *testing.T) {
		w := setup(t, nil)
		w.fake.Fail("/search", 5, apifake.Fault{Status: 401, Body: `{"message": "Unauthorized", "error": 401}`})
		_, err := w.src.Search(t.Context(), r)
		if !errors.Is(err, channels.ErrAuth) || w.fake.Issued() != 2 || len(w.fake.Calls("/search")) != 2 {
			t.Fatalf("err %v, %d tokens, %d searches", err, w.fake.Issued(), len(w.fake.Calls("/search")))
		}
	})
	t.Run("generic user agent", func(t *testing.T) {
		w := setup(t, func(c *reddit.Config) { c.UserAgent = "Go-http-client/1.1" })
		_, err := w.src.Search(t.Context(), r)
		if apperr.Classify(err).Code != apperr.CodeNotAllowed {
			t.Fatalf("err %v", err)
		}
		if _, err := reddit.New(reddit.Config{ClientID: "a", Secret: "b"}); err == nil {
			t.Fatal("a source without User-Agent was made")
		}
	})
	t.Run("malformed", func(t *testing.T) {
		w := setup(t, nil)
		w.fake.Fail("/search", 1, apifake.Fault{Status: 200, Body: `{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"name": `})
		_, err := w.src.Search(t.Context(), r)
		if !errors.Is(err, webapi.ErrMalformed) {
			t.Fatalf("err %v", err)
		}
		w.fake.Fail("/search", 1, apifake.Fault{Status: 200, Body: `{"kind": "t3", "data": {}}`})
		if _, err = w.src.Search(t.Context(), r); !errors.Is(err, webapi.ErrMalformed) {
			t.Fatalf("not a listing: %v", err)
		}
	})
}

func TestRateLimits(t *testing.T) {
	w := setup(t, nil)
	w.post("travel", "acme", t0, 2)
	r := listening.Request{Terms: []string{"acme"}}
	h := http.Header{"X-Ratelimit-Used": {"1000"}, "X-Ratelimit-Remaining": {"0.0"}, "X-Ratelimit-Reset": {"12"}}
	w.fake.Fail("/search", 1, apifake.Fault{Status: 429, Body: `{"message": "Too Many Requests", "error": 429}`, Header: h})
	p, err := w.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 2 || !slices.Equal(w.sleep.Waits(), []time.Duration{12 * time.Second}) {
		t.Fatalf("%d mentions, waits %v, err %v", len(p.Mentions), w.sleep.Waits(), err)
	}
	h.Set("Retry-After", "400")
	w.fake.Fail("/search", 3, apifake.Fault{Status: 429, Body: `{"message": "Too Many Requests", "error": 429}`, Header: h})
	_, err = w.src.Search(t.Context(), r)
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 400*time.Second {
		t.Fatalf("err %v", err)
	}

	w2 := setup(t, nil)
	w2.fake.Window = 1
	p, err = w2.src.Search(t.Context(), r)
	if err != nil || p.Limits.Remaining != 0 || p.Limits.NextPoll.IsZero() {
		t.Fatalf("limits %+v err %v", p.Limits, err)
	}
}

func TestOpenFromStoredSettings(t *testing.T) {
	w := setup(t, nil)
	w.post("travel", "acme", t0, 2)
	settings := []byte(`{"clientId": "app-id", "userAgent": "` + agent + `", "authUrl": "` + w.fake.URL + `", "apiUrl": "` + w.fake.URL + `"}`)
	src, err := reddit.Open(listening.Setup{Name: "reddit", Settings: settings, Secrets: map[string]string{reddit.SecretClientSecret: "app-secret"}, HTTP: w.fake.Client()})
	if err != nil || src.Name() != listening.SourceReddit {
		t.Fatal(err)
	}
	if got, _, _, _ := apifake.Drain(t, src, listening.Request{Terms: []string{"acme"}}); len(got) != 2 {
		t.Fatalf("got %d", len(got))
	}
	if _, err := reddit.Open(listening.Setup{Name: "reddit", Settings: settings, Secrets: nil, HTTP: nil}); err == nil {
		t.Fatal("opened without the app secret")
	}
}
