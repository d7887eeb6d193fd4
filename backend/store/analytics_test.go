package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// saveThread stores items as one thread of account a, numbering external ids.
func saveThread(t *testing.T, s *Store, a inbox.Account, thread string, items ...inbox.Item) int64 {
	t.Helper()
	ctx := context.Background()
	for i := range items {
		items[i].ExternalID = fmt.Sprintf("%s-%d", thread, i)
		items[i].ThreadKey = thread
		if items[i].Kind == "" {
			items[i].Kind = inbox.KindComment
		}
		if items[i].Author.ExternalID == "" {
			items[i].Author = inbox.Author{ExternalID: "cust-" + thread, Handle: "@" + thread}
		}
	}
	if _, err := s.SaveItems(ctx, a.ID, items); err != nil {
		t.Fatalf("SaveItems: %v", err)
	}
	id, err := s.ConversationIDByThreadKey(ctx, a.ID, thread)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func inAt(at time.Time, sent inbox.Sentiment, text string, tags ...string) inbox.Item {
	return inbox.Item{Direction: inbox.DirectionIn, SentAt: at, Sentiment: sent, Text: text, Tags: tags}
}

func outAt(at time.Time, agent string) inbox.Item {
	return inbox.Item{Direction: inbox.DirectionOut, SentAt: at, Text: "on it", Author: inbox.Author{ExternalID: agent, DisplayName: agent}}
}

// TestInboundActivityZones buckets the same messages in Berlin across the spring DST
// change (2026-03-29 02:00 CET -> 03:00 CEST) and in Kolkata (UTC+5:30), where
// whole-hour UTC buckets would put a message in the wrong local hour or day.
func TestInboundActivityZones(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := mustAccount(t, s, "acme-vk", inbox.ChannelVK)
	b := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	utc := func(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, time.UTC) }
	saveThread(t, s, a, "t1",
		inAt(utc(28, 23, 10), inbox.SentimentNegative, "late"), // Berlin Sun 00:10 CET; Kolkata Sun 04:40
		outAt(utc(28, 23, 20), "ann"),                          // outbound: never counted
		inAt(utc(29, 0, 30), inbox.SentimentNeutral, "hm"),     // Berlin Sun 01:30 CET; Kolkata Sun 06:00
		inAt(utc(29, 1, 30), inbox.SentimentPositive, "ok"),    // Berlin Sun 03:30 CEST; Kolkata Sun 07:00
		inAt(utc(30, 18, 40), "", "?"),                         // Berlin Mon 20:40 CEST; Kolkata Tue 00:10
	)
	saveThread(t, s, b, "t2", inbox.Item{Direction: inbox.DirectionIn, Kind: inbox.KindMail, SentAt: utc(29, 9, 0), Sentiment: inbox.SentimentNegative, Text: "mail"})
	saveThread(t, s, a, "t3", inAt(utc(20, 12, 0), inbox.SentimentNegative, "before the period"))

	berlin, _ := time.LoadLocation("Europe/Berlin")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	type cell struct{ day, hour, n int }
	tests := []struct {
		name    string
		loc     *time.Location
		account int64
		cells   []cell // every non-zero cell
		days    []DaySentiment
	}{
		{"Berlin, one account", berlin, a.ID, []cell{{6, 0, 1}, {6, 1, 1}, {6, 3, 1}, {0, 20, 1}},
			[]DaySentiment{{Day: "2026-03-28"}, {Day: "2026-03-29", Negative: 1, Neutral: 1, Positive: 1}, {Day: "2026-03-30", Unscored: 1}}},
		{"Berlin, all accounts", berlin, 0, []cell{{6, 0, 1}, {6, 1, 1}, {6, 3, 1}, {6, 11, 1}, {0, 20, 1}},
			[]DaySentiment{{Day: "2026-03-28"}, {Day: "2026-03-29", Negative: 2, Neutral: 1, Positive: 1}, {Day: "2026-03-30", Unscored: 1}}},
		{"Kolkata, one account", kolkata, a.ID, []cell{{6, 4, 1}, {6, 6, 1}, {6, 7, 1}, {1, 0, 1}},
			[]DaySentiment{{Day: "2026-03-28"}, {Day: "2026-03-29", Negative: 1, Neutral: 1, Positive: 1}, {Day: "2026-03-30"}, {Day: "2026-03-31", Unscored: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := time.Date(2026, 3, 28, 0, 0, 0, 0, tt.loc)
			to := from.AddDate(0, 0, 3)
			if tt.loc == kolkata {
				to = from.AddDate(0, 0, 4)
			}
			got, err := s.InboundActivity(ctx, AnalyticsFilter{From: from, To: to, AccountID: tt.account, Loc: tt.loc})
			if err != nil {
				t.Fatal(err)
			}
			var want [7][24]int
			total := 0
			for _, c := range tt.cells {
				want[c.day][c.hour] = c.n
				total += c.n
			}
			if got.Heatmap != want {
				t.Errorf("heatmap non-zero cells %v, want %v", nonZero(got.Heatmap), tt.cells)
			}
			if got.Inbound != total {
				t.Errorf("inbound %d, want %d", got.Inbound, total)
			}
			if !slices.Equal(got.Days, tt.days) {
				t.Errorf("days %+v\nwant %+v", got.Days, tt.days)
			}
		})
	}
	if _, err := s.InboundActivity(ctx, AnalyticsFilter{From: utc(29, 0, 0), To: utc(29, 0, 0)}); err == nil {
		t.Error("an empty period was accepted")
	}
}

func nonZero(h [7][24]int) [][3]int {
	var out [][3]int
	for d := range h {
		for hr, n := range h[d] {
			if n != 0 {
				out = append(out, [3]int{d, hr, n})
			}
		}
	}
	return out
}

func TestTopTagsAndTexts(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := mustAccount(t, s, "acme-vk", inbox.ChannelVK)
	b := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	saveThread(t, s, a, "c1", inAt(t0, inbox.SentimentNegative, "refund still missing", "refund", "delivery"))
	saveThread(t, s, a, "c2", inAt(t0.Add(time.Hour), inbox.SentimentNegative, "refund please", "refund"))
	saveThread(t, s, a, "c3", inAt(t0.Add(2*time.Hour), inbox.SentimentPositive, "thanks, great", "praise"))
	saveThread(t, s, b, "c4", inbox.Item{Direction: inbox.DirectionIn, Kind: inbox.KindMail, SentAt: t0, Text: "invoice", Tags: []string{"billing"}})
	saveThread(t, s, a, "old", inAt(t0.AddDate(0, 0, -30), inbox.SentimentNegative, "ancient", "refund"))

	f := AnalyticsFilter{From: t0.Add(-time.Hour), To: t0.Add(24 * time.Hour)}
	tags, err := s.TopTags(ctx, f, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []TagCount{{"refund", 2}, {"billing", 1}, {"delivery", 1}}; !slices.Equal(tags, want) {
		t.Errorf("top tags %v, want %v", tags, want)
	}
	f.AccountID = b.ID
	if tags, _ = s.TopTags(ctx, f, 3); !slices.Equal(tags, []TagCount{{"billing", 1}}) {
		t.Errorf("top tags of the mail account %v", tags)
	}
	f.AccountID = a.ID
	neg, err := s.InboundTexts(ctx, f, true, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"refund please", "refund still missing"}; !slices.Equal(neg, want) {
		t.Errorf("negative texts %q, want %q", neg, want)
	}
	if neg, _ = s.InboundTexts(ctx, f, true, 1); len(neg) != 1 {
		t.Errorf("limit 1 returned %d texts", len(neg))
	}
	if rest, _ := s.InboundTexts(ctx, f, false, 10); !slices.Equal(rest, []string{"thanks, great"}) {
		t.Errorf("background texts %q", rest)
	}
}

// TestSLAReportFor uses the default public-comment policy (first response 1h from
// 08:00 to 22:00 UTC, warning at 48m).
func TestSLAReportFor(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	s.SetClock(func() time.Time { return t0.Add(4 * time.Hour) })
	a := mustAccount(t, s, "acme-vk", inbox.ChannelVK)
	b := mustAccount(t, s, "other-vk", inbox.ChannelVK)
	saveThread(t, s, a, "quick", inAt(t0, inbox.SentimentNeutral, "q"), outAt(t0.Add(10*time.Minute), "Ann"))
	saveThread(t, s, a, "near", inAt(t0, inbox.SentimentNeutral, "q"), outAt(t0.Add(50*time.Minute), "Ann"))
	saveThread(t, s, b, "late", inAt(t0, inbox.SentimentNeutral, "q"), outAt(t0.Add(2*time.Hour), "Bob"))

	tests := []struct {
		name                      string
		account                   int64
		convs, warnings, breached int
		wantFRTP50, wantFRTP90    time.Duration
	}{
		{"all accounts", 0, 3, 1, 1, 50 * time.Minute, 2 * time.Hour},
		{"one account", a.ID, 2, 1, 0, 10 * time.Minute, 50 * time.Minute},
		{"the other account", b.ID, 1, 0, 1, 2 * time.Hour, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.SLAReportFor(ctx, AnalyticsFilter{From: t0.Add(-time.Hour), To: t0.Add(time.Hour), AccountID: tt.account})
			if err != nil {
				t.Fatal(err)
			}
			g := r.Total
			if g.Conversations != tt.convs || g.Warnings != tt.warnings || g.Breached() != tt.breached ||
				g.FirstResponse.P50 != tt.wantFRTP50 || g.FirstResponse.P90 != tt.wantFRTP90 {
				t.Errorf("total %+v", g)
			}
			if len(r.Breaches) != tt.breached {
				t.Errorf("breaches %+v", r.Breaches)
			}
		})
	}
	if _, err := s.SLAReportFor(ctx, AnalyticsFilter{From: t0, To: t0.Add(-time.Hour)}); err == nil {
		t.Error("a reversed period was accepted")
	}
}

// BenchmarkAnalytics times the analytics queries over the last 7, 30 and 90 days
// of the synthetic 1M-message dataset (180 days ending 2026-03-01), all accounts,
// in Europe/Berlin.
func BenchmarkAnalytics(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	to := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)
	for _, days := range []int{7, 30, 90} {
		f := AnalyticsFilter{From: to.AddDate(0, 0, -days), To: to, Loc: berlin}
		queries := []struct {
			name string
			run  func() error
		}{
			{"activity", func() error { _, err := s.InboundActivity(ctx, f); return err }},
			{"top-tags", func() error { _, err := s.TopTags(ctx, f, 10); return err }},
			{"negative-texts", func() error { _, err := s.InboundTexts(ctx, f, true, 2000); return err }},
			{"sla-report", func() error { _, err := s.SLAReportFor(ctx, f); return err }},
		}
		for _, q := range queries {
			b.Run(fmt.Sprintf("%s/%dd", q.name, days), func(b *testing.B) {
				var lat latencies
				for range b.N {
					var err error
					lat.time(func() { err = q.run() })
					if err != nil {
						b.Fatal(err)
					}
				}
				lat.report(b)
			})
		}
	}
}
