package main

// BenchmarkTeamDesktops is the team server's load test (issue 16): the real
// App on a PostgreSQL store of the store benchmarks' dataset (1M messages by
// default, backend/testutil/benchdata), served through the web bridge over
// loopback HTTP, while a goroutine ingests new messages through the
// workspace's ingest pipeline and simulated desktops page the inbox, open
// threads and search the way the UI calls the bound services
// (frontend/src/lib/api/inbox.ts, stores.svelte.ts). Run it with
//
//	go test -tags "sqlite_fts5 webkit2_41" -run '^$' -bench TeamDesktops -benchtime=1x .
//
// It reports p50 and p99 per call kind, end to end (request written to
// response read), the calls made, the ingest rate reached and the errors;
// any error fails it. STORMDESK_BENCH_MESSAGES sizes the store,
// STORMDESK_BENCH_SECONDS (default 60) the measured time, after
// STORMDESK_BENCH_WARMUP seconds (10) of the same load unrecorded,
// STORMDESK_BENCH_DESKTOPS (20), STORMDESK_BENCH_INGEST (500 msg/s) and
// STORMDESK_BENCH_THINK_MS (250: the mean pause of a desktop between two
// calls, drawn uniformly from 20 % to 180 % of it) the load.

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for benchdata.Triage

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/benchdata"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// benchEnv reads a positive integer setting of the benchmark.
func benchEnv(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// teamStoreDSN returns a PostgreSQL database holding the populated benchmark
// dataset: the same database the store benchmarks query, restored from their
// cached dump when there is one.
func teamStoreDSN(b *testing.B, d *benchdata.Data) string {
	ctx := context.Background()
	// The cache key names the schema version, which a fresh store tells.
	probe, err := store.Open(ctx, pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	version, err := probe.SchemaVersion(ctx)
	probe.Close()
	if err != nil {
		b.Fatal(err)
	}
	key := fmt.Sprintf("bench-store-%d-v%d", d.Messages, version)
	return benchdata.Postgres(b, key, func(dsn string) error {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			return err
		}
		defer s.Close()
		save := func(ctx context.Context, id int64, items []inbox.Item) error {
			_, err := s.SaveItems(ctx, id, items)
			return err
		}
		if _, err := d.Import(ctx, s, save, 5000); err != nil {
			return err
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = benchdata.Triage(ctx, s, db)
		return err
	})
}

// bridgeClient calls bound methods over HTTP as the page's shim does.
type bridgeClient struct {
	base, token string
	http        *http.Client
}

// call posts args to /bridge/call/{service}/{method} and decodes the result
// into out (nil: discard).
func (c *bridgeClient) call(ctx context.Context, method string, out any, args ...any) error {
	if args == nil {
		args = []any{}
	}
	body, err := json.Marshal(args)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/bridge/call/"+method, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d: %s", method, resp.StatusCode, raw)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s: decode answer: %w", method, err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Result, out)
}

// The call kinds the desktops make, in report order.
const (
	kindPage     = "page"      // first page of a view
	kindNextPage = "next-page" // the next page of the same view (scrolling)
	kindThread   = "thread"    // opening a conversation
	kindSearch   = "search"    // a search, first page
	kindMore     = "search-more"
)

var callKinds = []string{kindPage, kindNextPage, kindThread, kindSearch, kindMore}

// recorder collects per-kind latencies and errors from all desktops.
type recorder struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	errs   []error
	nerrs  int
	ingest atomic.Int64
	// on is false during the warm-up: calls and ingested messages then do
	// not count (errors always do).
	on atomic.Bool
}

// add records one call. A kind may name its detail after a colon
// ("page:sla"): the call counts for the kind and for the detail.
func (r *recorder) add(kind string, d time.Duration, err error) {
	if err == nil && !r.on.Load() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, _, ok := strings.Cut(kind, ":"); ok && err == nil {
		r.lat[kind] = append(r.lat[kind], d)
		kind = k
	}
	if err != nil {
		r.nerrs++
		if len(r.errs) < 5 {
			r.errs = append(r.errs, fmt.Errorf("%s: %w", kind, err))
		}
		return
	}
	r.lat[kind] = append(r.lat[kind], d)
}

func percentileMS(s []time.Duration, p float64) float64 {
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return float64(s[max(i, 0)].Nanoseconds()) / 1e6
}

// The views a desktop switches between: the sidebar's fixed views and
// filters, as buildQuery sends them (limit 100, as PAGE_SIZE).
type viewQuery struct {
	Status     string `json:"status"`
	Channel    string `json:"channel"`
	AccountID  int64  `json:"accountId"`
	Tag        string `json:"tag"`
	Sentiment  string `json:"sentiment"`
	Assignee   string `json:"assignee"`
	Unassigned bool   `json:"unassigned"`
	Mine       bool   `json:"mine"`
	Order      string `json:"order"`
	Cursor     string `json:"cursor"`
	Limit      int    `json:"limit"`
	Snoozed    bool   `json:"snoozed"`
	FailedSend bool   `json:"failedSend"`
}

// namedView is a view and the name its timings are logged under.
type namedView struct {
	name string
	q    viewQuery
}

func teamViews() []namedView {
	open := viewQuery{Status: "open", Order: "newest", Limit: 100}
	with := func(f func(*viewQuery)) viewQuery { v := open; f(&v); return v }
	return []namedView{
		{"open", open},
		{"sla", with(func(v *viewQuery) { v.Order = "sla" })},
		{"unassigned", with(func(v *viewQuery) { v.Unassigned = true })},
		{"pending", with(func(v *viewQuery) { v.Status = "pending" })},
		{"closed", with(func(v *viewQuery) { v.Status = "closed" })},
		{"tag", with(func(v *viewQuery) { v.Status = ""; v.Tag = "refund" })},
		{"channel", with(func(v *viewQuery) { v.Channel = "telegram" })},
		{"mail+negative", with(func(v *viewQuery) { v.Channel = "mail"; v.Sentiment = "negative" })},
		{"negative/sla", with(func(v *viewQuery) { v.Sentiment = "negative"; v.Order = "sla" })},
		{"snoozed", with(func(v *viewQuery) { v.Status = ""; v.Snoozed = true })},
		{"failed", with(func(v *viewQuery) { v.Status = ""; v.FailedSend = true })},
	}
}

// teamSearches are what agents type: single words, ANDs, a phrase, a
// prefix, in the dataset's three languages.
var teamSearches = []string{"refund", "order", "voucher", "задержка", "Verspätung", "refund money",
	"flight delayed", "задержка рейса", "Lieferung Paket", `"still waiting"`, "deliv*", "refund OR compensation"}

type searchRequest struct {
	Text     string `json:"text"`
	Channel  string `json:"channel"`
	BeforeID int64  `json:"beforeId"`
	Limit    int    `json:"limit"`
}

// desktop runs one simulated desktop until ctx ends: it opens a view, scrolls
// one or two pages, opens threads of what it sees, and now and then searches
// and pages the hits, pausing between calls like a person.
func desktop(ctx context.Context, c *bridgeClient, seed uint64, think time.Duration, rec *recorder) {
	r := rand.New(rand.NewPCG(seed, 16))
	views := teamViews()
	pause := func() bool {
		d := time.Duration(float64(think) * (0.2 + 1.6*r.Float64()))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(d):
			return true
		}
	}
	timed := func(kind, method string, out any, args ...any) bool {
		start := time.Now()
		err := c.call(ctx, method, out, args...)
		if ctx.Err() != nil {
			return false // cut off by the end of the run, not a failure
		}
		rec.add(kind, time.Since(start), err)
		return err == nil
	}
	type page struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
		Next string `json:"next"`
	}
	for ctx.Err() == nil {
		if r.IntN(4) == 0 {
			q := searchRequest{Text: teamSearches[r.IntN(len(teamSearches))], Limit: 50}
			type hit struct {
				ID             int64 `json:"messageId"`
				ConversationID int64 `json:"conversationId"`
			}
			var hits []hit
			if !timed(kindSearch+":"+q.Text, "InboxService/Search", &hits, q) || !pause() {
				continue
			}
			if len(hits) == 50 && r.IntN(2) == 0 {
				q.BeforeID = hits[len(hits)-1].ID
				var more []hit
				if !timed(kindMore+":"+q.Text, "InboxService/Search", &more, q) {
					continue
				}
				if len(more) > 0 && more[0].ID >= q.BeforeID {
					rec.add(kindMore, 0, fmt.Errorf("next page of %q starts at message %d, not below %d", q.Text, more[0].ID, q.BeforeID))
				}
				if !pause() {
					continue
				}
			}
			if len(hits) > 0 {
				h := hits[r.IntN(len(hits))]
				timed(kindThread, "InboxService/Thread", nil, h.ConversationID)
				pause()
			}
			continue
		}
		v := views[r.IntN(len(views))]
		q := v.q
		var p page
		if !timed(kindPage+":"+v.name, "InboxService/Conversations", &p, q) || !pause() {
			continue
		}
		for pages := r.IntN(3); ; pages-- {
			if len(p.Items) > 0 {
				for range 1 + r.IntN(3) {
					timed(kindThread, "InboxService/Thread", nil, p.Items[r.IntN(len(p.Items))].ID)
					if !pause() {
						return
					}
				}
			}
			if pages == 0 || p.Next == "" {
				break
			}
			q.Cursor = p.Next
			p = page{}
			if !timed(kindNextPage, "InboxService/Conversations", &p, q) || !pause() {
				break
			}
		}
	}
}

// ingestLoop feeds the workspace's ingest pipeline rate messages a second,
// as a sync of the dataset's accounts would: four rounds a second, one batch
// per account touched, half of the messages replies in existing threads and
// half new threads, dated now. A round that ran late is made up in the next
// (at most a second's worth), so the rate reached is what the pipeline and
// the store sustain. It stops when ctx ends and counts what was stored.
func ingestLoop(ctx context.Context, app *App, d *benchdata.Data, rate int, rec *recorder) error {
	ws, err := app.workspace()
	if err != nil {
		return err
	}
	accts, err := ws.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	byName := map[string]inbox.Account{}
	for _, a := range accts {
		byName[a.Name] = a
	}
	r := rand.New(rand.NewPCG(16, 500))
	tick := time.NewTicker(time.Second / 4)
	defer tick.Stop()
	start, sent := time.Now(), 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		due := min(int(time.Since(start).Seconds()*float64(rate))-sent, rate)
		batches := map[string][]inbox.Item{}
		for range due {
			src := d.Accounts[r.IntN(len(d.Accounts))]
			it := src.Items[r.IntN(len(src.Items))]
			sent++
			it.ExternalID = fmt.Sprintf("live-%d", sent)
			it.SentAt = time.Now()
			it.Tags = nil
			if r.IntN(2) == 0 {
				it.ThreadKey = fmt.Sprintf("live-t%d", sent)
				it.Direction = inbox.DirectionIn
			}
			batches[src.Account.Name] = append(batches[src.Account.Name], it)
		}
		for name, items := range batches {
			res, err := ws.Pipeline.Ingest(ctx, byName[name], items)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return fmt.Errorf("ingest %d items into %s: %w", len(items), name, err)
			}
			if rec.on.Load() {
				rec.ingest.Add(int64(res.Inserted))
			}
		}
	}
}

func BenchmarkTeamDesktops(b *testing.B) {
	pgtest.Require(b)
	d := benchdata.Generate(benchdata.Messages(b))
	dsn := teamStoreDSN(b, d)
	seconds := benchEnv(b, "STORMDESK_BENCH_SECONDS", 60)
	warmup := benchEnv(b, "STORMDESK_BENCH_WARMUP", 10)
	desktops := benchEnv(b, "STORMDESK_BENCH_DESKTOPS", 20)
	rate := benchEnv(b, "STORMDESK_BENCH_INGEST", 500)
	think := time.Duration(benchEnv(b, "STORMDESK_BENCH_THINK_MS", 250)) * time.Millisecond

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		b.Fatal(err)
	}
	app := NewApp(log, cli.BuildInfo{}, dsn, false)
	bridge := webbridge.New(app.services(), dist, log)
	app.emit = bridge.Emit
	app.startup(ctx)
	defer app.shutdown(context.Background())
	if _, err := app.workspace(); err != nil {
		b.Fatal(err)
	}
	// A server reads its history into the crisis detector once, when it
	// starts (at 1M messages about 15 s of reading most of the table); the
	// desktops measured are those of a server that has done so.
	start := time.Now()
	for !app.monitor.Ready() {
		if time.Since(start) > 5*time.Minute {
			b.Fatal("the crisis monitor did not read its history within 5 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Logf("the crisis monitor read its history in %v", time.Since(start).Round(time.Second))
	ln, err := webbridge.Listen(ctx, "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: bridge, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(bridge.Close)
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	client := &bridgeClient{base: "http://" + ln.Addr().String(), token: bridge.Token(),
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: desktops}, Timeout: 30 * time.Second}}

	// One call of each kind first: the connections and the caches warm up, as
	// on a server that has been running.
	var first struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := client.call(ctx, "InboxService/Conversations", &first, teamViews()[0].q); err != nil {
		b.Fatal(err)
	}
	if len(first.Items) == 0 {
		b.Fatal("the open inbox is empty: the store has no data")
	}

	rec := &recorder{lat: map[string][]time.Duration{}}
	b.ResetTimer()
	for range b.N {
		// The load runs for the warm-up, unrecorded, and then for the measured
		// seconds: a server that has been running has its pooled connections
		// open, their plans and caches warm, and its loops' first passes done.
		run, end := context.WithCancel(ctx)
		var wg sync.WaitGroup
		ingestErr := make(chan error, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ingestErr <- ingestLoop(run, app, d, rate, rec)
		}()
		for i := range desktops {
			wg.Add(1)
			go func() {
				defer wg.Done()
				desktop(run, client, uint64(i), think, rec)
			}()
		}
		time.Sleep(time.Duration(warmup) * time.Second)
		rec.on.Store(true)
		time.Sleep(time.Duration(seconds) * time.Second)
		rec.on.Store(false)
		end()
		wg.Wait()
		if err := <-ingestErr; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()

	var all []time.Duration
	for _, kind := range callKinds {
		s := slices.Clone(rec.lat[kind])
		if len(s) == 0 {
			continue
		}
		slices.Sort(s)
		all = append(all, s...)
		b.ReportMetric(percentileMS(s, 0.50), kind+"-p50-ms")
		b.ReportMetric(percentileMS(s, 0.99), kind+"-p99-ms")
		b.ReportMetric(float64(len(s)), kind+"-calls")
	}
	// The views and searches by their p99, slowest first, to tell where a
	// kind's tail comes from.
	var details []string
	for k := range rec.lat {
		if strings.Contains(k, ":") {
			details = append(details, k)
		}
	}
	p99 := func(k string) float64 { s := slices.Clone(rec.lat[k]); slices.Sort(s); return percentileMS(s, 0.99) }
	slices.SortFunc(details, func(a, b string) int { return cmp.Compare(p99(b), p99(a)) })
	for _, k := range details {
		s := slices.Clone(rec.lat[k])
		slices.Sort(s)
		b.Logf("%-32s calls %4d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", k, len(s), percentileMS(s, 0.5), percentileMS(s, 0.99), percentileMS(s, 1))
	}
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(percentileMS(all, 0.99), "all-p99-ms")
	}
	b.ReportMetric(float64(rec.ingest.Load())/float64(seconds*b.N), "ingested-msg/s")
	b.ReportMetric(float64(rec.nerrs), "errors")
	if rec.nerrs > 0 {
		b.Fatalf("%d calls failed; the first: %v", rec.nerrs, rec.errs)
	}
}
