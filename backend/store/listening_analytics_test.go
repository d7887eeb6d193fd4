package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// TestListeningStats stores mentions of a brand and a competitor topic (one
// matched by both, one seen on two sources, one before the period) and reads
// the analytics of one topic and of both.
func TestListeningStats(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acme := mustTopic(t, s, "Acme", "acme")
	rival := must[ListeningTopic](t)(s.SaveListeningTopic(ctx, ListeningTopic{Name: "Rival", Query: "rival", Kind: TopicCompetitor, Enabled: true}))

	day := 24 * 60
	m1 := webMention(listening.SourceMastodon, "m1", 10, "acme lost my bag")
	m1.Author, m1.Reach, m1.Reactions, m1.Replies, m1.Sentiment, m1.LinkKey = "ann", 100, 3, 1, inbox.SentimentNegative, "acme.example/bag"
	m2 := webMention(listening.SourceReddit, "r2", 30, "acme beats rival")
	m2.Author, m2.Reach, m2.Replies, m2.Sentiment = "bob", 5000, 2, inbox.SentimentPositive
	m3 := webMention(listening.SourceRSS, "f3", 40, "acme lost my bag (feed copy)")
	m3.Author, m3.LinkKey = "feedbot", "acme.example/bag" // the same link as m1: another source of it
	m4 := webMention(listening.SourceHN, "h4", day+60, "acme on hn")
	m4.Author, m4.Reach = "ann", 300
	old := webMention(listening.SourceMastodon, "old", -day, "acme long ago")
	r1 := webMention(listening.SourceBluesky, "b1", day+90, "rival is late")
	r1.Sentiment = inbox.SentimentNegative

	save := func(topic int64, ms ...ScoredMention) {
		t.Helper()
		if _, err := s.SaveListeningBatch(ctx, ListeningBatch{TopicID: topic, Mentions: ms}); err != nil {
			t.Fatal(err)
		}
	}
	save(acme.ID, m1, m2, m3, m4, old)
	save(rival.ID, r1, m2)

	from, to := t0.Truncate(24*time.Hour), t0.Truncate(24*time.Hour).Add(48*time.Hour)
	got, err := s.ListeningStats(ctx, ListeningStatsFilter{From: from, To: to, TopicIDs: []int64{acme.ID}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []DaySentiment{{Day: "2026-03-02", Negative: 1, Positive: 1}, {Day: "2026-03-03", Neutral: 1}}
	if !reflect.DeepEqual(got.Days, wantDays) || got.Mentions != 3 {
		t.Errorf("days = %+v, mentions %d; want %+v, 3", got.Days, got.Mentions, wantDays)
	}
	wantTopics := []TopicVolume{
		{ID: acme.ID, Name: "Acme", Kind: TopicBrand, Mentions: 3, Negative: 1, Neutral: 1, Positive: 1},
		{ID: rival.ID, Name: "Rival", Kind: TopicCompetitor, Mentions: 2, Negative: 1, Positive: 1},
	}
	if !reflect.DeepEqual(got.Topics, wantTopics) {
		t.Errorf("topics = %+v, want %+v", got.Topics, wantTopics)
	}
	wantSources := []SourceCount{{"hn", 1}, {"mastodon", 1}, {"reddit", 1}, {"rss", 1}}
	if !reflect.DeepEqual(got.Sources, wantSources) {
		t.Errorf("sources = %+v, want %+v", got.Sources, wantSources)
	}
	var authors []string
	for _, a := range got.Authors {
		authors = append(authors, a.Source+"/"+a.Author)
	}
	if want := []string{"reddit/bob", "hn/ann", "mastodon/ann"}; !slices.Equal(authors, want) || got.Authors[0].Reach != 5000 || got.Authors[0].Mentions != 1 {
		t.Errorf("authors = %+v, want %v", got.Authors, want)
	}
	if want := (MentionEngagement{Reporting: 2, Reactions: 3, Replies: 3}); got.Engagement != want {
		t.Errorf("engagement = %+v, want %+v", got.Engagement, want)
	}

	both, err := s.ListeningStats(ctx, ListeningStatsFilter{From: from, To: to}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if both.Mentions != 4 || len(both.Authors) != 1 || both.Authors[0].Author != "bob" {
		t.Errorf("every topic: %d mentions (want 4: the shared one once), authors %+v (want bob only)", both.Mentions, both.Authors)
	}

	in, err := s.ListeningTexts(ctx, ListeningStatsFilter{From: from, To: to, TopicIDs: []int64{acme.ID}}, true, 10)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.ListeningTexts(ctx, ListeningStatsFilter{From: from, To: to, TopicIDs: []int64{acme.ID}}, false, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"acme on hn", "acme beats rival", "acme lost my bag"}; !slices.Equal(in, want) {
		t.Errorf("texts of Acme = %q, want %q", in, want)
	}
	if want := []string{"rival is late"}; !slices.Equal(out, want) {
		t.Errorf("background texts = %q, want %q", out, want)
	}

	if _, err := s.ListeningStats(ctx, ListeningStatsFilter{From: to, To: from}, 10); err == nil {
		t.Error("an empty period was accepted")
	}
}

// TestConversationDepths counts messages and distinct participants per
// conversation of the period, in total and per channel.
func TestConversationDepths(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	vk := mustAccount(t, s, "acme-vk", inbox.ChannelVK)
	mail := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	at := func(h int) time.Time { return time.Date(2026, 3, 2, h, 0, 0, 0, time.UTC) }
	other := inAt(at(11), inbox.SentimentNeutral, "me too")
	other.Author = inbox.Author{ExternalID: "cust-other", Handle: "@other"}
	saveThread(t, s, vk, "t1", inAt(at(9), inbox.SentimentNegative, "late"), outAt(at(10), "ann"), other, inAt(at(12), "", "thanks"))
	saveThread(t, s, vk, "t2", inAt(at(9), inbox.SentimentNeutral, "hi"), outAt(at(9), "ann"))
	saveThread(t, s, mail, "t3", inbox.Item{Direction: inbox.DirectionIn, Kind: inbox.KindMail, SentAt: at(13), Text: "mail"})
	saveThread(t, s, mail, "t4", inbox.Item{Direction: inbox.DirectionIn, Kind: inbox.KindMail, SentAt: at(13).AddDate(0, 0, -5), Text: "before"})

	got, err := s.ConversationDepths(ctx, AnalyticsFilter{From: at(0), To: at(24)})
	if err != nil {
		t.Fatal(err)
	}
	want := []ConversationDepth{
		{Conversations: 3, Messages: 7, Replies: 2, Participants: 3 + 2 + 1, MaxMessages: 4, MaxParticipants: 3, ByMessages: [5]int{1, 1, 1, 0, 0}},
		{Channel: inbox.ChannelMail, Conversations: 1, Messages: 1, Participants: 1, MaxMessages: 1, MaxParticipants: 1, ByMessages: [5]int{1, 0, 0, 0, 0}},
		{Channel: inbox.ChannelVK, Conversations: 2, Messages: 6, Replies: 2, Participants: 5, MaxMessages: 4, MaxParticipants: 3, ByMessages: [5]int{0, 1, 1, 0, 0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("depths =\n%+v\nwant\n%+v", got, want)
	}
	one, err := s.ConversationDepths(ctx, AnalyticsFilter{From: at(0), To: at(24), AccountID: mail.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 2 || one[0].Conversations != 1 || one[1].Channel != inbox.ChannelMail {
		t.Errorf("one account: %+v", one)
	}
}

// BenchmarkListeningStats times the analytics of the whole two weeks of the
// mention stream benchmark's store (STORMDESK_BENCH_MENTIONS, default
// 1,000,000, built as BenchmarkListeningMentions builds it): every topic, and
// the brand topic alone, two topics in a half-hour zone, as p50-ms and
// p99-ms, and reading the texts top terms are ranked from (texts-p50-ms,
// texts-p99-ms). Run it with
//
//	go test -tags sqlite_fts5 -run '^$' -bench ListeningStats -benchtime=3x ./backend/store/
//
// On PostgreSQL (STORMDESK_TEST_ENGINE=postgres) the data set is written into
// a new database of the test cluster on each run. STORMDESK_BENCH_RAW=1 also
// times, once per filter, the analytics counted from the mentions
// (listeningStatsRaw, the path before the rollups: raw-p50-ms, raw-p99-ms).
func BenchmarkListeningStats(b *testing.B) {
	ctx := context.Background()
	s := openListeningBench(b)
	stats := s.ListeningStats
	raw := os.Getenv("STORMDESK_BENCH_RAW") == "1"
	topics, err := s.ListeningTopics(ctx)
	if err != nil || len(topics) == 0 {
		b.Fatalf("bench topics: %d, %v", len(topics), err)
	}
	end := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		b.Fatal(err)
	}
	filters := []ListeningStatsFilter{
		{From: end.AddDate(0, 0, -14), To: end},
		{From: end.AddDate(0, 0, -14), To: end, TopicIDs: []int64{topics[0].ID}},
		// A half-hour zone: every local midnight cuts an hour, read from the mentions.
		{From: end.AddDate(0, 0, -14), To: end, TopicIDs: []int64{topics[1].ID, topics[2].ID}, Loc: kolkata},
	}
	b.ResetTimer()
	var lat, terms latencies
	for range b.N {
		for _, f := range filters {
			lat.time(func() {
				if _, err := stats(ctx, f, 10); err != nil {
					b.Fatal(err)
				}
			})
			// The texts top terms are ranked from: the topics' newest and the
			// period's other mentions, 2,000 each (workspace.termSampleMax).
			terms.time(func() {
				for _, inside := range []bool{true, false} {
					if _, err := s.ListeningTexts(ctx, f, inside, 2000); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	lat.report(b)
	terms.reportAs(b, "texts-")
	if raw {
		var old latencies
		for _, f := range filters {
			old.time(func() {
				if _, err := s.listeningStatsRaw(ctx, f, 10); err != nil {
					b.Fatal(err)
				}
			})
		}
		old.reportAs(b, "raw-")
	}
}

// openListeningBench opens the mention benchmarks' store of
// STORMDESK_BENCH_MENTIONS mentions (default 1,000,000), building it once
// into the temporary directory.
func openListeningBench(b *testing.B) *Store {
	b.Helper()
	n := 1_000_000
	if v := os.Getenv("STORMDESK_BENCH_MENTIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("STORMDESK_BENCH_MENTIONS=%q: %v", v, err)
		}
	}
	ctx := context.Background()
	if testOnPostgres() {
		s := openAt(b, testDSN(b))
		if err := fillListeningBench(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		return s
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("stormdesk-listening-bench-%d-v%d.db", n, len(sqliteMigrations())))
	if _, err := os.Stat(path); err != nil {
		if err := buildListeningBench(ctx, path, n); err != nil {
			b.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
