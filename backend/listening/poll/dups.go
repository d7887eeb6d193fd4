package poll

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// The near-duplicate index (listening.Index) remembers the last dupLimit
// mentions, so a post repeated on another platform (a cross-post, a feed
// entry and the post it announces) is stored as another source of the first
// instead of a second mention. It is seeded once from the store's mentions of
// the last dupWindow, then fed with what the poller stores. The same link is
// also found by the store, however old the first mention.

// seedDups fills the index from the store on first use.
func (p *Poller) seedDups(ctx context.Context) error {
	if p.dups != nil {
		return nil
	}
	recent, err := p.Store.RecentListeningMentions(ctx, p.now().Add(-dupWindow), dupLimit)
	if err != nil {
		return err
	}
	x := listening.NewIndex[int64](dupLimit)
	for i := len(recent) - 1; i >= 0; i-- {
		m := recent[i]
		x.Add(m.ID, listening.Mention{Source: m.Source, ExternalID: m.ExternalID, URL: m.URL, Title: m.Title, Text: m.Text})
	}
	p.dups = x
	return nil
}

// remember adds what a batch stored (ids in the batch's order) to the index.
func (p *Poller) remember(ms []store.ScoredMention, ids []int64) {
	for i, m := range ms {
		if m.SameAs != 0 || i >= len(ids) {
			continue // the index knows the mention it repeats
		}
		p.dups.Add(ids[i], m.Mention)
	}
}
