package forward

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Two instances on one database (two Stores, as two processes would have)
// race for the same digest: exactly one claim wins, on both engines.
func TestLedgerOneClaimAcrossInstances(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "shared.db") }},
		{"postgres", func(t *testing.T) string { pgtest.Require(t); return pgtest.NewDatabase(t) }},
	}
	for _, e := range engines {
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
