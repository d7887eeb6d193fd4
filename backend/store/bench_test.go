package store

// Benchmarks for the acceptance targets. Run them with
//
//	go test -tags sqlite_fts5 -run '^$' -bench . -benchtime=1x -count 3 ./backend/store/
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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
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
	data    *benchData

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

// benchAccount is an account of the synthetic dataset with its items in time order.
type benchAccount struct {
	acct  inbox.Account
	items []inbox.Item
}

type benchData struct {
	accounts []benchAccount
	messages int
	threads  int
}

// batches returns the import batches (≤ size items of one account each),
// interleaving accounts the way a sync of several accounts would.
func (d *benchData) batches(size int) []benchBatch {
	var out []benchBatch
	for start := 0; ; start += size {
		more := false
		for i, a := range d.accounts {
			if start >= len(a.items) {
				continue
			}
			more = true
			out = append(out, benchBatch{account: i, items: a.items[start:min(start+size, len(a.items))]})
		}
		if !more {
			return out
		}
	}
}

type benchBatch struct {
	account int
	items   []inbox.Item
}

func benchMessages(tb testing.TB) int {
	n := 1_000_000
	if v := os.Getenv("STORMDESK_BENCH_MESSAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			tb.Fatalf("STORMDESK_BENCH_MESSAGES=%q: want an integer >= 1000", v)
		}
	}
	return n
}

func (f *fixture) dataset(tb testing.TB) *benchData {
	f.genOnce.Do(func() { f.data = generate(benchMessages(tb)) })
	return f.data
}

// Word lists for synthetic text: customer-service vocabulary in three languages,
// drawn with a Zipf distribution so some words are common and most are rare.
var (
	wordsEN = strings.Fields(`the my i to and a is order not of it you for was in on this have with please
		delivery refund still late flight delayed when where help no why your service customer support we
		they received package item days week waiting again money back cancel cancelled account payment
		card charged twice wrong size broken damaged missing tracking number email phone app update login
		password error crash seat baggage luggage lost gate airport hotel booking reservation ticket price
		discount code coupon store manager thanks thank great love awesome terrible awful worst best
		disappointed angry frustrated happy quick slow staff rude friendly problem issue question answer
		today yesterday tomorrow hour hours minutes call called chat agent replace replacement exchange
		return shipping address courier driver box product quality warranty repair invoice receipt subscription
		plan renew charge fee hidden compensation voucher claim complaint escalate legal review stars rating
		food cold warm restaurant order-status weekend morning evening night connection wifi internet outage`)
	wordsRU = strings.Fields(`и в не на я что с по это мой заказ где когда почему вы нас уже до сих пор
		доставка возврат денег задержка рейса рейс задержан отменили билет багаж потеряли аэропорт
		поддержка оператор ответ жду третий день неделю деньги карта списали дважды ошибка приложение
		вход пароль курьер посылка товар сломан брак качество замена гарантия чек подписка тариф
		спасибо отлично ужасно худший лучший обслуживание сотрудник грубый вежливый быстро медленно
		проблема вопрос сегодня вчера завтра час часа минут звонок чат адрес магазин скидка промокод
		компенсация жалоба отзыв интернет связь отключили сбой верните отмена бронирование гостиница`)
	wordsDE = strings.Fields(`und der die das ich nicht mein meine ist zu mit von auf für wo wann warum
		Lieferung Bestellung Rückerstattung Verspätung Flug verspätet storniert Ticket Gepäck verloren
		Flughafen Kundenservice Antwort warte seit Tagen Woche Geld zurück Karte abgebucht doppelt Fehler
		App Anmeldung Passwort Kurier Paket Artikel kaputt beschädigt Qualität Umtausch Garantie Rechnung
		Abo Tarif danke super schrecklich schlechteste beste enttäuscht ärgerlich Mitarbeiter unfreundlich
		freundlich schnell langsam Problem Frage heute gestern morgen Stunde Minuten Anruf Chat Adresse
		Geschäft Rabatt Gutschein Entschädigung Beschwerde Bewertung Internet Störung Buchung Hotel Zug`)
)

// generate builds the deterministic synthetic dataset.
func generate(messages int) *benchData {
	r := rand.New(rand.NewPCG(2026, 3))
	zipf := func(words []string) func() string {
		z := rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))
		return func() string { return words[z.Uint64()] }
	}
	langs := []func() string{zipf(wordsEN), zipf(wordsRU), zipf(wordsDE)}
	// The long tail of real text (names, product words, typos, numbers):
	// pseudo-words from a 200k vocabulary, also Zipf-distributed.
	syllables := strings.Fields("ka lo mi re tu sa ne vo ri da po le zu ma ti ko be ra ni gu")
	tail := rand.NewZipf(r, 1.05, 10, 200_000)
	tailWord := func() string {
		n := tail.Uint64()
		if n%7 == 0 {
			return strconv.FormatUint(100000+n*37, 10) // order and ticket numbers
		}
		var sb strings.Builder
		for ; ; n /= uint64(len(syllables)) {
			sb.WriteString(syllables[n%uint64(len(syllables))])
			if n < uint64(len(syllables)) {
				break
			}
		}
		return sb.String()
	}
	sentence := func(lang func() string, n int) string {
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if r.IntN(100) < 15 {
				sb.WriteString(tailWord())
			} else {
				sb.WriteString(lang())
			}
		}
		return sb.String()
	}
	type acctSpec struct {
		name  string
		ch    inbox.ChannelKind
		kinds []inbox.MessageKind
		share int
	}
	specs := []acctSpec{
		{"mail-support", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 14},
		{"mail-press", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 3},
		{"mail-billing", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 6},
		{"tg-bot", inbox.ChannelTelegram, []inbox.MessageKind{inbox.KindDM}, 14},
		{"tg-channel", inbox.ChannelTelegram, []inbox.MessageKind{inbox.KindComment}, 8},
		{"vk-page", inbox.ChannelVK, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 12},
		{"vk-shop", inbox.ChannelVK, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 5},
		{"mastodon-main", inbox.ChannelMastodon, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 8},
		{"mastodon-de", inbox.ChannelMastodon, []inbox.MessageKind{inbox.KindComment}, 3},
		{"youtube-main", inbox.ChannelYouTube, []inbox.MessageKind{inbox.KindComment}, 15},
		{"youtube-shorts", inbox.ChannelYouTube, []inbox.MessageKind{inbox.KindComment}, 6},
		{"import-legacy", inbox.ChannelImport, []inbox.MessageKind{inbox.KindMail, inbox.KindDM}, 6},
	}
	total := 0
	for _, s := range specs {
		total += s.share
	}
	tags := []string{"delivery", "refund", "billing", "bug", "vip", "press", "legal", "feature-request"}
	tagZipf := rand.NewZipf(r, 1.3, 1, uint64(len(tags)-1))
	sentiments := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNegative, inbox.SentimentNegative,
		inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral,
		inbox.SentimentPositive, inbox.SentimentPositive, inbox.SentimentUnknown}

	end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	span := 180 * 24 * time.Hour
	d := &benchData{}
	authors := max(messages/8, 10)
	for ai, s := range specs {
		a := benchAccount{acct: inbox.Account{Name: s.name, Channel: s.ch, Brand: "Acme", Handle: "@acme-" + s.name}}
		want := messages * s.share / total
		if ai == len(specs)-1 {
			want = messages - d.messages
		}
		for th := 0; len(a.items) < want; th++ {
			thread := fmt.Sprintf("%s-t%d", s.name, th)
			kind := s.kinds[r.IntN(len(s.kinds))]
			lang := langs[[]int{0, 0, 0, 0, 0, 0, 1, 1, 1, 2}[r.IntN(10)]]
			au := r.IntN(authors)
			author := inbox.Author{ExternalID: fmt.Sprintf("u%d", au), Handle: fmt.Sprintf("@user%d", au),
				DisplayName: fmt.Sprintf("User %d", au), Reach: int64(r.IntN(5000))}
			brand := inbox.Author{ExternalID: "brand-" + s.name, Handle: a.acct.Handle, DisplayName: "Acme Support"}
			subject := ""
			if kind == inbox.KindMail {
				subject = sentence(lang, 3+r.IntN(4))
			}
			var threadTags []string
			if r.IntN(4) == 0 {
				threadTags = []string{tags[tagZipf.Uint64()]}
				if r.IntN(5) == 0 {
					threadTags = append(threadTags, tags[r.IntN(len(tags))])
				}
			}
			at := end.Add(-time.Duration(r.Int64N(int64(span))))
			n := 1 + r.IntN(9)
			for j := 0; j < n && len(a.items) < want; j++ {
				dir := inbox.DirectionIn
				if j > 0 && r.IntN(100) < 45 {
					dir = inbox.DirectionOut
				}
				it := inbox.Item{
					ExternalID: fmt.Sprintf("%s-m%d", s.name, len(a.items)), ThreadKey: thread, Kind: kind,
					Direction: dir, Subject: subject, Text: sentence(lang, 6+r.IntN(25)), SentAt: at,
				}
				if dir == inbox.DirectionIn {
					it.Author = author
					it.Sentiment = sentiments[r.IntN(len(sentiments))]
					it.SentimentScore = map[inbox.Sentiment]float64{inbox.SentimentNegative: -0.7, inbox.SentimentPositive: 0.6}[it.Sentiment]
				} else {
					it.Author = brand
				}
				if j == 0 {
					it.Tags = threadTags
				}
				a.items = append(a.items, it)
				at = at.Add(time.Duration(r.ExpFloat64() * float64(90*time.Minute)))
			}
			d.threads++
		}
		slices.SortStableFunc(a.items, func(x, y inbox.Item) int { return x.SentAt.Compare(y.SentAt) })
		d.messages += len(a.items)
		d.accounts = append(d.accounts, a)
	}
	return d
}

// importAll creates the accounts and imports every batch.
func importAll(ctx context.Context, tb testing.TB, s *Store, d *benchData, batchSize int) []inbox.Account {
	accts := make([]inbox.Account, len(d.accounts))
	for i, a := range d.accounts {
		var err error
		if accts[i], err = s.EnsureAccount(ctx, a.acct); err != nil {
			tb.Fatal(err)
		}
	}
	for _, b := range d.batches(batchSize) {
		if _, err := s.SaveItems(ctx, accts[b.account].ID, b.items); err != nil {
			tb.Fatal(err)
		}
	}
	return accts
}

// queryStore returns the shared, imported database, with realistic statuses
// and assignees set through the public API.
func (f *fixture) queryStore(b *testing.B) *Store {
	d := f.dataset(b)
	f.dbOnce.Do(func() {
		ctx := context.Background()
		if f.dir, f.err = os.MkdirTemp("", "stormdesk-bench-"); f.err != nil {
			return
		}
		if f.store, f.err = Open(ctx, filepath.Join(f.dir, "bench.db")); f.err != nil {
			return
		}
		start := time.Now()
		importAll(ctx, b, f.store, d, 5000)
		imported := time.Since(start)

		r := rand.New(rand.NewPCG(9, 9))
		rows, err := f.store.db.QueryContext(ctx, `SELECT id, last_out_at IS NOT NULL AND last_out_at >= last_message_at FROM conversations`)
		if err != nil {
			f.err = err
			return
		}
		type conv struct {
			id       int64
			answered bool
		}
		var convs []conv
		for rows.Next() {
			var c conv
			rows.Scan(&c.id, &c.answered)
			convs = append(convs, c)
		}
		rows.Close()
		people := []string{"ann", "bob", "chen", "dmitri", "eva"}
		for _, c := range convs {
			st := inbox.StatusOpen
			switch p := r.IntN(100); {
			case c.answered && p < 70, !c.answered && p < 10:
				st = inbox.StatusClosed
			case c.answered, p < 20:
				st = inbox.StatusPending
			}
			if st != inbox.StatusOpen {
				if f.err = f.store.SetStatus(ctx, c.id, st); f.err != nil {
					return
				}
			}
			if p := r.IntN(10); p < 5 {
				if f.err = f.store.SetAssignee(ctx, c.id, people[p]); f.err != nil {
					return
				}
			}
		}
		fi, _ := os.Stat(filepath.Join(f.dir, "bench.db"))
		fmt.Fprintf(os.Stderr, "query dataset: %d messages, %d conversations, imported in %v (%.0f msg/s), db %d MB",
			d.messages, len(convs), imported.Round(time.Millisecond), float64(d.messages)/imported.Seconds(), fi.Size()>>20)
		fmt.Fprintln(os.Stderr)
	})
	if f.err != nil {
		b.Fatal(f.err)
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

func (l latencies) report(b *testing.B) {
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return float64(s[max(i, 0)].Nanoseconds()) / 1e6
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(s)), "calls")
}

// BenchmarkImport measures a full import into a fresh database: SaveItems in
// batches of 5,000 items of one account, FTS indexing and the final WAL
// checkpoint (Close) included.
func BenchmarkImport(b *testing.B) {
	d := benchFixture.dataset(b)
	ctx := context.Background()
	var total, cpu time.Duration
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		s, err := Open(ctx, filepath.Join(dir, "import.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu0 := time.Now(), processCPU(b)
		importAll(ctx, b, s, d, 5000)
		if err := s.Close(); err != nil { // includes the final WAL checkpoint
			b.Fatal(err)
		}
		total += time.Since(start)
		cpu += processCPU(b) - cpu0
	}
	b.ReportMetric(float64(d.messages*b.N)/total.Seconds(), "msg/s")
	b.ReportMetric(float64(d.messages), "messages")
	if cpu > 0 {
		// CPU seconds of the whole process (SQLite, stemming, GC) per
		// million messages: on a machine shared with other work the wall
		// clock also counts the wait for a core, this does not.
		b.ReportMetric(cpu.Seconds()*1e6/float64(d.messages*b.N), "cpu-s/1M")
	}
}

// processCPU is the CPU time the process has used so far, where the platform
// tells it (search_cpu_bench_test.go), else 0.
var processCPU = func(testing.TB) time.Duration { return 0 }

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

// BenchmarkSearch measures full-text searches returning up to 50 hits, from the
// newest message and from random positions (BeforeID).
func BenchmarkSearch(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM messages`).Scan(&maxID)
	queries := []struct{ name, text string }{
		{"word-en-common", "order"},
		{"word-en", "refund"},
		{"word-en-rare", "voucher"},
		{"word-ru", "задержка"},
		{"word-de", "Verspätung"},
		{"and-en", "refund money"},
		{"and-en-3", "flight delayed baggage"},
		{"and-ru", "задержка рейса"},
		{"and-de", "Lieferung Paket"},
		{"phrase-en", `"still waiting"`},
		{"prefix-en", "deliv*"},
		{"or-en", "refund OR compensation"},
		{"and-en+channel", "refund money"},
	}
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
