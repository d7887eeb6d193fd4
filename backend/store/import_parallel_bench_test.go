package store

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/benchdata"
)

// BenchmarkImportAccountsAtOnce imports the same data set as BenchmarkImport,
// with the same batches of 5,000 items, but with several accounts saving at
// once (STORMDESK_BENCH_IMPORT_WORKERS, default 2), each account's batches in
// their order on one worker: what a team server does when it syncs several
// accounts, or several imports run. On PostgreSQL one SaveItems runs on one
// server backend, so this is the figure that can use more than one core
// there; saves of one account take turns (its advisory lock), so the work is
// split by account, never within one.
func BenchmarkImportAccountsAtOnce(b *testing.B) {
	workers := 2
	if v := os.Getenv("STORMDESK_BENCH_IMPORT_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("STORMDESK_BENCH_IMPORT_WORKERS=%q: want a positive number", v)
		}
		workers = n
	}
	b.ReportMetric(float64(workers), "workers")
	benchImport(b, func(ctx context.Context, s *Store, d *benchdata.Data) { importAtOnce(ctx, b, s, d, 5000, workers) })
}

// importAtOnce is importAll with the accounts spread over workers.
func importAtOnce(ctx context.Context, tb testing.TB, s *Store, d *benchdata.Data, batchSize, workers int) {
	queues := make([]chan func() error, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range queues {
		queues[i] = make(chan func() error, 64)
		wg.Add(1)
		go func(q chan func() error) {
			defer wg.Done()
			for save := range q {
				if err := save(); err != nil {
					errs <- err
					for range q { // drain, so the producer does not block
					}
					return
				}
			}
		}(queues[i])
	}
	worker := map[int64]int{}
	_, err := d.Import(ctx, s, func(ctx context.Context, id int64, items []inbox.Item) error {
		w, ok := worker[id]
		if !ok {
			w = len(worker) % workers
			worker[id] = w
		}
		queues[w] <- func() error { _, err := s.SaveItems(ctx, id, items); return err }
		return nil
	}, batchSize)
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	close(errs)
	if err != nil {
		tb.Fatal(err)
	}
	for err := range errs {
		tb.Fatal(err)
	}
}
