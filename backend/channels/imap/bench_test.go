package imap

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// BenchmarkInitialSyncIntoStore syncs the whole SpamAssassin corpus (6,046
// real messages) from a local Dovecot into a fresh store through ingest and
// reports messages per second.
func BenchmarkInitialSyncIntoStore(b *testing.B) {
	s, raws := corpusServer(b, 0)
	ctx := context.Background()
	acct := inbox.Account{Channel: inbox.ChannelMail, Name: "bench", Brand: "Acme", Handle: s.User}
	if !testing.Short() {
		// A live server has its index built; the first SELECT of a fresh maildir
		// builds dovecot's index and cache, which is not the client's cost.
		syncAll(b, connector(b, s, nil), "", nil)
	}
	model, err := sentiment.Default() // the app scores every inbound message at ingest
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("b%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		c := connector(b, s, nil)
		b.StartTimer()
		// The app's own path: ingest.Sync stores each batch with its cursor
		// while the next one is being fetched.
		res, err := ingest.New(st, nil).WithScorer(model).Sync(ctx, st, acct, c, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := res.Received
		b.StopTimer()
		if n != len(raws) {
			b.Fatalf("synced %d of %d", n, len(raws))
		}
		c.Close()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "msg/s")
}
