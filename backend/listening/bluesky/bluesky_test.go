package bluesky_test

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
	"github.com/stormdesk/stormdesk/backend/listening/bluesky"
	"github.com/stormdesk/stormdesk/backend/listening/bluesky/blueskyfake"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type world struct {
	fake  *blueskyfake.Server
	src   *bluesky.Source
	sleep *channeltest.Sleeps
	n     int
}

func setup(t *testing.T, mod func(*bluesky.Config)) *world {
	t.Helper()
	w := &world{fake: blueskyfake.New("acme.bsky.social", "abcd-efgh-ijkl-mnop"), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	now := t0.Add(48 * time.Hour)
	w.fake.Now = func() time.Time { return now }
	cfg := bluesky.Config{Identifier: "acme.bsky.social", AppPassword: "abcd-efgh-ijkl-mnop", BaseURL: w.fake.URL,
		HTTPClient: w.fake.Client(), Retry: channels.Retry{Sleep: w.sleep.Sleep}, Now: w.fake.Now}
	if mod != nil {
		mod(&cfg)
	}
	src, err := bluesky.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.src = src
	return w
}

// post adds n posts with text, 30 s apart from from; two share each second
// boundary so the cursor's same-time handling is exercised.
func (w *world) post(text string, lang string, from time.Time, n int) []string {
	var uris []string
	for i := range n {
		w.n++
		p := blueskyfake.Post{DID: "did:plc:user" + strconv.Itoa(w.n%5), Handle: fmt.Sprintf("user%d.bsky.social", w.n%5), DisplayName: "User",
			RKey: "3l" + strconv.FormatInt(int64(1_000_000+w.n), 36), Text: fmt.Sprintf("%s %d", text, i), Langs: []string{lang},
			CreatedAt: from.Add(time.Duration(i/2) * 30 * time.Second), Replies: 1, Reposts: 2, Likes: 3}
		w.fake.Add(p)
		uris = append(uris, p.URI())
	}
	return uris
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func TestPagesToTheEndAndResumes(t *testing.T) {
	w := setup(t, nil)
	want := w.post("acme delayed my flight", "en", t0, 230)
	want = append(want, w.post("Acme Air strike", "de", t0.Add(-time.Minute), 10)...)
	w.post("other airline", "en", t0, 20)
	r := listening.Request{Terms: []string{"acme"}, Since: t0.Add(-time.Hour)}
	got, _, pages, last := apifake.Drain(t, w.src, r)
	if pages != 3 || !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("%d pages, %d posts; want 3 pages, %d posts", pages, len(got), len(want))
	}
	c := w.fake.Calls("/xrpc/app.bsky.feed.searchPosts")[0]
	if c.Query.Get("sort") != "latest" || c.Query.Get("limit") != "100" || c.Query.Get("since") != t0.Add(-time.Hour).Format(time.RFC3339) {
		t.Fatalf("search call %v", c.Query)
	}
	if w.fake.Sessions() != 1 || last.Limits.Remaining != 3000-4 {
		t.Errorf("%d sessions, limits %+v", w.fake.Sessions(), last.Limits)
	}

	fresh := w.post("acme again", "en", t0.Add(3*time.Hour), 5)
	r.Cursor = last.Cursor
	got, _, _, last = apifake.Drain(t, w.src, r)
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(fresh)) {
		t.Fatalf("second poll got %v want %v", apifake.IDs(got), fresh)
	}
	r.Cursor = last.Cursor
	if p, err := w.src.Search(t.Context(), r); err != nil || len(p.Mentions) != 0 {
		t.Fatalf("third poll %d mentions err %v", len(p.Mentions), err)
	}
	// The next sweep asks the server only for posts since the newest seen.
	calls := w.fake.Calls("/xrpc/app.bsky.feed.searchPosts")
	if s := calls[len(calls)-1].Query.Get("since"); s != t0.Add(3*time.Hour+60*time.Second).Format(time.RFC3339) {
		t.Errorf("since = %s", s)
	}
}

// Bluesky's cursor is an offset: posts arriving during the sweep shift it.
func TestCrashMidSweepLosesNothing(t *testing.T) {
	w := setup(t, nil)
	first := w.post("acme", "en", t0, 250)
	apifake.CrashResume(t, w.src, listening.Request{Terms: []string{"acme"}, Since: t0.Add(-time.Hour)}, first, func() []string {
		return w.post("acme late", "en", t0.Add(5*time.Hour), 3)
	})
}

func TestLanguageAndPhrases(t *testing.T) {
	w := setup(t, nil)
	de := w.post("Acme Air Verspätung", "de", t0, 3)
	w.post("Acme Air delay", "en", t0, 3)
	w.post("acme and air apart", "de", t0, 2)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme air"}, Langs: []string{"de"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(de)) {
		t.Fatalf("got %v", apifake.IDs(got))
	}
	c := w.fake.Calls("/xrpc/app.bsky.feed.searchPosts")[0]
	if c.Query.Get("q") != `"acme air"` || c.Query.Get("lang") != "de" {
		t.Fatalf("query %v", c.Query)
	}
}

func TestMentionFields(t *testing.T) {
	w := setup(t, nil)
	w.fake.Add(blueskyfake.Post{DID: "did:plc:abc", Handle: "ann.bsky.social", RKey: "3kabc", Text: "acme 🚀 lost my bag",
		Langs: []string{"en"}, CreatedAt: t0.Add(time.Minute), IndexedAt: t0, Replies: 4, Reposts: 5, Likes: 6})
	got, deleted, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	want := listening.Mention{Source: "bluesky", ExternalID: "at://did:plc:abc/app.bsky.feed.post/3kabc",
		URL: "https://bsky.app/profile/did:plc:abc/post/3kabc", Author: "@ann.bsky.social", AuthorID: "did:plc:abc",
		AuthorURL: "https://bsky.app/profile/ann.bsky.social", Text: "acme 🚀 lost my bag", Lang: "en",
		Published: t0, Replies: 4, Reactions: 11,
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelBluesky, ThreadKey: "post:at://did:plc:abc/app.bsky.feed.post/3kabc", InReplyTo: "at://did:plc:abc/app.bsky.feed.post/3kabc"}}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) || len(deleted) != 0 {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// A mention inside a thread is answered in that thread: the inbox channel
// keys it by the root post, as its Fetch keys the notification.
func TestReplyToNamesTheThreadRoot(t *testing.T) {
	w := setup(t, nil)
	root := "at://did:plc:org/app.bsky.feed.post/3kroot"
	w.fake.Add(blueskyfake.Post{DID: "did:plc:abc", Handle: "ann.bsky.social", RKey: "3kre", Text: "acme still has my bag",
		CreatedAt: t0, ReplyRoot: root, ReplyParent: "at://did:plc:bob/app.bsky.feed.post/3kmid"})
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if len(got) != 1 || got[0].ReplyTo == nil {
		t.Fatalf("got %+v", got)
	}
	want := listening.ReplyRef{Channel: inbox.ChannelBluesky, ThreadKey: "post:" + root, InReplyTo: "at://did:plc:abc/app.bsky.feed.post/3kre"}
	if *got[0].ReplyTo != want {
		t.Fatalf("reply to %+v, want %+v", *got[0].ReplyTo, want)
	}
}

func TestDeletedPostIsNotFound(t *testing.T) {
	w := setup(t, nil)
	uris := w.post("acme", "en", t0, 3)
	w.fake.Delete(uris[1])
	got, deleted, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted([]string{uris[0], uris[2]})) || len(deleted) != 0 {
		t.Fatalf("got %v deleted %v", apifake.IDs(got), deleted)
	}
}

func TestSessionRenewal(t *testing.T) {
	w := setup(t, nil)
	w.post("acme", "en", t0, 2)
	r := listening.Request{Terms: []string{"acme"}}
	if _, err := w.src.Search(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	w.fake.ExpireAccess()
	if _, err := w.src.Search(t.Context(), r); err != nil {
		t.Fatalf("after access expiry: %v", err)
	}
	if w.fake.Sessions() != 1 || len(w.fake.Calls("/xrpc/com.atproto.server.refreshSession")) != 1 {
		t.Fatalf("%d logins, %d refreshes; want a refresh, not a login", w.fake.Sessions(), len(w.fake.Calls("/xrpc/com.atproto.server.refreshSession")))
	}
	w.fake.ExpireAccess()
	w.fake.ExpireRefresh()
	if _, err := w.src.Search(t.Context(), r); err != nil {
		t.Fatalf("after refresh expiry: %v", err)
	}
	if w.fake.Sessions() != 2 {
		t.Fatalf("%d logins; a refused refresh logs in again", w.fake.Sessions())
	}
}

func TestErrors(t *testing.T) {
	r := listening.Request{Terms: []string{"acme"}}
	t.Run("wrong app password", func(t *testing.T) {
		w := setup(t, func(c *bluesky.Config) { c.AppPassword = "wrong" })
		_, err := w.src.Search(t.Context(), r)
		if apperr.Classify(err).Code != apperr.CodeAuthFailed || len(w.fake.Calls("/xrpc/app.bsky.feed.searchPosts")) != 0 {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		w := setup(t, nil)
		w.fake.Fail("/xrpc/app.bsky.feed.searchPosts", 1, apifake.Fault{Status: 200, Body: `{"posts": [{"uri": "at://x`})
		if _, err := w.src.Search(t.Context(), r); !errors.Is(err, webapi.ErrMalformed) {
			t.Fatalf("cut off: %v", err)
		}
		w.fake.Fail("/xrpc/app.bsky.feed.searchPosts", 1, apifake.Fault{Status: 200, Body: `{"posts": [{"uri": "https://bsky.app/x", "record": {"createdAt": "2026-11-20T09:00:00Z"}}]}`})
		if _, err := w.src.Search(t.Context(), r); !errors.Is(err, webapi.ErrMalformed) {
			t.Fatalf("bad uri: %v", err)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		w := setup(t, nil)
		w.post("acme", "en", t0, 1)
		reset := strconv.FormatInt(w.fake.Now().Add(9*time.Second).Unix(), 10)
		h := http.Header{"Ratelimit-Limit": {"3000"}, "Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {reset}}
		w.fake.Fail("/xrpc/app.bsky.feed.searchPosts", 1, apifake.Fault{Status: 429, Body: `{"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}`, Header: h})
		p, err := w.src.Search(t.Context(), r)
		if err != nil || len(p.Mentions) != 1 || !slices.Equal(w.sleep.Waits(), []time.Duration{9 * time.Second}) {
			t.Fatalf("%d mentions waits %v err %v", len(p.Mentions), w.sleep.Waits(), err)
		}
		h.Set("Retry-After", "3600")
		w.fake.Fail("/xrpc/app.bsky.feed.searchPosts", 3, apifake.Fault{Status: 429, Body: `{"error": "RateLimitExceeded"}`, Header: h})
		var rl *channels.RateLimitError
		if _, err := w.src.Search(t.Context(), r); !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("window spent", func(t *testing.T) {
		w := setup(t, nil)
		w.fake.Window = 2 // the login and one search
		p, err := w.src.Search(t.Context(), r)
		if err != nil || p.Limits.Remaining != 0 || p.Limits.NextPoll.IsZero() {
			t.Fatalf("limits %+v err %v", p.Limits, err)
		}
	})
}

func TestOpenFromStoredSettings(t *testing.T) {
	w := setup(t, nil)
	w.post("acme", "en", t0, 2)
	settings := []byte(`{"identifier": "acme.bsky.social", "baseUrl": "` + w.fake.URL + `"}`)
	src, err := bluesky.Open(listening.Setup{Name: "bluesky", Settings: settings, Secrets: map[string]string{bluesky.SecretAppPassword: "abcd-efgh-ijkl-mnop"}, HTTP: w.fake.Client()})
	if err != nil || src.Name() != listening.SourceBluesky {
		t.Fatal(err)
	}
	if got, _, _, _ := apifake.Drain(t, src, listening.Request{Terms: []string{"acme"}}); len(got) != 2 {
		t.Fatalf("got %d", len(got))
	}
	if _, err := bluesky.Open(listening.Setup{Name: "bluesky", Settings: settings, Secrets: nil, HTTP: nil}); err == nil {
		t.Fatal("opened without the app password")
	}
}

// The search pages through Cap results at most: a poll finding more keeps
// the newest.
func TestResultCap(t *testing.T) {
	w := setup(t, nil)
	w.fake.Cap = 150
	all := w.post("acme", "en", t0, 200)
	got, _, pages, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if pages != 2 || !slices.Equal(sorted(apifake.IDs(got)), sorted(all[50:])) {
		t.Fatalf("%d pages, %d posts; want the newest 150", pages, len(got))
	}
}
