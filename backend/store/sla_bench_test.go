package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// benchSLAConversations is the number of open conversations of BenchmarkRecomputeSLA:
// STORMDESK_BENCH_SLA_CONVERSATIONS, default 200,000 (the target).
func benchSLAConversations(tb testing.TB) int {
	n := 200_000
	if v := os.Getenv("STORMDESK_BENCH_SLA_CONVERSATIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			tb.Fatalf("STORMDESK_BENCH_SLA_CONVERSATIONS=%q: want an integer >= 100", v)
		}
	}
	return n
}

// BenchmarkRecomputeSLA measures the full SLA recompute of all open conversations
// (the issue asks for <= 2 s at 200k): "sweep" is RecomputeSLA a minute later, where
// few rows change; "policy-save" is SaveSLAPolicies with new targets, which rewrites
// every row. The dataset: conversations of 1-9 messages (45 % replies) over 180 days
// on four channels, a quarter tagged, all open, imported through SaveItems.
func BenchmarkRecomputeSLA(b *testing.B) {
	n := benchSLAConversations(b)
	ctx := context.Background()
	s, err := Open(ctx, testDSN(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	now := end
	s.now = func() time.Time { return now }
	// Every conversation is live (clocks run), as the target is about: a horizon beyond
	// the data's 180 days keeps SaveItems from storing the older ones as history.
	live := sla.DefaultPolicies()
	live.HistoryHorizon = sla.Duration(365 * 24 * time.Hour)
	if raw, err := json.Marshal(live); err != nil {
		b.Fatal(err)
	} else if err := s.SaveSLAPolicies(ctx, raw); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	type acct struct {
		id   int64
		kind inbox.MessageKind
	}
	var accts []acct
	for i, spec := range []struct {
		ch   inbox.ChannelKind
		kind inbox.MessageKind
	}{{inbox.ChannelMail, inbox.KindMail}, {inbox.ChannelTelegram, inbox.KindDM}, {inbox.ChannelVK, inbox.KindComment}, {inbox.ChannelYouTube, inbox.KindComment}} {
		a, err := s.EnsureAccount(ctx, inbox.Account{Name: fmt.Sprintf("a%d", i), Channel: spec.ch})
		if err != nil {
			b.Fatal(err)
		}
		accts = append(accts, acct{a.ID, spec.kind})
	}
	start := time.Now()
	messages := 0
	batch := make([][]inbox.Item, len(accts))
	flush := func(i int) {
		if _, err := s.SaveItems(ctx, accts[i].id, batch[i]); err != nil {
			b.Fatal(err)
		}
		batch[i] = batch[i][:0]
	}
	for c := range n {
		ai := c % len(accts)
		thread := fmt.Sprintf("t%d", c)
		at := end.Add(-time.Duration(r.Int64N(int64(180 * 24 * time.Hour))))
		var tags []string
		if r.IntN(4) == 0 {
			tags = []string{"refund"}
		}
		for j := range 1 + r.IntN(9) {
			dir := inbox.DirectionIn
			if j > 0 && r.IntN(100) < 45 {
				dir = inbox.DirectionOut
			}
			batch[ai] = append(batch[ai], inbox.Item{ExternalID: fmt.Sprintf("%s-%d", thread, j), ThreadKey: thread,
				Kind: accts[ai].kind, Direction: dir, Text: "x", SentAt: at, Tags: tags,
				Author: inbox.Author{ExternalID: fmt.Sprintf("u%d", r.IntN(n/4+1)), Reach: int64(r.IntN(200_000))}})
			at = at.Add(time.Duration(r.ExpFloat64() * float64(90*time.Minute)))
			messages++
		}
		if len(batch[ai]) >= 5000 {
			flush(ai)
		}
	}
	for i := range batch {
		if len(batch[i]) > 0 {
			flush(i)
		}
	}
	var open int
	if err := s.db.QueryRow(`SELECT count(*) FROM conversations WHERE status = 'open'`).Scan(&open); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "SLA dataset: %d open conversations, %d messages, imported in %v\n", open, messages, time.Since(start).Round(time.Millisecond))

	b.Run("sweep", func(b *testing.B) {
		changed := 0
		for range b.N {
			now = now.Add(time.Minute)
			c, err := s.RecomputeSLA(ctx, now)
			if err != nil {
				b.Fatal(err)
			}
			changed += c
		}
		b.ReportMetric(float64(open), "conversations")
		b.ReportMetric(float64(changed)/float64(b.N), "changed/op")
	})
	// due is the minute's sweep (RecomputeSLADue): only the conversations
	// whose warning or due time passed in that minute.
	b.Run("due", func(b *testing.B) {
		changed := 0
		for range b.N {
			now = now.Add(time.Minute)
			c, err := s.RecomputeSLADue(ctx, now)
			if err != nil {
				b.Fatal(err)
			}
			changed += c
		}
		b.ReportMetric(float64(open), "conversations")
		b.ReportMetric(float64(changed)/float64(b.N), "changed/op")
	})
	// chunk is one transaction of the sweep: how long it holds the write lock.
	b.Run("chunk", func(b *testing.B) {
		for range b.N {
			now = now.Add(time.Minute)
			if _, _, err := s.recomputeChunk(ctx, now, s.d.whereActive(), nil, "c.id", 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(s.sweepChunk), "conversations")
	})
	b.Run("policy-save", func(b *testing.B) {
		for i := range b.N {
			set := sla.DefaultPolicies()
			for p := range set.Policies {
				set.Policies[p].Targets.FirstResponse += sla.Duration(time.Duration(i+1) * time.Minute)
			}
			raw, _ := json.Marshal(set)
			if err := s.SaveSLAPolicies(ctx, raw); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(open), "conversations")
	})
}
