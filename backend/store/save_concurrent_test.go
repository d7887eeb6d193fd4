package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestSaveItemsAccountsAtOnceShareAuthors saves batches of two accounts of
// one channel at the same time, with the same authors met in opposite
// orders. An author is one row for the channel, so on PostgreSQL both
// transactions upsert (and lock) the same author rows: in the order the
// batch met them, one took x then waited for y while the other held y and
// waited for x, and PostgreSQL aborted one with a deadlock. The team server
// syncs accounts in parallel, so this happens whenever two accounts of a
// channel hear from the same people. Every batch must be stored.
func TestSaveItemsAccountsAtOnceShareAuthors(t *testing.T) {
	s := openTest(t)
	accts := []inbox.Account{
		mustAccount(t, s, "acme-tg", inbox.ChannelTelegram),
		mustAccount(t, s, "acme-tg-support", inbox.ChannelTelegram),
	}
	const authors, rounds = 60, 8
	batch := func(acct, round int) []inbox.Item {
		items := make([]inbox.Item, authors)
		for i := range items {
			a := i
			if acct == 1 {
				a = authors - 1 - i // the other account meets them in reverse
			}
			th := fmt.Sprintf("th-%d-%d", round, a)
			items[i] = item(fmt.Sprintf("m-%d-%d", round, a), th, inbox.DirectionIn, round*authors+i, "hello")
			items[i].Author = inbox.Author{ExternalID: fmt.Sprintf("person-%d", a), Handle: fmt.Sprintf("@p%d", a)}
		}
		return items
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(accts)*rounds)
	for k, a := range accts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				if _, err := s.SaveItems(context.Background(), a.ID, batch(k, r)); err != nil {
					errs <- fmt.Errorf("account %s round %d: %w", a.Name, r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(accts) * rounds * authors); st.Messages != want {
		t.Fatalf("%d messages stored; want %d", st.Messages, want)
	}
}
