package poll

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// The poller's tests use scripted sources: each answers a fixed page per
// cursor, so ordering, crashes and limits can be staged exactly. The real
// sources' clients are tested against their fake servers in their own
// packages; an end-to-end poll of a real source against its fake belongs
// with the app's wiring (see docs/listening.md).

// scripted is a listening.Source answering pages[cursor] (or err).
type scripted struct {
	name  string
	mu    sync.Mutex
	pages map[string]listening.Page
	err   error
	asked []listening.Request
	// during, if set, runs inside Search (a crash staged mid-poll).
	during func()
}

func (s *scripted) Name() string { return s.name }

func (s *scripted) Search(_ context.Context, r listening.Request) (listening.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, r)
	if s.during != nil {
		s.during()
	}
	if s.err != nil {
		return listening.Page{}, s.err
	}
	p, ok := s.pages[r.Cursor]
	if !ok {
		return listening.Page{Cursor: r.Cursor, Limits: listening.Limits{Remaining: -1}}, nil
	}
	return p, nil
}

func (s *scripted) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.asked)
}

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func post(src, id, text string) listening.Mention {
	return listening.Mention{Source: src, ExternalID: id, URL: "https://" + src + ".example/p/" + id, Author: "u" + id,
		Text: text, Published: t0.Add(-time.Hour), Replies: -1, Reactions: -1}
}

// fixture is a real SQLite store with a topic and one source per scripted client.
type fixture struct {
	st      *store.Store
	p       *Poller
	now     time.Time
	topic   store.ListeningTopic
	clients map[int64]*scripted // by source id
}

func newFixture(t *testing.T, topicQuery string, clients ...*scripted) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "listen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	model, err := sentiment.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, now: t0, clients: map[int64]*scripted{}}
	f.topic, err = st.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: topicQuery, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		// Named so that the poller, which goes by name, asks them in the order given.
		src, err := st.SaveListeningSource(ctx, store.ListeningSource{Kind: c.name, Name: fmt.Sprintf("%d %s", i, c.name), Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		f.clients[src.ID] = c
	}
	f.p = &Poller{Store: st, Model: model, Now: func() time.Time { return f.now },
		Open: func(_ context.Context, src store.ListeningSource) (listening.Source, error) {
			c, ok := f.clients[src.ID]
			if !ok {
				return nil, fmt.Errorf("no client for source %d", src.ID)
			}
			return c, nil
		}}
	return f
}

func (f *fixture) poll(t *testing.T) Round {
	t.Helper()
	r, err := f.p.PollOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) mentions(t *testing.T) []store.ListeningMention {
	t.Helper()
	p, err := f.st.ListeningMentions(context.Background(), store.ListeningFilter{TopicID: f.topic.ID, Limit: store.MaxListeningPage}, "")
	if err != nil {
		t.Fatal(err)
	}
	return p.Mentions
}

func (f *fixture) source(t *testing.T, kind string) store.ListeningSource {
	t.Helper()
	all, err := f.st.ListeningSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Kind == kind {
			return s
		}
	}
	t.Fatalf("no source of kind %s", kind)
	return store.ListeningSource{}
}

// TestPollPagesMatchesAndScores: the poller pages to the end, keeps only
// what the topic's query matches (with stemming: "delays" for delay), scores
// tonality with the shipped model, and resumes from the stored cursor.
func TestPollPagesMatchesAndScores(t *testing.T) {
	src := &scripted{name: listening.SourceMastodon, pages: map[string]listening.Page{
		"": {Mentions: []listening.Mention{
			post("mastodon", "1", "Acme delays again, terrible service, I hate waiting"),
			post("mastodon", "2", "nothing to do with the brand"),
		}, Cursor: "c1", More: true, Limits: listening.Limits{Remaining: 299}},
		"c1": {Mentions: []listening.Mention{post("mastodon", "3", "Love the new Acme app, great job!")},
			Cursor: "c2", Limits: listening.Limits{Remaining: 298}},
	}}
	f := newFixture(t, "acme AND (delay OR app) -careers", src)
	r := f.poll(t)
	if r.Pages != 2 || r.Fetched != 3 || r.Matched != 2 || r.New != 2 || r.Errors != 0 {
		t.Fatalf("round = %+v", r)
	}
	ms := f.mentions(t)
	if len(ms) != 2 {
		t.Fatalf("%d mentions stored, want 2", len(ms))
	}
	tone := map[string]inbox.Sentiment{}
	for _, m := range ms {
		tone[m.ExternalID] = m.Sentiment
		if m.Lang != "en" {
			t.Fatalf("mention %s: lang %q, want en detected", m.ExternalID, m.Lang)
		}
	}
	if tone["1"] != inbox.SentimentNegative || tone["3"] != inbox.SentimentPositive {
		t.Fatalf("tonality = %v, want 1 negative and 3 positive", tone)
	}
	if got := src.asked[0]; len(got.Terms) == 0 || got.Cursor != "" || !got.Since.Equal(t0.Add(-DefaultSince)) {
		t.Fatalf("first request = %+v", got)
	}
	if s := f.source(t, "mastodon"); s.Remaining != 298 || s.PolledAt == nil {
		t.Fatalf("source after the round = %+v", s)
	}

	// Not due again until Every has passed; then it asks from c2.
	f.now = t0.Add(time.Minute)
	if r := f.poll(t); r.Polled != 0 {
		t.Fatalf("polled again after a minute: %+v", r)
	}
	f.now = t0.Add(DefaultEvery)
	f.poll(t)
	if last := src.asked[len(src.asked)-1]; last.Cursor != "c2" {
		t.Fatalf("resumed from %q, want c2", last.Cursor)
	}
}

// TestPollCrashRefetches: when storing fails after a fetch (the app dies,
// the database goes away), the cursor has not moved: the next poll fetches
// the same page again and stores it once.
func TestPollCrashRefetches(t *testing.T) {
	src := &scripted{name: listening.SourceReddit, pages: map[string]listening.Page{
		"": {Mentions: []listening.Mention{post("reddit", "t3_1", "acme is down"), post("reddit", "t3_2", "acme works")}, Cursor: "after1"},
	}}
	f := newFixture(t, "acme", src)
	ctx, cancel := context.WithCancel(context.Background())
	src.during = cancel // the fetch succeeds, then everything stops
	if _, err := f.p.PollOnce(ctx); err == nil {
		t.Fatal("a poll whose store failed reported no error")
	}
	if c, _ := f.st.ListeningCursor(context.Background(), f.source(t, "reddit").ID, f.topic.ID); c != "" {
		t.Fatalf("cursor moved to %q without its mentions", c)
	}
	if n := len(f.mentions(t)); n != 0 {
		t.Fatalf("%d mentions stored by the failed poll", n)
	}
	src.during = nil
	r := f.poll(t)
	if r.New != 2 || len(f.mentions(t)) != 2 {
		t.Fatalf("after the crash: round %+v, %d stored; want the 2 again", r, len(f.mentions(t)))
	}
	// And fetching the same page once more (the cursor set back) stores nothing twice.
	if _, err := f.st.SaveListeningBatch(context.Background(), store.ListeningBatch{SourceID: f.source(t, "reddit").ID, TopicID: f.topic.ID, Limits: listening.Limits{Remaining: -1}}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(DefaultEvery)
	if r := f.poll(t); r.New != 0 || len(f.mentions(t)) != 2 {
		t.Fatalf("a re-poll stored %+v", r)
	}
}

// TestPollRateLimitAndErrors: a rate limit waits for its Retry-After and is
// shown coded; an auth failure is coded too; a page's NextPoll stops paging
// and holds the source until then; a success clears the error.
func TestPollRateLimitAndErrors(t *testing.T) {
	src := &scripted{name: listening.SourceBluesky, err: &channels.RateLimitError{RetryAfter: 20 * time.Minute, Message: "429"}}
	f := newFixture(t, "acme", src)
	if r := f.poll(t); r.Errors != 1 {
		t.Fatalf("round = %+v, want one failed source", r)
	}
	s := f.source(t, "bluesky")
	if s.ErrorCode != apperr.CodeRateLimited || s.NextPoll == nil || !s.NextPoll.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("source after a 429 = %+v", s)
	}
	f.now = t0.Add(10 * time.Minute)
	f.poll(t)
	if n := src.calls(); n != 1 {
		t.Fatalf("asked %d times before Retry-After passed", n)
	}

	f.now = t0.Add(21 * time.Minute)
	src.err = &channels.APIError{Platform: "bluesky", Code: 401, Message: "bad app password", Kind: channels.Auth}
	f.poll(t)
	if s := f.source(t, "bluesky"); s.ErrorCode != apperr.CodeAuthFailed || s.ErrorDetail == "" || !s.NextPoll.Equal(f.now.Add(DefaultEvery)) {
		t.Fatalf("source after an auth failure = %+v", s)
	}

	// The source says: more pages, but not before 13:00 (an exhausted quota).
	f.now = f.now.Add(DefaultEvery)
	quotaReset := f.now.Add(3 * time.Hour)
	src.err = nil
	src.pages = map[string]listening.Page{
		"":   {Mentions: []listening.Mention{post("bluesky", "b1", "acme")}, Cursor: "k1", More: true, Limits: listening.Limits{Remaining: 0, NextPoll: quotaReset}},
		"k1": {Mentions: []listening.Mention{post("bluesky", "b2", "acme")}, Cursor: "k2"},
	}
	calls := src.calls()
	if r := f.poll(t); r.Pages != 1 || r.New != 1 {
		t.Fatalf("round = %+v, want one page before the quota's reset", r)
	}
	s = f.source(t, "bluesky")
	if s.ErrorCode != "" || s.Remaining != 0 || s.NextPoll == nil || !s.NextPoll.Equal(quotaReset) {
		t.Fatalf("source after the quota ran out = %+v", s)
	}
	f.now = quotaReset.Add(-time.Minute)
	f.poll(t)
	if src.calls() != calls+1 {
		t.Fatal("asked again before the quota's reset")
	}
	f.now = quotaReset
	if r := f.poll(t); r.New != 1 || src.asked[len(src.asked)-1].Cursor != "k1" {
		t.Fatalf("after the reset: %+v from cursor %q", r, src.asked[len(src.asked)-1].Cursor)
	}
}

// TestPollSourceFilterAndBrokenOpen: a topic with source:reddit is not
// asked of other sources (a source no topic wants is not even opened); a
// source that cannot be opened (a missing secret) records its coded error
// and the others still run.
func TestPollSourceFilterAndBrokenOpen(t *testing.T) {
	reddit := &scripted{name: listening.SourceReddit}
	hn := &scripted{name: listening.SourceHN}
	f := newFixture(t, "acme source:reddit", reddit, hn)
	ctx := context.Background()
	broken, err := f.st.SaveListeningSource(ctx, store.ListeningSource{Kind: listening.SourceVK, Name: "vk", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme on VK", Query: "acme source:vk", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	open := f.p.Open
	f.p.Open = func(ctx context.Context, src store.ListeningSource) (listening.Source, error) {
		if src.ID == broken.ID {
			return nil, apperr.SecretMissing("vk", "token", errors.New("no token"))
		}
		return open(ctx, src)
	}
	r := f.poll(t)
	if reddit.calls() != 1 || hn.calls() != 0 || r.Errors != 1 {
		t.Fatalf("reddit asked %d, hn asked %d, round %+v; want reddit only and the vk failure", reddit.calls(), hn.calls(), r)
	}
	if s := f.source(t, "vk"); s.ErrorCode != apperr.CodeSecretMissing {
		t.Fatalf("vk source = %+v", s)
	}
}

// TestPollTellsOfStatusChanges: a round that only changed the sources'
// status (a failed open, a poll that found nothing) is told through OnStored,
// so Settings shows the new next poll and last error; a round with nothing
// due is not.
func TestPollTellsOfStatusChanges(t *testing.T) {
	quiet := &scripted{name: listening.SourceHN}
	f := newFixture(t, "acme", quiet)
	var heard []Round
	f.p.OnStored = func(r Round) { heard = append(heard, r) }
	open := f.p.Open
	f.p.Open = func(ctx context.Context, src store.ListeningSource) (listening.Source, error) {
		return nil, apperr.SecretMissing("hn", "token", errors.New("no token"))
	}
	f.poll(t)
	if len(heard) != 1 || heard[0].Errors != 1 {
		t.Fatalf("after a failed open heard %+v, want one round with the error", heard)
	}
	f.p.Open = open
	f.now = f.now.Add(24 * time.Hour)
	f.poll(t)
	if len(heard) != 2 || heard[1].Polled == 0 || heard[1].New != 0 {
		t.Fatalf("after a poll that found nothing heard %+v, want a second round that asked", heard)
	}
	f.poll(t) // nothing due yet
	if len(heard) != 2 {
		t.Fatalf("a round with nothing due was told: %+v", heard)
	}
}

func TestNextPoll(t *testing.T) {
	asked := t0.Add(time.Hour)
	tests := []struct {
		name  string
		src   store.ListeningSource
		every time.Duration
		want  *time.Time
	}{
		{"never polled", store.ListeningSource{}, 0, nil},
		{"the time it asked for", store.ListeningSource{PolledAt: &t0, NextPoll: &asked}, 0, &asked},
		{"last poll plus the default pace", store.ListeningSource{PolledAt: &t0}, 0, ptr(t0.Add(DefaultEvery))},
		{"last poll plus the pace", store.ListeningSource{PolledAt: &t0}, time.Minute, ptr(t0.Add(time.Minute))},
	}
	for _, tt := range tests {
		got := NextPoll(tt.src, tt.every)
		if (got == nil) != (tt.want == nil) || (got != nil && !got.Equal(*tt.want)) {
			t.Errorf("%s: NextPoll = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func ptr(t time.Time) *time.Time { return &t }

// TestPollDatesAbsurdMentionsWhenSeen: a source's missing, pre-1970, future
// or absurd date (a broken clock, a bad API answer) is not the mention's: it
// is dated when the poll saw it, as RSS entries without a date are, so the
// feed, its JSON and the day rollups stay sane; a good date is kept.
func TestPollDatesAbsurdMentionsWhenSeen(t *testing.T) {
	dated := func(id string, at time.Time) listening.Mention {
		m := post("vk", id, "Acme outage again")
		m.Published = at
		return m
	}
	good := t0.Add(-3 * time.Hour)
	src := &scripted{name: listening.SourceVK, pages: map[string]listening.Page{
		"": {Mentions: []listening.Mention{
			dated("good", good),
			dated("zero", time.Time{}),
			dated("year1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)),
			dated("1965", time.Date(1965, 3, 1, 10, 0, 0, 0, time.UTC)),
			dated("epoch", time.Unix(0, 0)),
			dated("future", t0.Add(72*time.Hour)),
			dated("far", time.Unix(1<<40, 0)),
		}, Cursor: "c1", Limits: listening.Limits{Remaining: -1}},
	}}
	f := newFixture(t, "acme", src)
	if r := f.poll(t); r.New != 7 {
		t.Fatalf("round = %+v, want 7 new", r)
	}
	ms := f.mentions(t)
	if _, err := json.Marshal(ms); err != nil {
		t.Fatalf("the feed cannot be sent to the window: %v", err)
	}
	for _, m := range ms {
		want := t0
		if m.ExternalID == "good" {
			want = good
		}
		if !m.Published.Equal(want) {
			t.Errorf("mention %s published %v, want %v", m.ExternalID, m.Published, want)
		}
	}
}

// TestPollKeepsOnlyWebLinks: a source's post or author link that is not an
// http(s) address (a hostile server's javascript: or data: link) is not kept,
// so the window and the digests never make it clickable; the mention is.
func TestPollKeepsOnlyWebLinks(t *testing.T) {
	linked := func(id, link, author string) listening.Mention {
		m := post("mastodon", id, "Acme is down")
		m.URL, m.AuthorURL = link, author
		return m
	}
	src := &scripted{name: listening.SourceMastodon, pages: map[string]listening.Page{
		"": {Mentions: []listening.Mention{
			linked("ok", "https://m.example/@a/1", " http://m.example/@a "),
			linked("js", "javascript:fetch('https://evil.example/'+document.cookie)", "JavaScript:alert(1)"),
			linked("data", "data:text/html,<script>alert(1)</script>", "vbscript:x"),
			linked("rel", "/@a/3", "//evil.example/@a"),
		}, Cursor: "c1", Limits: listening.Limits{Remaining: -1}},
	}}
	f := newFixture(t, "acme", src)
	if r := f.poll(t); r.New != 4 {
		t.Fatalf("round = %+v, want all 4 mentions kept", r)
	}
	for _, m := range f.mentions(t) {
		wantURL, wantAuthor := "", ""
		if m.ExternalID == "ok" {
			wantURL, wantAuthor = "https://m.example/@a/1", "http://m.example/@a"
		}
		if m.URL != wantURL || m.AuthorURL != wantAuthor {
			t.Errorf("mention %s: links %q, %q; want %q, %q", m.ExternalID, m.URL, m.AuthorURL, wantURL, wantAuthor)
		}
	}
}
