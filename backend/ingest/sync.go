package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// SyncStore is what a sync needs from persistence beyond the Store interface.
type SyncStore interface {
	Store
	SyncStateOf(ctx context.Context, accountID int64) (store.SyncState, error)
	SaveBatch(ctx context.Context, accountID int64, items []inbox.Item, st store.SyncState) (store.SaveResult, error)
	SetSyncError(ctx context.Context, accountID int64, msg string) error
	AccountByName(ctx context.Context, name string) (inbox.Account, error)
	ThreadKeysOf(ctx context.Context, accountID int64, externalIDs []string) (map[string]string, error)
	ThreadKeyBySubject(ctx context.Context, accountID int64, subject, authorExternalID string, since time.Time) (string, bool, error)
}

// Progress reports a running sync after each stored batch.
type Progress struct {
	Account string `json:"account"`
	Fetched int    `json:"fetched"` // items received in this run
	Stored  int    `json:"stored"`  // new messages stored in this run
	More    bool   `json:"more"`    // the connector has more right away
	Total   int    `json:"total"`   // fetched + what the connector says remains; 0 when unknown
}

// Sync fetches everything new from conn for account a and stores it batch by
// batch, each batch together with the cursor that covers it, so a crash or a
// dropped connection resumes where the last stored batch ended.
func (p *Pipeline) Sync(ctx context.Context, st SyncStore, a inbox.Account, conn channels.Connector, progress func(Progress)) (Result, error) {
	var res Result
	acc, err := st.EnsureAccount(ctx, a)
	if err != nil {
		return res, fmt.Errorf("sync %s: %w", a.Name, err)
	}
	state, err := st.SyncStateOf(ctx, acc.ID)
	if err != nil {
		return res, fmt.Errorf("sync %s: %w", a.Name, err)
	}
	cursor := state.Cursor
	fail := func(err error) (Result, error) {
		err = fmt.Errorf("sync %s: %w", a.Name, err)
		if !errors.Is(err, context.Canceled) {
			// Record the reason for the UI; the cursor stays where the last stored batch left it.
			if serr := st.SetSyncError(context.WithoutCancel(ctx), acc.ID, err.Error()); serr != nil {
				p.log.Error("record sync error", "account", a.Name, "err", serr)
			}
		}
		return res, err
	}
	// Fetching the next batch overlaps with storing this one: the network and
	// the disk are both busy instead of taking turns. Batches are still stored
	// strictly in order, each with its own cursor.
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	fetched := make(chan fetchResult, 1)
	go p.prefetch(fctx, acc, conn, cursor, fetched)
	for f := range fetched {
		if f.err != nil {
			return fail(f.err)
		}
		batch := f.batch
		res.Received += len(batch.Items)
		res.Duplicates += f.prepared.Duplicates
		res.Rejections = append(res.Rejections, f.prepared.Rejections...)
		items := f.items
		if err := p.joinThreads(ctx, st, acc.ID, items); err != nil {
			return fail(err)
		}
		saved, err := st.SaveBatch(ctx, acc.ID, items, store.SyncState{Cursor: batch.Cursor, Fetched: int64(len(batch.Items)), Skipped: int64(batch.Skipped)})
		if err != nil {
			return fail(err)
		}
		res.Inserted += saved.Inserted
		res.Duplicates += saved.Duplicates
		res.Conversations += saved.Conversations
		if progress != nil {
			pr := Progress{Account: a.Name, Fetched: res.Received, Stored: res.Inserted, More: batch.More}
			if batch.Remaining > 0 {
				pr.Total = res.Received + batch.Remaining
			}
			progress(pr)
		}
		if !batch.More {
			return res, nil
		}
	}
	// The fetcher stops only after a batch without More, an error, or cancellation.
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	return res, nil
}

type fetchResult struct {
	batch    channels.Batch
	items    []inbox.Item // normalized and scored
	prepared Result       // duplicates and rejections found while preparing
	err      error
}

// prefetch fetches and prepares (normalizes, scores) batches one ahead of the
// consumer, until one has no More, an error occurs, or ctx ends; it closes
// out when done.
func (p *Pipeline) prefetch(ctx context.Context, acc inbox.Account, conn channels.Connector, cursor string, out chan<- fetchResult) {
	defer close(out)
	for {
		batch, err := conn.Fetch(ctx, cursor)
		f := fetchResult{batch: batch, err: err}
		if err == nil {
			f.items = p.normalizeBatch(acc, batch.Items, &f.prepared)
		}
		select {
		case out <- f:
		case <-ctx.Done():
			return
		}
		if err != nil || !batch.More {
			return
		}
		cursor = batch.Cursor
	}
}

// normalizeBatch cleans items and records rejections. Duplicates within the
// batch go on to SaveBatch, which drops and counts them like any other, so
// the sync state's fetched counter (the items SaveBatch is given) counts them
// as Result.Received does; only rejected items, which cannot be stored, are
// missing from it.
func (p *Pipeline) normalizeBatch(acc inbox.Account, in []inbox.Item, res *Result) []inbox.Item {
	out := make([]inbox.Item, 0, len(in))
	for _, it := range in {
		n, err := p.prepare(acc.Channel, it)
		if err != nil {
			res.Rejections = append(res.Rejections, Rejection{Account: acc.Name, ExternalID: it.ExternalID, Reason: err.Error()})
			continue
		}
		out = append(out, n)
	}
	return out
}

// joinThreads moves items that reference stored or earlier messages (mail
// In-Reply-To/References) into the thread of what they reference, so a reply
// whose connector could not see the root still lands in the right conversation.
// A mail reply without references ("Re: …" from a client that sends none)
// joins the same author's recent thread with the same subject.
func (p *Pipeline) joinThreads(ctx context.Context, st SyncStore, accountID int64, items []inbox.Item) error {
	var refs []string
	for _, it := range items {
		refs = append(refs, it.References...)
	}
	stored, err := st.ThreadKeysOf(ctx, accountID, refs)
	if err != nil {
		return err
	}
	order := make([]int, 0, len(items))
	for i := range items {
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return items[order[a]].SentAt.Before(items[order[b]].SentAt) })
	threadOf := make(map[string]string, len(items))
	bySubject := map[string]string{} // author + base subject -> thread key, within the batch
	for _, i := range order {
		it := &items[i]
		joined := false
		if key, ok := firstKnown(threadOf, it.References); ok {
			it.ThreadKey, joined = key, true
		} else if key, ok := firstKnown(stored, it.References); ok {
			it.ThreadKey, joined = key, true
		}
		if it.Kind == inbox.KindMail && it.Subject != "" {
			base, isReply := BaseSubject(it.Subject)
			sk := it.Author.ExternalID + "\x00" + base
			if !joined && isReply && len(it.References) == 0 {
				if key, ok := bySubject[sk]; ok {
					it.ThreadKey = key
				} else if key, ok, err := st.ThreadKeyBySubject(ctx, accountID, base, it.Author.ExternalID, it.SentAt.Add(-subjectWindow)); err != nil {
					return err
				} else if ok {
					it.ThreadKey = key
				}
			}
			bySubject[sk] = it.ThreadKey // the newest thread wins, as in the store lookup
		}
		threadOf[it.ExternalID] = it.ThreadKey
	}
	return nil
}

// subjectWindow is how far back a reply without references may join a thread by subject.
const subjectWindow = 30 * 24 * time.Hour

// replyPrefixes are the reply and forward markers of common mail clients (EN, DE, RU, …).
var replyPrefixes = []string{"re", "aw", "sv", "antw", "fw", "fwd", "wg", "ответ", "отв", "пересл"}

// BaseSubject strips reply/forward prefixes ("Re: AW: Fwd: …", "Re[2]:") and
// reports whether there were any.
func BaseSubject(subject string) (string, bool) {
	s := strings.TrimSpace(subject)
	stripped := false
	for {
		i := strings.IndexAny(s, ":")
		if i <= 0 {
			break
		}
		head := strings.ToLower(strings.TrimSpace(s[:i]))
		if j := strings.IndexAny(head, "[("); j > 0 { // Re[2]: / Re(2):
			head = head[:j]
		}
		known := false
		for _, p := range replyPrefixes {
			if head == p {
				known = true
				break
			}
		}
		if !known {
			break
		}
		s = strings.TrimSpace(s[i+1:])
		stripped = true
	}
	return s, stripped
}

func firstKnown(threadOf map[string]string, ids []string) (string, bool) {
	for _, id := range ids {
		if k, ok := threadOf[id]; ok {
			return k, true
		}
	}
	return "", false
}
