// Package ingest turns what connectors and importers deliver into stored
// conversations: normalize -> dedupe -> thread -> store, in batched transactions.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Store is what the pipeline needs from persistence.
type Store interface {
	EnsureAccount(ctx context.Context, a inbox.Account) (inbox.Account, error)
	SaveItems(ctx context.Context, accountID int64, items []inbox.Item) (store.SaveResult, error)
}

// DefaultBatchSize is the number of items written per transaction.
const DefaultBatchSize = 5000

// Rejection says why one delivered item was not stored.
type Rejection struct {
	Account    string `json:"account"`
	ExternalID string `json:"externalId"`
	Reason     string `json:"reason"`
}

// Result counts what a run of the pipeline did.
type Result struct {
	Received      int         `json:"received"`
	Inserted      int         `json:"inserted"`
	Duplicates    int         `json:"duplicates"`
	Conversations int         `json:"conversations"`
	Rejections    []Rejection `json:"rejections"`
}

// Scorer labels a text's sentiment (see backend/sentiment).
type Scorer interface {
	Score(text string) sentiment.Result
}

// Pipeline normalizes items and writes them in batches.
type Pipeline struct {
	store     Store
	norm      *Normalizer
	scorerMu  sync.RWMutex
	scorer    Scorer
	batchSize int
	log       *slog.Logger
}

// WithScorer makes the pipeline label inbound items that arrive without a sentiment.
func (p *Pipeline) WithScorer(s Scorer) *Pipeline {
	p.SetScorer(s)
	return p
}

// SetScorer replaces the sentiment model, e.g. after a retrain; safe while items flow.
func (p *Pipeline) SetScorer(s Scorer) {
	p.scorerMu.Lock()
	defer p.scorerMu.Unlock()
	p.scorer = s
}

// Scorer returns the sentiment model in use (nil: none).
func (p *Pipeline) Scorer() Scorer { return p.currentScorer() }

func (p *Pipeline) currentScorer() Scorer {
	p.scorerMu.RLock()
	defer p.scorerMu.RUnlock()
	return p.scorer
}

// prepare normalizes one item and scores it; the error wraps ErrRejected.
func (p *Pipeline) prepare(channel inbox.ChannelKind, it inbox.Item) (inbox.Item, error) {
	it, err := p.norm.Normalize(channel, it)
	if err != nil {
		return it, err
	}
	if sc := p.currentScorer(); sc != nil && it.Direction == inbox.DirectionIn && it.Sentiment == inbox.SentimentUnknown {
		text := it.Text
		if text == "" {
			text = it.Subject
		}
		r := sc.Score(scoringText(text))
		conf := r.Confidence
		it.Sentiment, it.SentimentScore, it.SentimentConfidence = r.Label, r.Score, &conf
	}
	return it, nil
}

// New returns a pipeline writing to st. A nil logger discards logs.
func New(st Store, log *slog.Logger) *Pipeline {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{store: st, norm: NewNormalizer(time.Now), batchSize: DefaultBatchSize, log: log}
}

// WithBatchSize sets how many items go into one transaction.
func (p *Pipeline) WithBatchSize(n int) *Pipeline {
	if n > 0 {
		p.batchSize = n
	}
	return p
}

// WithClock sets the clock that bounds and replaces untrustworthy message dates (for tests).
func (p *Pipeline) WithClock(now func() time.Time) *Pipeline {
	p.norm = NewNormalizer(now)
	return p
}

// Writer buffers items for any number of accounts and flushes each account's
// buffer when it is full. Call Close to write what is left.
type Writer struct {
	p        *Pipeline
	accounts map[string]*pending
	order    []string
	res      Result
}

type pending struct {
	account inbox.Account
	items   []inbox.Item
	seen    map[string]bool // external ids in the current batch
}

// NewWriter starts a write session.
func (p *Pipeline) NewWriter() *Writer {
	return &Writer{p: p, accounts: map[string]*pending{}}
}

// Add queues one item for account a (created on first sight, matched by name).
// A rejected item is recorded in the result, not returned as an error; errors
// are reserved for failures that stop the run (storage, cancellation).
func (w *Writer) Add(ctx context.Context, a inbox.Account, it inbox.Item) error {
	w.res.Received++
	pa, err := w.pendingFor(ctx, a)
	if err != nil {
		return err
	}
	it, err = w.p.prepare(pa.account.Channel, it)
	if err != nil {
		w.res.Rejections = append(w.res.Rejections, Rejection{Account: a.Name, ExternalID: it.ExternalID, Reason: err.Error()})
		return nil
	}
	if pa.seen[it.ExternalID] {
		w.res.Duplicates++
		return nil
	}
	pa.seen[it.ExternalID] = true
	pa.items = append(pa.items, it)
	if len(pa.items) >= w.p.batchSize {
		return w.flush(ctx, pa)
	}
	return nil
}

func (w *Writer) pendingFor(ctx context.Context, a inbox.Account) (*pending, error) {
	if pa, ok := w.accounts[a.Name]; ok {
		return pa, nil
	}
	stored, err := w.p.store.EnsureAccount(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("ingest: account %q: %w", a.Name, err)
	}
	pa := &pending{account: stored, seen: map[string]bool{}}
	w.accounts[a.Name] = pa
	w.order = append(w.order, a.Name)
	return pa, nil
}

func (w *Writer) flush(ctx context.Context, pa *pending) error {
	if len(pa.items) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r, err := w.p.store.SaveItems(ctx, pa.account.ID, pa.items)
	if err != nil {
		return fmt.Errorf("ingest: save %d items for %q: %w", len(pa.items), pa.account.Name, err)
	}
	w.res.Inserted += r.Inserted
	w.res.Duplicates += r.Duplicates
	w.res.Conversations += r.Conversations
	w.p.log.Debug("ingest batch", "account", pa.account.Name, "inserted", r.Inserted, "duplicates", r.Duplicates)
	pa.items = pa.items[:0]
	clear(pa.seen)
	return nil
}

// Close writes every buffered item and returns the totals. After an error,
// items of earlier batches stay stored; a re-run stores only what is missing.
func (w *Writer) Close(ctx context.Context) (Result, error) {
	var errs []error
	for _, name := range w.order {
		if err := w.flush(ctx, w.accounts[name]); err != nil {
			errs = append(errs, err)
		}
	}
	return w.res, errors.Join(errs...)
}

// Result returns the totals so far (for progress reports).
func (w *Writer) Result() Result { return w.res }

// Ingest stores items for one account and returns the totals.
func (p *Pipeline) Ingest(ctx context.Context, a inbox.Account, items []inbox.Item) (Result, error) {
	w := p.NewWriter()
	for _, it := range items {
		if err := w.Add(ctx, a, it); err != nil {
			return w.Result(), err
		}
	}
	return w.Close(ctx)
}

// maxScoredBytes bounds the text the sentiment model reads. The model is
// trained on tweet-length messages, the opening of a long mail carries its
// tone, and its character n-grams cost time linear in the length: scoring
// whole mail bodies made scoring, not the network, the cost of a mail sync.
const maxScoredBytes = 600

func scoringText(s string) string {
	if len(s) <= maxScoredBytes {
		return s
	}
	s = channels.TruncateUTF8(s, maxScoredBytes)
	if i := strings.LastIndexAny(s, " \n\t"); i > maxScoredBytes/2 {
		s = s[:i] // do not score half a word
	}
	return s
}
