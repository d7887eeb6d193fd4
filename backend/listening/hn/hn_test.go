package hn_test

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/hn"
	"github.com/stormdesk/stormdesk/backend/listening/hn/hnfake"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type world struct {
	fake  *hnfake.Server
	src   *hn.Source
	sleep *channeltest.Sleeps
	n     int
}

func setup(t *testing.T) *world {
	t.Helper()
	w := &world{fake: hnfake.New(), sleep: &channeltest.Sleeps{}}
	t.Cleanup(w.fake.Close)
	w.src = hn.New(hn.Config{BaseURL: w.fake.URL, HTTPClient: w.fake.Client(), Retry: channels.Retry{Sleep: w.sleep.Sleep}})
	return w
}

// comments adds n comments with text, every step from from.
func (w *world) comments(text string, from time.Time, step time.Duration, n int) []string {
	var ids []string
	for i := range n {
		w.n++
		id := 40_000_000 + w.n
		w.fake.Add(hnfake.Item{ID: id, Author: "pg" + strconv.Itoa(i%9), Text: text, Created: from.Add(time.Duration(i) * step), StoryID: 39_000_000, StoryTitle: "Ask HN"})
		ids = append(ids, strconv.Itoa(id))
	}
	return ids
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// 1200 hits since the last poll are more than Algolia pages through; moving
// the created_at_i bound reaches all of them.
func TestSweepPastTheThousandHitCap(t *testing.T) {
	w := setup(t)
	want := w.comments("acme air lost my bag", t0, 10*time.Second, 1200)
	w.comments("acme air old", t0.Add(-48*time.Hour), time.Minute, 5)
	w.comments("something else", t0, time.Second, 30)
	r := listening.Request{Terms: []string{"acme air"}, Since: t0.Add(-time.Hour)}
	got, _, pages, last := apifake.Drain(t, w.src, r)
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("got %d in %d pages, want %d", len(got), pages, len(want))
	}
	calls := w.fake.Calls("/api/v1/search_by_date")
	for _, c := range calls {
		if c.Query.Get("page") != "0" || c.Query.Get("tags") != "(story,comment)" {
			t.Fatalf("call %v: pages by created_at_i, not page", c.Query)
		}
	}
	if f := calls[1].Query.Get("numericFilters"); f != "created_at_i>="+strconv.FormatInt(t0.Add(-time.Hour).Unix(), 10)+",created_at_i<="+strconv.FormatInt(t0.Add(1100*10*time.Second).Unix(), 10) {
		t.Errorf("second call filters %s", f)
	}

	fresh := w.comments("acme air again", t0.Add(5*time.Hour), time.Second, 3)
	r.Cursor = last.Cursor
	got, _, _, _ = apifake.Drain(t, w.src, r)
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(fresh)) {
		t.Fatalf("second poll %v want %v", apifake.IDs(got), fresh)
	}
}

// 250 comments in one second: the bound cannot move, so the sweep pages
// within that second.
func TestBurstInOneSecond(t *testing.T) {
	w := setup(t)
	want := append(w.comments("acme", t0, 0, 250), w.comments("acme", t0.Add(-time.Minute), time.Second, 20)...)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted(want)) {
		t.Fatalf("got %d want %d", len(got), len(want))
	}
}

func TestCrashMidSweepLosesNothing(t *testing.T) {
	w := setup(t)
	first := w.comments("acme", t0, time.Second, 230)
	apifake.CrashResume(t, w.src, listening.Request{Terms: []string{"acme"}, Since: t0.Add(-time.Hour)}, first, func() []string {
		return w.comments("acme late", t0.Add(time.Hour), time.Second, 2)
	})
}

func TestMentionFields(t *testing.T) {
	w := setup(t)
	w.fake.Add(
		hnfake.Item{ID: 41, Story: true, Author: "dang", Title: "Acme Air is down", URL: "https://status.acme.example", Created: t0, Points: 120, Comments: 45},
		hnfake.Item{ID: 42, Author: "tptacek", Text: "Acme&#x27;s status page says <i>fine</i>.<p>It is not: <a href=\"https:&#x2F;&#x2F;x.example\">https:&#x2F;&#x2F;x.example</a>", Created: t0.Add(time.Minute), StoryID: 41, StoryTitle: "Acme Air is down"},
	)
	w.comments("not about it", t0, time.Second, 2)
	got, deleted, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	want := []listening.Mention{
		{Source: "hn", ExternalID: "42", URL: "https://news.ycombinator.com/item?id=42", Author: "tptacek", AuthorID: "tptacek",
			AuthorURL: "https://news.ycombinator.com/user?id=tptacek", Title: "Acme Air is down",
			Text: "Acme's status page says fine.\n\nIt is not: https://x.example", Published: t0.Add(time.Minute), Replies: -1, Reactions: -1},
		{Source: "hn", ExternalID: "41", URL: "https://news.ycombinator.com/item?id=41", Author: "dang", AuthorID: "dang",
			AuthorURL: "https://news.ycombinator.com/user?id=dang", Title: "Acme Air is down", Text: "https://status.acme.example",
			Published: t0, Replies: 45, Reactions: 120},
	}
	if !slices.Equal(got, want) || len(deleted) != 0 {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestDeletedItemIsNotFound(t *testing.T) {
	w := setup(t)
	ids := w.comments("acme", t0, time.Second, 3)
	n, _ := strconv.Atoi(ids[1])
	w.fake.Delete(n)
	got, _, _, _ := apifake.Drain(t, w.src, listening.Request{Terms: []string{"acme"}})
	if !slices.Equal(sorted(apifake.IDs(got)), sorted([]string{ids[0], ids[2]})) {
		t.Fatalf("got %v", apifake.IDs(got))
	}
}

func TestErrors(t *testing.T) {
	r := listening.Request{Terms: []string{"acme"}}
	w := setup(t)
	w.comments("acme", t0, time.Second, 2)
	const path = "/api/v1/search_by_date"

	w.fake.Fail(path, 1, apifake.Fault{Status: 429, Body: `{"message": "Too many requests", "status": 429}`, Header: http.Header{"Retry-After": {"20"}}})
	p, err := w.src.Search(t.Context(), r)
	if err != nil || len(p.Mentions) != 2 || !slices.Equal(w.sleep.Waits(), []time.Duration{20 * time.Second}) {
		t.Fatalf("%d mentions waits %v err %v", len(p.Mentions), w.sleep.Waits(), err)
	}
	if p.Limits.Remaining != -1 {
		t.Errorf("remaining %d: Algolia reports no quota", p.Limits.Remaining)
	}

	w.fake.Fail(path, 1, apifake.Fault{Status: 429, Body: `{"message": "Too many requests", "status": 429}`, Header: http.Header{"Retry-After": {"3600"}}})
	var rl *channels.RateLimitError
	if _, err := w.src.Search(t.Context(), r); !errors.As(err, &rl) || rl.RetryAfter != time.Hour || apperr.Classify(err).Code != apperr.CodeRateLimited {
		t.Fatalf("err %v", err)
	}

	w.fake.Fail(path, 1, apifake.Fault{Status: 200, Body: `{"hits": [{"objectID": "1", "created_at_i": "soon"}]}`})
	if _, err := w.src.Search(t.Context(), r); !errors.Is(err, webapi.ErrMalformed) {
		t.Fatalf("malformed: %v", err)
	}
	w.fake.Fail(path, 1, apifake.Fault{Status: 200, Body: `{"message": "ok"}`})
	if _, err := w.src.Search(t.Context(), r); !errors.Is(err, webapi.ErrMalformed) {
		t.Fatalf("no hits: %v", err)
	}
	w.fake.Fail(path, 1, apifake.Fault{Status: 400, Body: `{"message": "invalid numericFilters", "status": 400}`})
	if _, err := w.src.Search(t.Context(), r); err == nil || apperr.Classify(err).Code != apperr.CodeInternal {
		t.Fatalf("400: %v", err)
	}
	if _, err := w.src.Search(t.Context(), listening.Request{Terms: []string{"acme"}, Cursor: "{broken"}); err == nil {
		t.Fatal("a damaged cursor was accepted")
	}
}

func TestOpenFromStoredSettings(t *testing.T) {
	w := setup(t)
	w.comments("acme", t0, time.Second, 2)
	src, err := hn.Open(listening.Setup{Name: "hn", Settings: []byte(`{"baseUrl": "` + w.fake.URL + `"}`), HTTP: w.fake.Client()})
	if err != nil || src.Name() != listening.SourceHN {
		t.Fatal(err)
	}
	if got, _, _, _ := apifake.Drain(t, src, listening.Request{Terms: []string{"acme"}}); len(got) != 2 {
		t.Fatalf("got %d", len(got))
	}
	if _, err := hn.Open(listening.Setup{Name: "hn", Settings: []byte(`{"base": "x"}`), HTTP: nil}); err == nil {
		t.Fatal("a misspelt setting was accepted")
	}
}

func TestHourlyLimit(t *testing.T) {
	w := setup(t)
	now := t0
	w.fake.Now = func() time.Time { return now }
	w.fake.Limit = 2
	w.comments("acme", t0, time.Second, 1)
	r := listening.Request{Terms: []string{"acme"}}
	for range 2 {
		if _, err := w.src.Search(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	now = t0.Add(20 * time.Minute)
	_, err := w.src.Search(t.Context(), r)
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 40*time.Minute {
		t.Fatalf("err %v, want the rest of the hour", err)
	}
	now = t0.Add(time.Hour)
	if _, err := w.src.Search(t.Context(), r); err != nil {
		t.Fatalf("next hour: %v", err)
	}
}
