package mastodon_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/mastodon"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

const token = "listen-token"

var (
	t0    = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	alice = mastodonfake.Customer{ID: "7", Username: "alice", Acct: "alice", Name: "Alice"}
	bob   = mastodonfake.Customer{ID: "8", Username: "bob", Acct: "bob@other.example", Name: ""}
)

// sid is a Mastodon id for a status created at at: milliseconds << 16.
func sid(at time.Time, seq int) string { return strconv.FormatInt(at.UnixMilli()<<16+int64(seq), 10) }

type world struct {
	fake  *mastodonfake.Server
	src   *mastodon.Source
	sleep *channeltest.Sleeps
	ids   []string // ids of the statuses added by post, oldest first
}

func setup(t *testing.T, cfg mastodon.Config) *world {
	t.Helper()
	w := &world{fake: mastodonfake.New(token), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	w.fake.Now = func() time.Time { return t0.Add(30 * 24 * time.Hour) }
	cfg.BaseURL, cfg.HTTPClient = w.fake.URL, w.fake.Client()
	cfg.Retry = channels.Retry{Sleep: w.sleep.Sleep}
	cfg.Now = w.fake.Now
	src, err := mastodon.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.src = src
	return w
}

// post adds n statuses by c with text, one minute apart after from.
func (w *world) post(t *testing.T, c mastodonfake.Customer, text string, from time.Time, n int, indexable bool) []string {
	t.Helper()
	var ids []string
	var raws []any
	for i := range n {
		at := from.Add(time.Duration(i) * time.Minute)
		id := sid(at, len(w.ids)+i)
		raws = append(raws, mastodonfake.Public(id, c, text, at, indexable))
		ids = append(ids, id)
	}
	if err := w.fake.AddStatuses(jsonOf(t, raws)); err != nil {
		t.Fatal(err)
	}
	w.ids = append(w.ids, ids...)
	return ids
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out) // equal-length decimal ids sort like numbers
	return out
}

func TestSearchPagesToTheEndAndResumes(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	want := w.post(t, alice, "The Acme delay again", t0, 95, true)
	w.post(t, bob, "Acme delay, but bob keeps his posts out of search", t0, 5, false)
	w.post(t, alice, "unrelated", t0, 3, true)

	r := listening.Request{Terms: []string{"delay"}, Since: t0.Add(-time.Hour)}
	got, _, pages, last := apifake.Drain(t, w.src, r)
	if pages != 3 {
		t.Errorf("pages = %d, want 3 (40 + 40 + 15)", pages)
	}
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("found %d statuses, want the %d indexable ones", len(got), len(want))
	}
	for _, c := range w.fake.Calls("/api/v2/search") {
		if c.Query.Get("q") != "delay" || c.Query.Get("type") != "statuses" || c.Header.Get("Authorization") != "Bearer "+token {
			t.Fatalf("search call %v", c)
		}
	}

	// Nothing new: nothing delivered again.
	r.Cursor = last.Cursor
	p, err := w.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 0 || p.More {
		t.Fatalf("second poll: %d mentions, more %v, err %v", len(p.Mentions), p.More, err)
	}
	// Three new statuses: exactly those.
	fresh := w.post(t, alice, "delay delay", t0.Add(5*time.Hour), 3, true)
	r.Cursor = p.Cursor
	got, _, _, _ = apifake.Drain(t, w.src, r)
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(fresh)) {
		t.Fatalf("after new posts got %v, want %v", apifake.IDs(got), fresh)
	}
}

// A crash after fetching a page but before storing it repeats the page
// with the old cursor; statuses posted during the sweep come next poll.
func TestCrashMidSweepLosesNothing(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	first := w.post(t, alice, "acme outage", t0, 60, true)
	apifake.CrashResume(t, w.src, listening.Request{Terms: []string{"acme outage"}, Since: t0.Add(-time.Hour)}, first, func() []string {
		return w.post(t, alice, "acme outage still", t0.Add(3*time.Hour), 2, true)
	})
}

func TestHashtagTimelineWithoutToken(t *testing.T) {
	w := setup(t, mastodon.Config{Hashtags: []string{"#AcmeAir"}})
	want := w.post(t, alice, "bags lost again #AcmeAir", t0, 45, true)
	w.post(t, bob, "#acmeair from someone not in search", t0.Add(time.Hour), 2, false)
	w.post(t, alice, "no tag acmeair", t0, 2, true)
	got, _, pages, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme air"}, Since: t0.Add(-time.Minute)})
	if len(got) != 47 || pages != 2 {
		t.Fatalf("got %d in %d pages, want 47 in 2 (the tag timeline does not depend on search opt-in)", len(got), pages)
	}
	if !slices.Contains(apifake.IDs(got), want[0]) {
		t.Fatal("oldest tagged status missing")
	}
	calls := w.fake.Calls("")
	for _, c := range calls {
		if c.Path != "/api/v1/timelines/tag/acmeair" || c.Header.Get("Authorization") != "" {
			t.Fatalf("unexpected call %s auth %q", c.Path, c.Header.Get("Authorization"))
		}
	}
	// The first poll's Since became an id bound.
	if got := calls[0].Query.Get("since_id"); got != strconv.FormatInt(t0.Add(-time.Minute).UnixMilli()<<16-1, 10) {
		t.Errorf("since_id = %s", got)
	}
}

func TestMentionFields(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	id := w.post(t, alice, "Acme lost my bag &amp; nobody answers #acme", t0, 1, true)[0]
	w.post(t, bob, "acme at another instance", t0.Add(time.Minute), 1, true)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if len(got) != 2 {
		t.Fatalf("got %d (one status found by the search and the tag counts once)", len(got))
	}
	i := slices.IndexFunc(got, func(m listening.Mention) bool { return m.ExternalID == id })
	m, o := got[i], got[1-i]
	want := listening.Mention{
		Source: "mastodon", ExternalID: id, URL: "https://mastodon.example/@alice/" + id,
		Author: "Alice", AuthorID: "alice@127.0.0.1", AuthorURL: "https://mastodon.example/@alice", Reach: 10,
		Text: "Acme lost my bag &amp; nobody answers #acme", Lang: "en", Published: t0, Replies: 2, Reactions: 8,
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelMastodon, ThreadKey: "status:" + id, InReplyTo: id},
	}
	// The fake escapes the text once more, so the entity stays in the plain text.
	if m.ReplyTo == nil || *m.ReplyTo != *want.ReplyTo {
		t.Fatalf("reply ref %+v", m.ReplyTo)
	}
	m.ReplyTo, want.ReplyTo = nil, nil
	if m != want {
		t.Fatalf("mention\n got %+v\nwant %+v", m, want)
	}
	if o.Author != "@bob@other.example" || o.AuthorID != "bob@other.example" {
		t.Errorf("remote author %q / %q", o.Author, o.AuthorID)
	}
}

func TestRateLimits(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	w.post(t, alice, "acme", t0, 3, true)
	r := listening.Request{Terms: []string{"acme"}}

	// A short Retry-After is waited out inside the call.
	w.fake.RateLimit("/api/v2/search", 1, 7*time.Second, true)
	p, err := w.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 3 {
		t.Fatalf("after 429: %d mentions, err %v", len(p.Mentions), err)
	}
	if waits := w.sleep.Waits(); !slices.Equal(waits, []time.Duration{7 * time.Second}) {
		t.Errorf("waits %v, want the Retry-After", waits)
	}
	if p.Limits.Remaining != 298 || !p.Limits.Reset.Equal(w.fake.Now().Add(5*time.Minute)) {
		t.Errorf("limits %+v, want 298 left of the window", p.Limits)
	}

	// A spent window (only X-RateLimit-Reset, minutes away) goes back to the poller.
	w.fake.RateLimit("/api/v2/search", 5, 4*time.Minute, false)
	_, err = w.src.Search(t.Context(), r)
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 4*time.Minute {
		t.Fatalf("err %v, want a rate limit of 4 min", err)
	}
	if apperr.Classify(err).Code != apperr.CodeRateLimited {
		t.Errorf("code %s", apperr.Classify(err).Code)
	}

	// The last call of the window says so in Limits.NextPoll.
	w2 := setup(t, mastodon.Config{Token: token})
	w2.fake.SearchLimit(2) // "acme" is a search and a hashtag: two calls
	p, err = w2.src.Search(t.Context(), r)
	if err != nil || p.Limits.Remaining != 0 || !p.Limits.NextPoll.Equal(p.Limits.Reset) {
		t.Fatalf("limits %+v, err %v", p.Limits, err)
	}
	_, err = w2.src.Search(t.Context(), r)
	if !errors.As(err, &rl) {
		t.Fatalf("over the window: %v", err)
	}

	// A window that runs out between the search and the hashtag timeline:
	// the search's statuses come, the timeline waits for the window's reset.
	w3 := setup(t, mastodon.Config{Token: token})
	w3.post(t, alice, "acme #acme", t0, 2, true)
	w3.fake.SearchLimit(1)
	p, err = w3.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 2 || p.More || !p.Limits.NextPoll.Equal(w3.fake.Now().Add(5*time.Minute)) {
		t.Fatalf("%d mentions, more %v, limits %+v, err %v", len(p.Mentions), p.More, p.Limits, err)
	}
	w3.fake.SearchLimit(300)
	later := w3.post(t, alice, "acme #acme later", t0.Add(time.Hour), 1, true)
	p, err = w3.src.Search(t.Context(), listening.Request{Terms: r.Terms, Cursor: p.Cursor})
	// The timeline's first sweep also brings the two the search found last
	// time: positions are per query, and the store keeps one per id.
	if err != nil || !slices.Equal(sorted(apifake.IDs(p.Mentions)), sorted(w3.ids)) || !slices.Contains(apifake.IDs(p.Mentions), later[0]) {
		t.Fatalf("after the reset: %v, err %v", apifake.IDs(p.Mentions), err)
	}
}

func TestErrors(t *testing.T) {
	r := listening.Request{Terms: []string{"acme"}}
	t.Run("bad token", func(t *testing.T) {
		w := setup(t, mastodon.Config{Token: "wrong"})
		_, err := w.src.Search(t.Context(), r)
		if !errors.Is(err, channels.ErrAuth) || apperr.Classify(err).Code != apperr.CodeAuthFailed {
			t.Fatalf("err %v", err)
		}
		if n := len(w.fake.Calls("")); n != 1 {
			t.Errorf("%d calls: an auth failure is not retried", n)
		}
	})
	t.Run("no read:search scope", func(t *testing.T) {
		w := setup(t, mastodon.Config{Token: token})
		w.fake.NoSearchScope()
		_, err := w.src.Search(t.Context(), r)
		if apperr.Classify(err).Code != apperr.CodeNotAllowed {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		w := setup(t, mastodon.Config{Token: token})
		w.fake.Malformed("/api/v2/search", 1)
		_, err := w.src.Search(t.Context(), r)
		if !errors.Is(err, webapi.ErrMalformed) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("5xx retried", func(t *testing.T) {
		w := setup(t, mastodon.Config{Token: token})
		w.post(t, alice, "acme", t0, 1, true)
		w.fake.ServiceUnavailable("/api/v2/search", 2)
		p, err := w.src.Search(t.Context(), r)
		if err != nil || len(p.Mentions) != 1 {
			t.Fatalf("%d mentions, err %v", len(p.Mentions), err)
		}
	})
}

// Mastodon reports no deletions to search: a deleted status is no longer
// found, and Page.Deleted stays empty.
func TestDeletedStatusIsNotFound(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	ids := w.post(t, alice, "acme", t0, 3, true)
	w.fake.RemoveStatus(ids[1])
	got, deleted, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted([]string{ids[0], ids[2]})) || len(deleted) != 0 {
		t.Fatalf("got %v deleted %v", apifake.IDs(got), deleted)
	}
}

func TestOpenFromStoredSettings(t *testing.T) {
	w := setup(t, mastodon.Config{})
	w.post(t, alice, "acme #acme", t0, 2, true)
	src, err := mastodon.Open(listening.Setup{Name: "mastodon", Settings: []byte(`{"baseUrl": "` + w.fake.URL + `", "hashtags": ["acme"]}`), Secrets: map[string]string{"token": token}, HTTP: w.fake.Client()})
	if err != nil || src.Name() != listening.SourceMastodon {
		t.Fatal(err)
	}
	if got, _, _, _ := apifake.Drain(t, src, listening.Request{Terms: []string{"acme"}}); len(got) != 2 {
		t.Fatalf("got %d", len(got))
	}
	if _, err := mastodon.Open(listening.Setup{Name: "mastodon", Settings: []byte(`{"baseUri": "https://x.example"}`), Secrets: nil, HTTP: nil}); err == nil {
		t.Fatal("a misspelt setting was accepted")
	}
}

func TestPhraseIsQuoted(t *testing.T) {
	w := setup(t, mastodon.Config{Token: token})
	want := w.post(t, alice, "another acme outage today", t0, 2, true)
	w.post(t, alice, "acme had no outage", t0, 2, true)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme outage"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("got %v", apifake.IDs(got))
	}
	if q := w.fake.Calls("/api/v2/search")[0].Query.Get("q"); q != `"acme outage"` {
		t.Fatalf("q = %s", q)
	}
}
