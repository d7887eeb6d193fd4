package store

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkAuthorProfile measures the author panel's query (history, totals,
// record) for random authors of the shared 1M-message database, and for the
// author with the most conversations.
func BenchmarkAuthorProfile(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	// Random existing authors: PostgreSQL's identity skips the values its
	// upserts drew for authors already stored, so ids have gaps there
	// (SQLite's are 1..n, where this picks as 1 + rand(n) did).
	var ids []int64
	rows, err := s.db.Query(`SELECT id FROM authors ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var busiest int64
	s.db.QueryRow(`SELECT author_id FROM conversations WHERE author_id IS NOT NULL
		GROUP BY author_id ORDER BY count(*) DESC LIMIT 1`).Scan(&busiest)
	r := rand.New(rand.NewPCG(9, 9))
	var lat latencies
	b.ResetTimer()
	for range b.N {
		for i := range 2000 {
			id := ids[r.Int64N(int64(len(ids)))]
			if i%100 == 0 {
				id = busiest
			}
			var err error
			lat.time(func() { _, err = s.AuthorProfile(ctx, id, DefaultHistoryLimit) })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	lat.report(b)
}
