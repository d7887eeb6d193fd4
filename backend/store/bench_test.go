package store

// Benchmarks for the acceptance targets. Run them with
//
//	go test -tags sqlite_fts5 -run '^$' -bench . -benchtime=1x -count 3 ./backend/store/
//
// on SQLite, and with STORMDESK_TEST_ENGINE=postgres on PostgreSQL (a
// throwaway cluster, see backend/testutil/pgtest): the same data, the same
// calls. The dataset comes from backend/testutil/benchdata.
//
// The synthetic dataset (STORMDESK_BENCH_MESSAGES messages, default 1,000,000,
// about 5 per conversation) is generated once per process; the query
// benchmarks share one imported copy of it. Latency benchmarks time every call
// and report p50-ms and p99-ms over all calls.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/benchdata"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	benchFixture.cleanup()
	os.Exit(code)
}

// benchFixture holds the generated dataset and the shared query database.
var benchFixture fixture

type fixture struct {
	genOnce sync.Once
	data    *benchdata.Data

	dbOnce sync.Once
	dir    string
	store  *Store
	err    error
}

func (f *fixture) cleanup() {
	if f.store != nil {
		f.store.Close()
	}
	if f.dir != "" {
		os.RemoveAll(f.dir)
	}
}

func (f *fixture) dataset(tb testing.TB) *benchdata.Data {
	if testOnPostgres() {
		pgtest.Require(tb) // skip before generating a dataset that cannot be stored
	}
	f.genOnce.Do(func() { f.data = benchdata.Generate(benchdata.Messages(tb)) })
	return f.data
}

// importAll creates the accounts and imports every batch.
func importAll(ctx context.Context, tb testing.TB, s *Store, d *benchdata.Data, batchSize int) []inbox.Account {
	accts, err := d.Import(ctx, s, func(ctx context.Context, id int64, items []inbox.Item) error {
		_, err := s.SaveItems(ctx, id, items)
		return err
	}, batchSize)
	if err != nil {
		tb.Fatal(err)
	}
	return accts
}

// populate imports the dataset into s and gives its conversations realistic
// statuses and assignees through the public API.
func populate(ctx context.Context, tb testing.TB, s *Store, d *benchdata.Data) {
	start := time.Now()
	importAll(ctx, tb, s, d, 5000)
	imported := time.Since(start)
	convs, err := benchdata.Triage(ctx, s, s.db)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "query dataset: %d messages, %d conversations, imported in %v (%.0f msg/s)\n",
		d.Messages, convs, imported.Round(time.Millisecond), float64(d.Messages)/imported.Seconds())
}

// queryStore returns the shared, imported database. On PostgreSQL it is a
// copy of a template database made once per run (benchdata.Postgres), which
// later runs restore from a cached dump instead of importing again.
func (f *fixture) queryStore(b *testing.B) *Store {
	d := f.dataset(b)
	f.dbOnce.Do(func() {
		ctx := context.Background()
		if testOnPostgres() {
			key := fmt.Sprintf("bench-store-%d-v%d", d.Messages, len(postgresMigrations()))
			dsn := benchdata.Postgres(b, key, func(dsn string) error {
				s, err := Open(ctx, dsn)
				if err != nil {
					return err
				}
				populate(ctx, b, s, d)
				return s.Close()
			})
			f.store, f.err = Open(ctx, dsn)
			return
		}
		if f.dir, f.err = os.MkdirTemp("", "stormdesk-bench-"); f.err != nil {
			return
		}
		path := filepath.Join(f.dir, "bench.db")
		if f.store, f.err = Open(ctx, path); f.err != nil {
			return
		}
		populate(ctx, b, f.store, d)
		fi, _ := os.Stat(path)
		fmt.Fprintf(os.Stderr, "query database: %d MB\n", fi.Size()>>20)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	if f.store == nil {
		b.Fatal("the query store could not be made (see the first benchmark's failure)")
	}
	return f.store
}

// latencies records per-call durations and reports their percentiles.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	start := time.Now()
	fn()
	*l = append(*l, time.Since(start))
}

func (l latencies) report(b *testing.B) { l.reportAs(b, "") }

// reportAs reports the percentiles with prefix before their units.
func (l latencies) reportAs(b *testing.B, prefix string) {
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return float64(s[max(i, 0)].Nanoseconds()) / 1e6
	}
	b.ReportMetric(pct(0.50), prefix+"p50-ms")
	b.ReportMetric(pct(0.99), prefix+"p99-ms")
	if prefix == "" {
		b.ReportMetric(float64(len(s)), "calls")
	}
}

// BenchmarkImport measures a full import into a fresh database: SaveItems in
// batches of 5,000 items of one account, FTS indexing and the final WAL
// checkpoint (Close) included.
func BenchmarkImport(b *testing.B) {
	benchImport(b, func(ctx context.Context, s *Store, d *benchdata.Data) { importAll(ctx, b, s, d, 5000) })
}

// benchImport times run, an import of the data set into a fresh store, b.N
// times, and reports messages per second and the CPU seconds per million
// messages of this process and, on PostgreSQL, of the server's.
func benchImport(b *testing.B, run func(context.Context, *Store, *benchdata.Data)) {
	d := benchFixture.dataset(b)
	ctx := context.Background()
	var total, cpu, srv time.Duration
	for range b.N {
		b.StopTimer()
		s, err := Open(ctx, testDSN(b))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu0, srv0 := time.Now(), processCPU(b), serverCPU(b, s)
		run(ctx, s, d)
		srv += serverCPU(b, s) - srv0
		if err := s.Close(); err != nil { // includes the final WAL checkpoint
			b.Fatal(err)
		}
		total += time.Since(start)
		cpu += processCPU(b) - cpu0
	}
	b.ReportMetric(float64(d.Messages*b.N)/total.Seconds(), "msg/s")
	b.ReportMetric(float64(d.Messages), "messages")
	if cpu > 0 {
		// CPU seconds of the whole process (SQLite, stemming, GC) per
		// million messages: on a machine shared with other work the wall
		// clock also counts the wait for a core, this does not.
		b.ReportMetric(cpu.Seconds()*1e6/float64(d.Messages*b.N), "cpu-s/1M")
	}
	if srv > 0 {
		// PostgreSQL's processes: the inserts run there, not in this process.
		b.ReportMetric(srv.Seconds()*1e6/float64(d.Messages*b.N), "srv-cpu-s/1M")
	}
}

// processCPU is the CPU time the process has used so far, where the platform
// tells it (search_cpu_bench_test.go), else 0.
var processCPU = func(testing.TB) time.Duration { return 0 }

// serverCPU is the CPU time the database server's processes have used so far,
// where the platform tells it (server_cpu_bench_test.go), else 0.
var serverCPU = func(testing.TB, *Store) time.Duration { return 0 }

// BenchmarkInboxPage measures inbox pages of 50 for each order and filter
// combination, starting from the first page and from cursors at random depths.
func BenchmarkInboxPage(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	accts, err := s.Accounts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	acct := func(name string) int64 {
		for _, a := range accts {
			if a.Name == name {
				return a.ID
			}
		}
		b.Fatalf("no account %s", name)
		return 0
	}
	ann, bob, none := "ann", "bob", ""
	filters := []struct {
		name string
		q    InboxQuery
	}{
		{"all", InboxQuery{}},
		{"open", InboxQuery{Status: inbox.StatusOpen}},
		{"closed", InboxQuery{Status: inbox.StatusClosed}},
		{"channel", InboxQuery{Channel: inbox.ChannelTelegram}},
		{"account", InboxQuery{AccountID: acct("vk-page")}},
		{"tag", InboxQuery{Tag: "refund"}},
		{"sentiment", InboxQuery{Sentiment: inbox.SentimentNegative}},
		{"unassigned", InboxQuery{Assignee: &none}},
		{"assignee", InboxQuery{Assignee: &ann}},
		{"open+channel", InboxQuery{Status: inbox.StatusOpen, Channel: inbox.ChannelMail}},
		{"open+negative", InboxQuery{Status: inbox.StatusOpen, Sentiment: inbox.SentimentNegative}},
		{"open+tag", InboxQuery{Status: inbox.StatusOpen, Tag: "billing"}},
		{"open+unassigned+negative", InboxQuery{Status: inbox.StatusOpen, Assignee: &none, Sentiment: inbox.SentimentNegative}},
		{"channel+tag", InboxQuery{Channel: inbox.ChannelYouTube, Tag: "bug"}},
		{"closed+account+positive", InboxQuery{Status: inbox.StatusClosed, AccountID: acct("mail-press"), Sentiment: inbox.SentimentPositive}},
		{"pending+channel+tag+negative+assignee", InboxQuery{Status: inbox.StatusPending, Channel: inbox.ChannelVK, Tag: "legal", Sentiment: inbox.SentimentNegative, Assignee: &ann}},
		{"open+account+assignee+neutral", InboxQuery{Status: inbox.StatusOpen, AccountID: acct("youtube-main"), Assignee: &ann, Sentiment: inbox.SentimentNeutral}},
		{"tag+account+positive+assignee", InboxQuery{Tag: "delivery", AccountID: acct("mail-press"), Sentiment: inbox.SentimentPositive, Assignee: &bob}},
		{"unassigned+positive+channel", InboxQuery{Assignee: &none, Sentiment: inbox.SentimentPositive, Channel: inbox.ChannelMastodon}},
	}
	// Cursors at random depths: keyset positions of random conversations.
	r := rand.New(rand.NewPCG(5, 5))
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM conversations`).Scan(&maxID)
	positions := map[Order][]string{OrderNewest: {""}, OrderSLA: {""}}
	for range 199 {
		id := 1 + r.Int64N(maxID)
		var last, sla int64
		if err := s.db.QueryRow(`SELECT last_message_at, sla_key FROM conversations WHERE id = ?`, id).Scan(&last, &sla); err != nil {
			b.Fatal(err)
		}
		positions[OrderNewest] = append(positions[OrderNewest], encodeCursor(OrderNewest, cursor{last, id}))
		positions[OrderSLA] = append(positions[OrderSLA], encodeCursor(OrderSLA, cursor{sla, id}))
	}
	for _, order := range []Order{OrderNewest, OrderSLA} {
		for _, f := range filters {
			b.Run(string(order)+"/"+f.name, func(b *testing.B) {
				q := f.q
				q.Order, q.Limit = order, 50
				curs := positions[order]
				for _, c := range curs[:10] { // warm up
					q.Cursor = c
					if _, err := s.Conversations(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
				var lat latencies
				rows := 0
				b.ResetTimer()
				for range b.N {
					for rep := range 2 {
						for i, c := range curs {
							q.Cursor = c
							var p Page
							var err error
							lat.time(func() { p, err = s.Conversations(ctx, q) })
							if err != nil {
								b.Fatal(err)
							}
							if i == 0 && rep == 0 {
								rows = len(p.Items)
							}
						}
					}
				}
				b.StopTimer()
				lat.report(b)
				b.ReportMetric(float64(rows), "first-page-rows")
			})
		}
	}
}

// benchSearchTexts are the searches the benchmarks time, by name; the
// benchmark data's texts hold them (backend/testutil/benchdata). A name
// ending in "+channel" searches one channel's messages.
var benchSearchTexts = map[string]string{
	"word-en-common": "order",
	"word-en-plural": "orders",
	"word-en":        "refund",
	"word-en-rare":   "voucher",
	"word-ru":        "задержка",
	"word-ru-form":   "задержки",
	"word-de":        "Verspätung",
	"word-de-plural": "Verspätungen",
	"and-en":         "refund money",
	"and-en-3":       "flight delayed baggage",
	"and-ru":         "задержка рейса",
	"and-de":         "Lieferung Paket",
	"phrase-en":      `"still waiting"`,
	"prefix-en":      "deliv*",
	"or-en":          "refund OR compensation",
	"exclude-en":     "refund -money",
	"and-en+channel": "refund money",
}

type benchQuery struct{ name, text string }

// benchQueries returns the named searches of benchSearchTexts, in order; a
// name missing from it stops the benchmark that asked.
func benchQueries(tb testing.TB, names ...string) []benchQuery {
	tb.Helper()
	qs := make([]benchQuery, len(names))
	for i, n := range names {
		text, ok := benchSearchTexts[n]
		if !ok {
			tb.Fatalf("benchQueries: no search named %q", n)
		}
		qs[i] = benchQuery{n, text}
	}
	return qs
}

// BenchmarkSearch measures full-text searches returning up to 50 hits, from the
// newest message and from random positions (BeforeID).
func BenchmarkSearch(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM messages`).Scan(&maxID)
	queries := benchQueries(b, "word-en-common", "word-en", "word-en-rare", "word-ru", "word-de", "and-en", "and-en-3",
		"and-ru", "and-de", "phrase-en", "prefix-en", "or-en", "and-en+channel")
	r := rand.New(rand.NewPCG(6, 6))
	for _, sq := range queries {
		b.Run(sq.name, func(b *testing.B) {
			befores := []int64{0}
			for range 99 {
				befores = append(befores, maxID/10+r.Int64N(maxID-maxID/10))
			}
			for _, before := range befores[:5] {
				if _, err := s.Search(ctx, SearchQuery{Text: sq.text, BeforeID: before}); err != nil {
					b.Fatal(err)
				}
			}
			var lat latencies
			minRows := math.MaxInt
			b.ResetTimer()
			for range b.N {
				for rep := range 2 {
					for _, before := range befores {
						var hits []SearchHit
						var err error
						q := SearchQuery{Text: sq.text, BeforeID: before}
						if strings.HasSuffix(sq.name, "+channel") {
							q.Channel = inbox.ChannelMastodon
						}
						lat.time(func() { hits, err = s.Search(ctx, q) })
						if err != nil {
							b.Fatal(err)
						}
						if rep == 0 {
							minRows = min(minRows, len(hits))
						}
					}
				}
			}
			b.StopTimer()
			lat.report(b)
			b.ReportMetric(float64(minRows), "min-rows")
		})
	}
}

// BenchmarkSearchNextPage measures the next page of a search, asked as the
// UI asks it (BeforeID = the last hit of a page), after a first page from a
// random position: with the scan the first page kept for it (on PostgreSQL,
// pgSearchMemory), and afresh, without it.
func BenchmarkSearchNextPage(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM messages`).Scan(&maxID)
	queries := benchQueries(b, "and-en", "and-ru", "and-de", "phrase-en", "word-en")
	for _, sq := range queries {
		for _, afresh := range []bool{false, true} {
			name := sq.name + "/kept"
			if afresh {
				name = sq.name + "/afresh"
			}
			b.Run(name, func(b *testing.B) {
				r := rand.New(rand.NewPCG(7, 7))
				var lat latencies
				for range b.N {
					for range 100 {
						q := SearchQuery{Text: sq.text, BeforeID: maxID/10 + r.Int64N(maxID-maxID/10)}
						first, err := s.Search(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(first) < DefaultSearchLimit {
							continue
						}
						if afresh {
							s.searchMemory.reset()
						}
						q.BeforeID = first[len(first)-1].MessageID
						lat.time(func() { _, err = s.Search(ctx, q) })
						if err != nil {
							b.Fatal(err)
						}
					}
				}
				if len(lat) == 0 {
					b.Skip("no first page was full")
				}
				lat.report(b)
			})
		}
	}
}

// BenchmarkLastInbound measures LastInbound for every account: what the
// crisis monitor asks at start for each account it has no stream of.
func BenchmarkLastInbound(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	accs, err := s.Accounts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var lat latencies
	b.ResetTimer()
	for range b.N {
		for range 5 {
			for _, a := range accs {
				var ok bool
				lat.time(func() { _, ok, err = s.LastInbound(ctx, a.Name) })
				if err != nil || !ok {
					b.Fatalf("LastInbound(%s) = %v, %v", a.Name, ok, err)
				}
			}
		}
	}
	b.StopTimer()
	lat.report(b)
}

// BenchmarkThread measures loading the messages of random conversations.
func BenchmarkThread(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM conversations`).Scan(&maxID)
	r := rand.New(rand.NewPCG(8, 8))
	var lat latencies
	b.ResetTimer()
	for range b.N {
		for range 2000 {
			id := 1 + r.Int64N(maxID)
			var err error
			lat.time(func() { _, err = s.Thread(ctx, id) })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	lat.report(b)
}

// BenchmarkStats measures the overview counts over the whole database.
func BenchmarkStats(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var lat latencies
	b.ResetTimer()
	for range b.N {
		for range 20 {
			var err error
			lat.time(func() { _, err = s.Stats(ctx) })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	lat.report(b)
}
