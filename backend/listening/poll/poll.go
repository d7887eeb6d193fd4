// Package poll asks every configured listening source for every enabled
// topic, keeps what the topic's query matches, scores its tonality and stores
// it with the source's cursor, so a crash fetches a page again and never
// loses one. It is the app side of backend/listening: the sources only fetch.
package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/query"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Defaults of a Poller's zero fields.
const (
	DefaultEvery    = 5 * time.Minute
	DefaultMaxPages = 10
	DefaultSince    = 7 * 24 * time.Hour
	// dupWindow is how far back the near-duplicate index is seeded from the
	// store: reposts across platforms follow within hours.
	dupWindow = 48 * time.Hour
	// dupLimit is how many recent mentions the index remembers.
	dupLimit = 5000
)

// Opener builds the client of a configured source (reading its secret where
// the app keeps secrets); an error is recorded as the source's last error.
type Opener func(ctx context.Context, src store.ListeningSource) (listening.Source, error)

// Scorer scores a text's tonality (a *sentiment.Model).
type Scorer interface {
	Score(text string) sentiment.Result
}

// Poller polls the configured sources. Its zero durations take the defaults.
type Poller struct {
	Store *store.Store
	Open  Opener
	// Model scores tonality; nil stores mentions unscored.
	Model *sentiment.Model
	// CurrentModel, when set, is asked for the model at every page instead
	// of Model, so one imported or retrained while the app runs (Settings,
	// or `stormdesk sentiment import` in another process) scores from the
	// next page on.
	CurrentModel func(ctx context.Context) Scorer
	Log          *slog.Logger
	// Every is the pace of a source that asks for none (no NextPoll), and the
	// wait after an error that says nothing about when to retry.
	Every time.Duration
	// MaxPages bounds the pages taken from one source for one topic in one
	// round; the rest comes next round, from the stored cursor.
	MaxPages int
	// Since bounds a topic's first poll on a source: nothing older is asked for.
	Since time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// OnStored, if set, hears of each round that asked a source (its status in
	// Settings changed: next poll, quota, last error) or stored or deleted mentions.
	OnStored func(Round)

	// mu makes rounds one at a time: the index below is not safe for
	// concurrent use.
	mu   sync.Mutex
	dups *listening.Index[int64]
}

// Round is what one PollOnce did.
type Round struct {
	Polled  int // source × topic pairs asked
	Pages   int
	Fetched int // mentions the sources returned
	Matched int // of those, what the topics' queries kept
	New     int
	Merged  int
	Deleted int
	Errors  int // sources whose poll failed (recorded on the source)
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Run polls until ctx ends, one round every second or so of due work: a
// source is asked when its NextPoll has come, or Every after its last poll.
func (p *Poller) Run(ctx context.Context) error {
	tick := min(orDefault(p.Every, DefaultEvery), 30*time.Second)
	for {
		if _, err := p.PollOnce(ctx); err != nil && ctx.Err() == nil {
			p.log().Warn("listening poll", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(tick):
		}
	}
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// topic is an enabled topic with its parsed query.
type topic struct {
	store.ListeningTopic
	q *query.Query
}

// PollOnce asks each due, enabled source for each enabled topic. A topic
// whose query no longer parses is skipped (SaveTopic refuses such queries;
// one can only come from an older version). On the team server each source
// is polled by one instance at a time (an advisory lock per source).
func (p *Poller) PollOnce(ctx context.Context) (Round, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var r Round
	sources, err := p.Store.ListeningSources(ctx)
	if err != nil {
		return r, err
	}
	all, err := p.Store.ListeningTopics(ctx)
	if err != nil {
		return r, err
	}
	var topics []topic
	for _, t := range all {
		if !t.Enabled {
			continue
		}
		q, err := query.Parse(t.Query)
		if err != nil {
			p.log().Warn("listening topic skipped: its query does not parse", "topic", t.Name, "err", err)
			continue
		}
		topics = append(topics, topic{t, q})
	}
	if len(topics) == 0 {
		return r, nil
	}
	now := p.now()
	for _, src := range sources {
		if !src.Enabled || !p.due(src, now) {
			continue
		}
		if err := p.pollSource(ctx, src, topics, &r); err != nil {
			return r, err
		}
	}
	if p.OnStored != nil && r.Polled+r.Errors+r.New+r.Merged+r.Deleted > 0 {
		p.OnStored(r)
	}
	return r, nil
}

// due reports whether src should be asked now.
func (p *Poller) due(src store.ListeningSource, now time.Time) bool {
	next := NextPoll(src, p.Every)
	return next == nil || !now.Before(*next)
}

// NextPoll is when a poller with the given pace (0: DefaultEvery) asks src
// next: the time the source asked for, else its last poll plus the pace;
// nil for a source never polled (it is asked on the next round). Settings
// shows it, so a working source has a time there too.
func NextPoll(src store.ListeningSource, every time.Duration) *time.Time {
	if src.NextPoll != nil {
		return src.NextPoll
	}
	if src.PolledAt == nil {
		return nil
	}
	next := src.PolledAt.Add(orDefault(every, DefaultEvery))
	return &next
}

// pollSource polls one source for every topic that wants it. Its own
// failures are recorded on the source; only the store's are returned.
func (p *Poller) pollSource(ctx context.Context, src store.ListeningSource, topics []topic, r *Round) error {
	var wanted []topic
	for _, t := range topics {
		if s := t.q.Sources(); len(s) == 0 || slices.Contains(s, src.Kind) {
			wanted = append(wanted, t)
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	lock, ok, err := p.Store.TryLockLoop(ctx, "listening source "+strconv.FormatInt(src.ID, 10))
	if err != nil || !ok {
		return err // another instance polls it
	}
	defer lock.Release()
	client, err := p.Open(ctx, src)
	if err != nil {
		r.Errors++
		return p.fail(ctx, src, err)
	}
	for _, t := range wanted {
		r.Polled++
		if err := p.pollTopic(ctx, src, client, t, r); err != nil {
			var failed *sourceError
			if errors.As(err, &failed) {
				r.Errors++
				return p.fail(ctx, src, failed.err)
			}
			return err
		}
	}
	return nil
}

// sourceError is a failure of the source (not of the store).
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }

// pollTopic pages through what the source has for the topic since its
// cursor, storing each page with its cursor.
func (p *Poller) pollTopic(ctx context.Context, src store.ListeningSource, client listening.Source, t topic, r *Round) error {
	cur, err := p.Store.ListeningCursor(ctx, src.ID, t.ID)
	if err != nil {
		return err
	}
	maxPages := p.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	since := p.now().Add(-orDefault(p.Since, DefaultSince))
	for range maxPages {
		page, err := client.Search(ctx, listening.Request{Terms: t.q.Terms(), Langs: t.q.Langs(), Cursor: cur, Since: since})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &sourceError{fmt.Errorf("listening %s (%s) for topic %q: %w", src.Name, src.Kind, t.Name, err)}
		}
		r.Pages++
		r.Fetched += len(page.Mentions)
		batch, err := p.batch(ctx, src, t, page)
		if err != nil {
			return err
		}
		r.Matched += len(batch.Mentions)
		res, err := p.Store.SaveListeningBatch(ctx, batch)
		if err != nil {
			return err
		}
		p.remember(batch.Mentions, res.IDs)
		r.New, r.Merged, r.Deleted = r.New+res.New, r.Merged+res.Merged, r.Deleted+res.Deleted
		cur = page.Cursor
		if !page.More || page.Limits.NextPoll.After(p.now()) {
			return nil
		}
	}
	return nil
}

// batch turns a page into what the store keeps: the topic's matches, scored,
// each with its link key and the stored mention it nearly duplicates.
func (p *Poller) batch(ctx context.Context, src store.ListeningSource, t topic, page listening.Page) (store.ListeningBatch, error) {
	b := store.ListeningBatch{SourceID: src.ID, TopicID: t.ID, PolledAt: p.now(), Cursor: page.Cursor, Limits: page.Limits,
		Deleted: page.Deleted, DeletedSource: src.Kind}
	if err := p.seedDups(ctx); err != nil {
		return b, err
	}
	var model Scorer
	if p.CurrentModel != nil {
		model = p.CurrentModel(ctx)
	} else if p.Model != nil {
		model = p.Model
	}
	for _, m := range page.Mentions {
		if m.Source == "" {
			m.Source = src.Kind
		}
		if !t.q.Match(query.Doc{Text: m.Text, Title: m.Title, Lang: m.Lang, Source: m.Source}) {
			continue
		}
		// The links are shown as links in the window and in digests: only a
		// web address is one (a hostile server's "javascript:" is not).
		m.URL, m.AuthorURL = webLink(m.URL), webLink(m.AuthorURL)
		if !inbox.PlausibleDate(m.Published, b.PolledAt) {
			// A missing date, one at or before 1970 or more than a day ahead is a
			// broken clock or a bad API answer, not the post's: dated when the
			// poll saw it, as an RSS entry without a date is, it neither tops
			// the feed for years nor falls out of every rollup.
			m.Published = b.PolledAt
		}
		sm := store.ScoredMention{Mention: m, LinkKey: listening.DedupeKey(m)}
		if model != nil {
			text := m.Text
			if m.Title != "" {
				text = m.Title + "\n" + m.Text
			}
			res := model.Score(text)
			sm.Sentiment, sm.Score = res.Label, res.Score
			if sm.Lang == "" {
				sm.Lang = res.Lang
			}
		}
		if id, ok := p.dups.Find(m); ok {
			sm.SameAs = id
		}
		b.Mentions = append(b.Mentions, sm)
	}
	return b, nil
}

// webLink is s when it is an absolute http or https address, else "".
func webLink(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !listening.WebAddress(u) {
		return ""
	}
	return strings.TrimSpace(s)
}

// fail records a source's failure, coded for the window, and when to try
// again: the platform's Retry-After, else Every.
func (p *Poller) fail(ctx context.Context, src store.ListeningSource, err error) error {
	now := p.now()
	next := now.Add(orDefault(p.Every, DefaultEvery))
	var rl *channels.RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		next = now.Add(rl.RetryAfter)
	}
	coded := apperr.Classify(err)
	p.log().Warn("listening source failed", "source", src.Name, "kind", src.Kind, "code", coded.Code, "err", err, "next_poll", next)
	return p.Store.SetListeningSourceError(ctx, src.ID, store.ListeningError{Code: coded.Code, Params: coded.Params, Detail: err.Error()}, now, next)
}
