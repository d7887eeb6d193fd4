package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"

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
	ThreadKeyOf(ctx context.Context, accountID int64, externalIDs []string) (string, bool, error)
}

// Progress reports a running sync after each stored batch.
type Progress struct {
	Account string `json:"account"`
	Fetched int    `json:"fetched"` // items received in this run
	Stored  int    `json:"stored"`  // new messages stored in this run
	More    bool   `json:"more"`    // the connector has more right away
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
	for {
		batch, err := conn.Fetch(ctx, cursor)
		if err != nil {
			return fail(err)
		}
		res.Received += len(batch.Items)
		items := p.normalizeBatch(acc, batch.Items, &res)
		if err := p.joinThreads(ctx, st, acc.ID, items); err != nil {
			return fail(err)
		}
		saved, err := st.SaveBatch(ctx, acc.ID, items, store.SyncState{Cursor: batch.Cursor, Skipped: int64(batch.Skipped)})
		if err != nil {
			return fail(err)
		}
		res.Inserted += saved.Inserted
		res.Duplicates += saved.Duplicates
		res.Conversations += saved.Conversations
		cursor = batch.Cursor
		if progress != nil {
			progress(Progress{Account: a.Name, Fetched: res.Received, Stored: res.Inserted, More: batch.More})
		}
		if !batch.More {
			return res, nil
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
	}
}

// normalizeBatch cleans items, records rejections and drops in-batch duplicates.
func (p *Pipeline) normalizeBatch(acc inbox.Account, in []inbox.Item, res *Result) []inbox.Item {
	out := make([]inbox.Item, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, it := range in {
		n, err := p.prepare(acc.Channel, it)
		if err != nil {
			res.Rejections = append(res.Rejections, Rejection{Account: acc.Name, ExternalID: it.ExternalID, Reason: err.Error()})
			continue
		}
		if seen[n.ExternalID] {
			res.Duplicates++
			continue
		}
		seen[n.ExternalID] = true
		out = append(out, n)
	}
	return out
}

// joinThreads moves items that reference stored or earlier messages (mail
// In-Reply-To/References) into the thread of what they reference, so a reply
// whose connector could not see the root still lands in the right conversation.
func (p *Pipeline) joinThreads(ctx context.Context, st SyncStore, accountID int64, items []inbox.Item) error {
	order := make([]int, 0, len(items))
	for i := range items {
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return items[order[a]].SentAt.Before(items[order[b]].SentAt) })
	threadOf := make(map[string]string, len(items))
	for _, i := range order {
		it := &items[i]
		if len(it.References) > 0 {
			if key, ok := firstKnown(threadOf, it.References); ok {
				it.ThreadKey = key
			} else if key, ok, err := st.ThreadKeyOf(ctx, accountID, it.References); err != nil {
				return err
			} else if ok {
				it.ThreadKey = key
			}
		}
		threadOf[it.ExternalID] = it.ThreadKey
	}
	return nil
}

func firstKnown(threadOf map[string]string, ids []string) (string, bool) {
	for _, id := range ids {
		if k, ok := threadOf[id]; ok {
			return k, true
		}
	}
	return "", false
}
