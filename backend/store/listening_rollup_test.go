package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// rollupSnapshot is every rollup row, with topic sets by their key (ids of
// sets differ between a store and its rebuild).
func rollupSnapshot(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, q := range []string{
		`SELECT 'c', r.hour, ts.topics, r.source || '/' || r.lang || '/' || r.sentiment,
			r.mentions || '/' || r.reporting || '/' || r.reactions || '/' || r.replies
		FROM listening_rollup r JOIN listening_topic_sets ts ON ts.id = r.set_id`,
		`SELECT 's', r.hour, ts.topics, r.source, CAST(r.mentions AS TEXT)
		FROM listening_rollup_sources r JOIN listening_topic_sets ts ON ts.id = r.set_id`,
		`SELECT 'a', r.hour, ts.topics, r.source || '/' || r.author, r.mentions || '/' || r.reach || '/' || r.url
		FROM listening_rollup_authors r JOIN listening_topic_sets ts ON ts.id = r.set_id`,
	} {
		err := s.each(ctx, func(scan func(...any) error) error {
			var kind, set, key, val string
			var hour int64
			if err := scan(&kind, &hour, &set, &key, &val); err != nil {
				return err
			}
			k := fmt.Sprintf("%s %d [%s] %s", kind, hour, set, key)
			if _, dup := out[k]; dup {
				t.Errorf("rollup row %s twice", k)
			}
			out[k] = val
			return nil
		}, q)
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// checkRollupsExact fails when the rollups the writes kept differ from the
// ones counted again from the mentions (a drift), or when the analytics read
// from them differ from the analytics counted from the mentions.
func checkRollupsExact(t *testing.T, s *Store, rng *rand.Rand, topics []int64, start time.Time, span time.Duration) {
	t.Helper()
	ctx := context.Background()
	kept := rollupSnapshot(t, s)
	if err := s.RebuildListeningRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := rollupSnapshot(t, s); !reflect.DeepEqual(kept, rebuilt) {
		for k, v := range kept {
			if rebuilt[k] != v {
				t.Errorf("rollup %s: kept %q, counted again %q", k, v, rebuilt[k])
			}
		}
		for k, v := range rebuilt {
			if _, ok := kept[k]; !ok {
				t.Errorf("rollup %s: not kept, counted again %q", k, v)
			}
		}
		t.FailNow()
	}
	counted := 0
	defer func() {
		if counted < 10 {
			t.Errorf("only %d of 40 periods had mentions: the comparison says little", counted)
		}
	}()
	zones := []string{"UTC", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"}
	for i := range 40 {
		loc, err := time.LoadLocation(zones[i%len(zones)])
		if err != nil {
			t.Fatal(err)
		}
		from := start.Add(time.Duration(rng.Int64N(int64(span / 2))))
		to := from.Add(time.Duration(rng.Int64N(int64(span))))
		switch i % 4 {
		case 0: // whole hours
			from, to = from.Truncate(time.Hour), to.Truncate(time.Hour).Add(time.Hour)
		case 1: // local days, as the analytics page asks
			y, m, d := from.In(loc).Date()
			from = time.Date(y, m, d, 0, 0, 0, 0, loc)
			to = from.AddDate(0, 0, 1+rng.IntN(3))
		case 2: // less than an hour
			to = from.Add(time.Duration(rng.Int64N(int64(time.Hour))))
		}
		f := ListeningStatsFilter{From: from, To: to, Loc: loc}
		for _, id := range topics {
			if rng.IntN(3) == 0 {
				f.TopicIDs = append(f.TopicIDs, id)
			}
		}
		n := 1 + rng.IntN(8)
		want, err := s.listeningStatsRaw(ctx, f, n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ListeningStats(ctx, f, n)
		if err != nil {
			t.Fatal(err)
		}
		if want.Mentions > 0 {
			counted++
		}
		checkTexts(t, s, f, n)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("filter %v–%v %s topics %v, %d authors:\nrollups    %+v\nmentions   %+v", from, to, loc, f.TopicIDs, n, got, want)
		}
	}
}

// TestListeningRollupsMatchMentions writes random batches (new mentions,
// refreshes, merges across sources, more topics for a stored mention,
// deletions on the source, tonality corrections, a deleted topic) and checks
// after each round that the rollups never drift and that analytics read
// from them answer what the mentions answer, in several zones and periods.
func TestListeningRollupsMatchMentions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 19))
	var topics []int64
	for i := range 4 {
		kind := TopicBrand
		if i >= 2 {
			kind = TopicCompetitor
		}
		tp := must[ListeningTopic](t)(s.SaveListeningTopic(ctx, ListeningTopic{Name: "t" + strconv.Itoa(i), Query: "x", Kind: kind, Enabled: true}))
		topics = append(topics, tp.ID)
	}
	sources := []string{listening.SourceMastodon, listening.SourceReddit, listening.SourceHN, listening.SourceRSS}
	langs := []string{"en", "ru", "de", ""}
	tones := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentPositive, inbox.SentimentUnknown}
	authors := []string{"", "ann", "bob", "cid"}
	span := 72 * time.Hour
	start := t0.Add(-24 * time.Hour)
	ext := 0
	var stored []ScoredMention
	mention := func() ScoredMention {
		ext++
		src := sources[rng.IntN(len(sources))]
		m := webMention(src, strconv.Itoa(ext), 0, "text "+strconv.Itoa(ext))
		m.Published = start.Add(time.Duration(rng.Int64N(int64(span))))
		m.Lang, m.Sentiment = langs[rng.IntN(len(langs))], tones[rng.IntN(len(tones))]
		m.Author, m.AuthorURL, m.Reach = authors[rng.IntN(len(authors))], "https://x.example/"+strconv.Itoa(rng.IntN(3)), rng.Int64N(50)
		m.Reactions, m.Replies = rng.IntN(5)-1, rng.IntN(4)-1
		if rng.IntN(5) == 0 {
			m.LinkKey = "link/" + strconv.Itoa(rng.IntN(20)) // another source's copy of a stored mention
		}
		return m
	}
	for round := range 6 {
		for range 6 {
			b := ListeningBatch{TopicID: topics[rng.IntN(len(topics))]}
			for range 1 + rng.IntN(25) {
				if len(stored) > 0 && rng.IntN(3) == 0 { // seen again: new engagement, tonality, reach
					m := stored[rng.IntN(len(stored))]
					m.Sentiment, m.Reach, m.Reactions = tones[rng.IntN(len(tones))], rng.Int64N(50), rng.IntN(9)-1
					b.Mentions = append(b.Mentions, m)
					continue
				}
				m := mention()
				stored = append(stored, m)
				b.Mentions = append(b.Mentions, m)
			}
			if len(stored) > 0 && rng.IntN(2) == 0 {
				gone := stored[rng.IntN(len(stored))]
				b.DeletedSource, b.Deleted = gone.Source, []string{gone.ExternalID}
			}
			if _, err := s.SaveListeningBatch(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		page := must[ListeningPage](t)(s.ListeningMentions(ctx, ListeningFilter{Limit: MaxListeningPage}, ""))
		for range 5 {
			if len(page.Mentions) == 0 {
				break
			}
			m := page.Mentions[rng.IntN(len(page.Mentions))]
			if err := s.CorrectListeningTonality(ctx, m.ID, tones[rng.IntN(3)]); err != nil {
				t.Fatal(err)
			}
		}
		if round == 4 { // the shared mentions change their topic sets
			if err := s.DeleteListeningTopic(ctx, topics[1]); err != nil {
				t.Fatal(err)
			}
			topics = append(topics[:1], topics[2:]...)
		}
		checkRollupsExact(t, s, rng, append(topics, 9999), start, span)
	}
}

// TestListeningRollupsMove follows one mention's counts through a
// tonality correction, a second topic, a second source and its deletion.
func TestListeningRollupsMove(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acme := mustTopic(t, s, "Acme", "acme")
	rival := mustTopic(t, s, "Rival", "rival")
	from, to := t0.Truncate(24*time.Hour), t0.Truncate(24*time.Hour).Add(24*time.Hour)
	stats := func(topics ...int64) ListeningStats {
		t.Helper()
		st, err := s.ListeningStats(ctx, ListeningStatsFilter{From: from, To: to, TopicIDs: topics}, 5)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	m := webMention(listening.SourceMastodon, "m1", 10, "acme and rival")
	m.Sentiment, m.LinkKey = inbox.SentimentNegative, "acme.example/1"
	got := must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{TopicID: acme.ID, Mentions: []ScoredMention{m}}))
	id := got.IDs[0]
	if st := stats(); st.Mentions != 1 || st.Days[0].Negative != 1 || st.Topics[0].Negative != 1 {
		t.Fatalf("stored: %+v", st)
	}

	if err := s.CorrectListeningTonality(ctx, id, inbox.SentimentPositive); err != nil {
		t.Fatal(err)
	}
	st := stats(acme.ID)
	if st.Days[0].Negative != 0 || st.Days[0].Positive != 1 || st.Topics[0].Negative != 0 || st.Topics[0].Positive != 1 {
		t.Errorf("after the correction: days %+v, topics %+v; want the count moved to positive", st.Days, st.Topics)
	}

	// The rival topic matches it too: one mention for both, one for each.
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{TopicID: rival.ID, Mentions: []ScoredMention{m}}))
	if st := stats(acme.ID, rival.ID); st.Mentions != 1 || st.Topics[0].Mentions != 1 || st.Topics[1].Mentions != 1 {
		t.Errorf("two topics: mentions %d, topics %+v; want 1 and 1 each", st.Mentions, st.Topics)
	}

	feed := webMention(listening.SourceRSS, "f1", 10, "acme and rival (feed)")
	feed.LinkKey = m.LinkKey
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{TopicID: acme.ID, Mentions: []ScoredMention{feed}}))
	want := []SourceCount{{Source: listening.SourceMastodon, Mentions: 1}, {Source: listening.SourceRSS, Mentions: 1}}
	if st := stats(); !reflect.DeepEqual(st.Sources, want) {
		t.Errorf("two sources: %+v, want %+v", st.Sources, want)
	}

	// Deleted on Mastodon: seen on the feed still, then on neither.
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{DeletedSource: listening.SourceMastodon, Deleted: []string{"m1"}}))
	want = []SourceCount{{Source: listening.SourceRSS, Mentions: 1}}
	if st := stats(); !reflect.DeepEqual(st.Sources, want) || st.Mentions != 1 {
		t.Errorf("deleted on Mastodon: sources %+v, mentions %d; want %+v, 1", st.Sources, st.Mentions, want)
	}
	must[StoredMentions](t)(s.SaveListeningBatch(ctx, ListeningBatch{DeletedSource: listening.SourceRSS, Deleted: []string{"f1"}}))
	st = stats()
	if st.Mentions != 0 || len(st.Sources) != 0 || len(st.Authors) != 0 || st.Topics[0].Mentions != 0 {
		t.Errorf("deleted everywhere: %+v; want nothing counted", st)
	}
	if rows := rollupSnapshot(t, s); len(rows) != 0 {
		t.Errorf("rollup rows left after the deletion: %v", rows)
	}
}

// checkTexts compares ListeningTexts with the queries it replaced, which
// read every topic row of the period (the background: where the period has
// no more mentions than its window).
func checkTexts(t *testing.T, s *Store, f ListeningStatsFilter, limit int) {
	t.Helper()
	ctx := context.Background()
	sel, selArgs := f.selected()
	var inPeriod int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM listening_mentions WHERE published >= ? AND published < ?`,
		ms(f.From), ms(f.To)).Scan(&inPeriod); err != nil {
		t.Fatal(err)
	}
	for _, inside := range []bool{true, false} {
		if !inside && inPeriod > textsWindow*limit {
			continue
		}
		where, args := "m.id IN ("+sel+")", selArgs
		if !inside {
			where = "m.published >= ? AND m.published < ? AND m.id NOT IN (" + sel + ")"
			args = append([]any{ms(f.From), ms(f.To)}, selArgs...)
		}
		want := []string{}
		err := s.each(ctx, func(scan func(...any) error) error {
			var text string
			if err := scan(&text); err != nil {
				return err
			}
			want = append(want, text)
			return nil
		}, `SELECT m.text FROM listening_mentions m WHERE `+where+` ORDER BY m.published DESC, m.id DESC LIMIT ?`, append(args, limit)...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ListeningTexts(ctx, f, inside, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			got = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("texts of %v–%v topics %v (inside %v, limit %d): %q, want %q", f.From, f.To, f.TopicIDs, inside, limit, got, want)
		}
	}
}
