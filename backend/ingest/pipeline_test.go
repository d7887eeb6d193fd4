package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestPipelineBatchesAndDedupes writes more items than one batch across two
// accounts, with duplicates inside and across batches and a few rejects, then
// writes everything again: the second run must store nothing.
func TestPipelineBatchesAndDedupes(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := New(st, nil).WithBatchSize(7).WithClock(func() time.Time { return testNow })
	acme := inbox.Account{Channel: inbox.ChannelImport, Name: "acme", Brand: "Acme"}
	beta := inbox.Account{Channel: inbox.ChannelVK, Name: "beta", Brand: "Beta"}

	run := func() Result {
		w := p.NewWriter()
		for i := range 40 {
			a := acme
			if i%3 == 0 {
				a = beta
			}
			it := inbox.Item{ExternalID: fmt.Sprint(i % 30), ThreadKey: fmt.Sprint("t", i%10), Text: fmt.Sprint("message ", i), SentAt: testNow.Add(-time.Duration(i) * time.Minute)}
			if i == 5 || i == 6 {
				it.ExternalID = " " // rejected: no id (a missing time is repaired, not rejected)
			}
			if err := w.Add(ctx, a, it); err != nil {
				t.Fatal(err)
			}
		}
		res, err := w.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	first := run()
	if first.Received != 40 || len(first.Rejections) != 2 {
		t.Fatalf("first run: %+v", first)
	}
	if first.Inserted+first.Duplicates != 38 {
		t.Fatalf("first run inserted %d + duplicates %d, want 38 in all", first.Inserted, first.Duplicates)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Messages != int64(first.Inserted) {
		t.Fatalf("store has %d messages, pipeline says %d inserted", stats.Messages, first.Inserted)
	}
	for _, r := range first.Rejections {
		if !strings.Contains(r.Reason, "no external id") {
			t.Errorf("rejection reason %q", r.Reason)
		}
	}

	second := run()
	if second.Inserted != 0 || second.Conversations != 0 || second.Duplicates != 38 {
		t.Fatalf("second run changed the store: %+v", second)
	}
	again, _ := st.Stats(ctx)
	if again.Messages != stats.Messages || again.Conversations != stats.Conversations {
		t.Fatalf("stats changed: %+v -> %+v", stats, again)
	}
}

func TestPipelineCancelled(t *testing.T) {
	st := openStore(t)
	p := New(st, nil).WithBatchSize(2).WithClock(func() time.Time { return testNow })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Ingest(ctx, inbox.Account{Channel: inbox.ChannelImport, Name: "a"}, []inbox.Item{item("1", "a"), item("2", "b")})
	if err == nil {
		t.Fatal("want an error from a cancelled context")
	}
}
