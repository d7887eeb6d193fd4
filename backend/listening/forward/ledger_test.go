package forward

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// ledgerEngines give each test a new database on SQLite and on PostgreSQL.
var ledgerEngines = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "shared.db") }},
	{"postgres", func(t *testing.T) string { pgtest.Require(t); return pgtest.NewDatabase(t) }},
}

// Two instances on one database (two Stores, as two processes would have)
// race for the same digest: exactly one claim wins, on both engines.
func TestLedgerOneClaimAcrossInstances(t *testing.T) {
	for _, e := range ledgerEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.dsn(t)
			var ledgers []SettingsLedger
			for range 2 {
				st, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				ledgers = append(ledgers, SettingsLedger{Store: st})
			}
			now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			wins := 0
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, ok, err := ledgers[i%2].Claim(ctx, "digest/r1/2026-12-02/tg:1", now)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if wins != 1 {
				t.Fatalf("%d claims won, want 1", wins)
			}
			// A failed send lets the other instance try again, once.
			c, ok, err := ledgers[0].Claim(ctx, "digest/r1/2026-12-03/tg:1", now)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			if err := ledgers[0].Finish(ctx, c, false); err != nil {
				t.Fatal(err)
			}
			c2, ok, err := ledgers[1].Claim(ctx, "digest/r1/2026-12-03/tg:1", now)
			if err != nil || !ok || c2.Attempt != 2 {
				t.Fatalf("retry after a failure: %+v %v %v", c2, ok, err)
			}
			if err := ledgers[1].Finish(ctx, c2, true); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := ledgers[0].Claim(ctx, "digest/r1/2026-12-03/tg:1", now.Add(time.Hour)); ok {
				t.Error("claimed a digest that was sent")
			}
		})
	}
}

func TestRuleValidate(t *testing.T) {
	ok := Rule{ID: "r1", What: WhatBoth, DigestHour: 9, TimeZone: "Europe/Berlin", QuietFrom: "22:00", QuietTo: "07:00",
		Targets: []Target{{Kind: TargetTelegram, ChatID: -100}, {Kind: TargetEmail, Address: "a@b.example"}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid rule: %v", err)
	}
	cases := map[string]func(r *Rule){
		"empty id":       func(r *Rule) { r.ID = "" },
		"slash in id":    func(r *Rule) { r.ID = "a/b" },
		"unknown what":   func(r *Rule) { r.What = "everything" },
		"hour 24":        func(r *Rule) { r.DigestHour = 24 },
		"bad zone":       func(r *Rule) { r.TimeZone = "Mars/Olympus" },
		"half quiet":     func(r *Rule) { r.QuietTo = "" },
		"bad quiet":      func(r *Rule) { r.QuietFrom = "25:00" },
		"no chat":        func(r *Rule) { r.Targets = []Target{{Kind: TargetTelegram}} },
		"bad address":    func(r *Rule) { r.Targets = []Target{{Kind: TargetEmail, Address: "a@b\r\nBcc: x@y"}} },
		"unknown target": func(r *Rule) { r.Targets = []Target{{Kind: "fax"}} },
		"address no at":  func(r *Rule) { r.Targets = []Target{{Kind: TargetEmail, Address: "nobody"}} },
	}
	for name, mut := range cases {
		r := ok
		r.Targets = append([]Target(nil), ok.Targets...)
		mut(&r)
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Prune forgets a key only when every attempt of it is older than the
// horizon: a key with an old failed attempt and a recent sent one stays
// whole, so it is not sent again. On both engines.
func TestLedgerPrune(t *testing.T) {
	for _, e := range ledgerEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, e.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			l := SettingsLedger{Store: st}
			now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
			send := func(key string, at time.Time, sent bool) {
				t.Helper()
				c, ok, err := l.Claim(ctx, key, at)
				if err != nil || !ok {
					t.Fatalf("claim %s: %v %v", key, ok, err)
				}
				if err := l.Finish(ctx, c, sent); err != nil {
					t.Fatal(err)
				}
			}
			old, recent := now.Add(-DedupeHorizon-time.Hour), now.Add(-DedupeHorizon+time.Hour)
			send("digest/r1/2026-11-20/tg:1", old, true)
			send("alert/r1/a1/tg:1", old, false)
			send("alert/r1/a1/tg:1", old.Add(time.Minute), true)
			send("digest/r1/2026-11-25/tg:1", old, false)
			send("digest/r1/2026-11-25/tg:1", recent, true)
			send("digest/r1/2026-12-02/tg:1", now, true)
			if err := st.PutSetting(ctx, "listening.forward.holds/r1", "[]"); err != nil {
				t.Fatal(err)
			}

			n, err := l.Prune(ctx, now.Add(-DedupeHorizon))
			if err != nil || n != 3 {
				t.Fatalf("Prune = %d, %v; want the 3 attempts of the 2 old keys", n, err)
			}
			left, err := st.SettingsWithPrefix(ctx, "listening.forward")
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, s := range left {
				keys = append(keys, s.Key)
			}
			want := []string{"listening.forward.holds/r1", keyPrefix + "digest/r1/2026-11-25/tg:1#1",
				keyPrefix + "digest/r1/2026-11-25/tg:1#2", keyPrefix + "digest/r1/2026-12-02/tg:1#1"}
			if !slices.Equal(keys, want) {
				t.Errorf("left %q\nwant %q", keys, want)
			}
			if _, ok, _ := l.Claim(ctx, "digest/r1/2026-11-25/tg:1", now); ok {
				t.Error("a kept key whose attempt 2 was sent was claimed again")
			}
			if n, err := l.Prune(ctx, now.Add(-DedupeHorizon)); err != nil || n != 0 {
				t.Errorf("second Prune = %d, %v", n, err)
			}
		})
	}
}

// A scheduler sending a digest every day for three weeks keeps the ledger
// at the horizon's worth of days, and still sends each day's digest once.
func TestSchedulerPrunesLedger(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, st := sqliteLedger(t)
	src := &digests{d: Digest{Tonality: Tonality{Positive: 1}}}
	clk := &testClock{t: berlin(t, 2026, 11, 1, 10, 0)}
	s := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Digests: src}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 5})
	r.What = WhatDigest
	ctx := context.Background()
	const days = 21
	for d := range days {
		for _, h := range []int{10, 11, 18} { // later Ticks the same day send nothing
			clk.Set(berlin(t, 2026, 11, 1+d, h, 0))
			if err := s.Tick(ctx, []Rule{r}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := len(fake.Chat(5)); got != days {
		t.Errorf("%d digests sent in %d days", got, days)
	}
	rows, err := st.SettingsWithPrefix(ctx, keyPrefix)
	if err != nil {
		t.Fatal(err)
	}
	// Claimed at 10:00 on each of the last 7 days, the oldest exactly at
	// the horizon's edge, which is kept.
	if len(rows) < 7 || len(rows) > 8 {
		t.Errorf("ledger keeps %d attempts after %d days, want the last week's", len(rows), days)
	}
}
