//go:build linux

// Linux only because TestListeningTopicDeleteTiming builds its data with
// fillListeningBench (listening_bench_test.go, Linux).

package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// checkRollupsRebuilt fails when the rollups differ, row for row, from what
// a recount of the stored mentions gives (it recounts them, so it is the
// last check on s's rollups as they were).
func checkRollupsRebuilt(t *testing.T, s *Store, what string) {
	t.Helper()
	kept := rollupSnapshot(t, s)
	if err := s.RebuildListeningRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	rebuilt := rollupSnapshot(t, s)
	if reflect.DeepEqual(kept, rebuilt) {
		return
	}
	for k, v := range kept {
		if rebuilt[k] != v {
			t.Errorf("%s: rollup %s: moved %q, counted again %q", what, k, v, rebuilt[k])
		}
	}
	for k, v := range rebuilt {
		if _, ok := kept[k]; !ok {
			t.Errorf("%s: rollup %s: missing, counted again %q", what, k, v)
		}
	}
	t.FailNow()
}

// checkNoSetOf fails when a topic set still names the deleted topic.
func checkNoSetOf(t *testing.T, s *Store, topic int64) {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(),
		`SELECT count(*) FROM listening_topic_set_members WHERE topic_id = ?`, topic).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d topic sets still hold deleted topic %d", n, topic)
	}
}

// TestListeningTopicDeleteMovesRollups stores random mentions, each in one
// or more of 3–5 topics (authors with equal reach and several links, so the
// maxima's ties matter), deletes one topic and checks that the moved
// rollups equal a recount row for row and that analytics of every selection
// without the topic answer what they answered before. Every topic is
// deleted once, in a store of its own, for several seeds.
func TestListeningTopicDeleteMovesRollups(t *testing.T) {
	ctx := context.Background()
	sources := []string{listening.SourceMastodon, listening.SourceReddit, listening.SourceHN}
	langs := []string{"en", "ru", ""}
	tones := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentPositive, inbox.SentimentUnknown}
	authors := []string{"", "ann", "bob"}
	start := t0.Add(-6 * time.Hour)
	span := 12 * time.Hour
	for _, seed := range []uint64{1, 2, 3} {
		ntopics := 3 + int(seed)%3
		for victim := range ntopics {
			t.Run(fmt.Sprintf("seed %d topic %d of %d", seed, victim, ntopics), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 41))
				s := openTest(t)
				var topics []int64
				for i := range ntopics {
					kind := TopicBrand
					if i > 0 {
						kind = TopicCompetitor
					}
					tp := must[ListeningTopic](t)(s.SaveListeningTopic(ctx, ListeningTopic{Name: "t" + strconv.Itoa(i), Query: "x", Kind: kind, Enabled: true}))
					topics = append(topics, tp.ID)
				}
				batches := make([]ListeningBatch, ntopics)
				for i := range batches {
					batches[i].TopicID = topics[i]
				}
				for i := range 120 {
					src := sources[rng.IntN(len(sources))]
					m := webMention(src, strconv.Itoa(i), 0, "text "+strconv.Itoa(i))
					m.Published = start.Add(time.Duration(rng.Int64N(int64(span))))
					m.Lang, m.Sentiment = langs[rng.IntN(len(langs))], tones[rng.IntN(len(tones))]
					// Few authors, reaches and links: equal reach under different
					// links, the same link under different reach.
					m.Author, m.AuthorURL = authors[rng.IntN(len(authors))], "https://x.example/"+strconv.Itoa(rng.IntN(3))
					m.Reach = []int64{0, 5, 5, 10}[rng.IntN(4)]
					m.Reactions, m.Replies = rng.IntN(4)-1, rng.IntN(3)-1
					if rng.IntN(6) == 0 {
						m.LinkKey = "link/" + strconv.Itoa(rng.IntN(10)) // another source's copy of a stored mention
					}
					// One topic, or several (two in three mentions).
					k := 1
					if rng.IntN(3) > 0 {
						k = 2 + rng.IntN(ntopics-1)
					}
					for _, k := range rng.Perm(ntopics)[:k] {
						batches[k].Mentions = append(batches[k].Mentions, m)
					}
				}
				for _, b := range batches {
					if _, err := s.SaveListeningBatch(ctx, b); err != nil {
						t.Fatal(err)
					}
				}
				checkRollupsRebuilt(t, s, "before the delete")

				gone := topics[victim]
				var rest []int64
				for _, id := range topics {
					if id != gone {
						rest = append(rest, id)
					}
				}
				// Every non-empty selection of the other topics, over whole hours
				// (the rollups) and a Kolkata day (split hours from the mentions).
				kolkata, err := time.LoadLocation("Asia/Kolkata")
				if err != nil {
					t.Fatal(err)
				}
				var filters []ListeningStatsFilter
				for mask := 1; mask < 1<<len(rest); mask++ {
					var sel []int64
					for i, id := range rest {
						if mask&(1<<i) != 0 {
							sel = append(sel, id)
						}
					}
					filters = append(filters,
						ListeningStatsFilter{From: start.Truncate(time.Hour), To: start.Add(span + time.Hour).Truncate(time.Hour), TopicIDs: sel, Loc: time.UTC},
						ListeningStatsFilter{From: time.Date(2026, 3, 2, 0, 0, 0, 0, kolkata), To: time.Date(2026, 3, 3, 0, 0, 0, 0, kolkata), TopicIDs: sel, Loc: kolkata})
				}
				before := make([]ListeningStats, len(filters))
				for i, f := range filters {
					before[i] = must[ListeningStats](t)(s.ListeningStats(ctx, f, 4))
				}
				if before[len(before)-2].Mentions == 0 {
					t.Fatal("no mention counted for the other topics: the comparison says nothing")
				}

				if err := s.DeleteListeningTopic(ctx, gone); err != nil {
					t.Fatal(err)
				}
				checkNoSetOf(t, s, gone)
				for i, f := range filters {
					// Share of voice lists every topic: the deleted one leaves it.
					before[i].Topics = slices.DeleteFunc(before[i].Topics, func(tc TopicVolume) bool { return tc.ID == gone })
					got := must[ListeningStats](t)(s.ListeningStats(ctx, f, 4))
					if !reflect.DeepEqual(got, before[i]) {
						t.Errorf("topics %v, %v–%v %s: after the delete\n%+v\nbefore\n%+v", f.TopicIDs, f.From, f.To, f.Loc, got, before[i])
					}
				}
				checkRollupsRebuilt(t, s, "after the delete")
			})
		}
	}
}

// TestListeningTopicDeleteLastAndUnused deletes a topic no mention has
// (nothing changes) and then the only topic of some mentions and one of two
// of others.
func TestListeningTopicDeleteLastAndUnused(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acme := mustTopic(t, s, "Acme", "acme")
	rival := mustTopic(t, s, "Rival", "rival")
	unused := mustTopic(t, s, "Unused", "nothing")
	only := webMention(listening.SourceMastodon, "only", 10, "acme only")
	both := webMention(listening.SourceReddit, "both", 20, "acme and rival")
	both.Author, only.Author = "ann", "ann"
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{TopicID: acme.ID, Mentions: []ScoredMention{only, both}}))
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{TopicID: rival.ID, Mentions: []ScoredMention{both}}))

	kept := rollupSnapshot(t, s)
	if err := s.DeleteListeningTopic(ctx, unused.ID); err != nil {
		t.Fatal(err)
	}
	if got := rollupSnapshot(t, s); !reflect.DeepEqual(got, kept) {
		t.Errorf("deleting a topic no mention has changed the rollups:\n%v\nwas\n%v", got, kept)
	}

	// Acme held "only" alone: it goes; "both" moves to Rival's set alone.
	if err := s.DeleteListeningTopic(ctx, acme.ID); err != nil {
		t.Fatal(err)
	}
	checkNoSetOf(t, s, acme.ID)
	day := ListeningStatsFilter{From: t0.Truncate(24 * time.Hour), To: t0.Truncate(24 * time.Hour).Add(24 * time.Hour)}
	if st := must[ListeningStats](t)(s.ListeningStats(ctx, day, 5)); st.Mentions != 1 || len(st.Authors) != 1 || st.Authors[0].Mentions != 1 {
		t.Errorf("after deleting Acme: %+v; want Rival's one mention", st)
	}
	checkRollupsRebuilt(t, s, "after deleting Acme")

	// Rival was the last topic: nothing is counted any more.
	if err := s.DeleteListeningTopic(ctx, rival.ID); err != nil {
		t.Fatal(err)
	}
	if rows := rollupSnapshot(t, s); len(rows) != 0 {
		t.Errorf("rollup rows left after the last topic went: %v", rows)
	}
	var sets int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM listening_topic_sets`).Scan(&sets); err != nil || sets != 0 {
		t.Errorf("topic sets left: %d, %v", sets, err)
	}
}

// TestListeningTopicDeleteTiming times DeleteListeningTopic over
// STORMDESK_BENCH_MENTIONS mentions (skipped without it) of
// fillListeningBench's data set, in which every third mention of the
// brand topic is also in topic 1: deleting topic 1 removes the mentions
// only it has and moves the shared ones' rollups. Run it with
//
//	STORMDESK_BENCH_MENTIONS=100000 go test -tags "sqlite_fts5 webkit2_41" -run TopicDeleteTiming -v ./backend/store/
func TestListeningTopicDeleteTiming(t *testing.T) {
	v := os.Getenv("STORMDESK_BENCH_MENTIONS")
	if v == "" {
		t.Skip("STORMDESK_BENCH_MENTIONS not set")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("STORMDESK_BENCH_MENTIONS=%q: %v", v, err)
	}
	ctx := context.Background()
	s := openTest(t)
	if err := fillListeningBench(ctx, s, n); err != nil {
		t.Fatal(err)
	}
	topics := must[[]ListeningTopic](t)(s.ListeningTopics(ctx))
	brand, second := topics[0].ID, topics[1].ID
	r, err := s.db.ExecContext(ctx, `INSERT INTO listening_mention_topics (topic_id, mention_id, published, source, lang, sentiment)
		SELECT ?, mention_id, published, source, lang, sentiment FROM listening_mention_topics WHERE topic_id = ? AND mention_id % 3 = 0`,
		second, brand)
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := r.RowsAffected()
	if err := s.RebuildListeningRollups(ctx); err != nil {
		t.Fatal(err)
	}
	var own int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM listening_mention_topics t WHERE t.topic_id = ?
		AND NOT EXISTS (SELECT 1 FROM listening_mention_topics o WHERE o.mention_id = t.mention_id AND o.topic_id <> t.topic_id)`,
		second).Scan(&own); err != nil {
		t.Fatal(err)
	}
	// The two ways of moving the counts alone, each in a transaction rolled
	// back (the move reads only the rollups, so the links may stay).
	part := func(f func(*sql.Tx) error) time.Duration {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		start := time.Now()
		if err := f(tx); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	recount := part(func(tx *sql.Tx) error { return rebuildListeningRollups(ctx, tx, s.d) })
	move := part(func(tx *sql.Tx) error { return moveTopicRollups(ctx, tx, s.d, second) })
	t.Logf("rollups alone: recount %v, move %v", recount.Round(time.Millisecond), move.Round(time.Millisecond))
	start := time.Now()
	if err := s.DeleteListeningTopic(ctx, second); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("DeleteListeningTopic over %d mentions (%d only in the topic, %d shared with the brand): %v; load average %s",
		n, own, shared, took.Round(time.Millisecond), load)
	checkNoSetOf(t, s, second)
}
