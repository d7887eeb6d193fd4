package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// everyListeningFilter lists every combination of the Mentions screen's
// filters (topic, source, language, tonality), each present or not.
func everyListeningFilter(topic int64) []ListeningFilter {
	var out []ListeningFilter
	for bits := range 16 {
		var f ListeningFilter
		if bits&1 != 0 {
			f.TopicID = topic
		}
		if bits&2 != 0 {
			f.Source = listening.SourceReddit
		}
		if bits&4 != 0 {
			f.Lang = "de"
		}
		if bits&8 != 0 {
			f.Sentiment = inbox.SentimentNegative
		}
		out = append(out, f)
	}
	return out
}

// Every filter combination, on its first page and a later one, is one
// index search whose equality prefix is the whole filter and whose order is
// the index's: no table scan, no sort, no filter checked row by row.
func TestListeningPagePlans(t *testing.T) {
	sqliteOnly(t, "EXPLAIN QUERY PLAN is SQLite's")
	s := openTest(t)
	topic := mustTopic(t, s, "Acme", "acme")
	cur := encodeCursor(orderListening, cursor{k: ms(t0), id: 10})
	for _, f := range everyListeningFilter(topic.ID) {
		for _, c := range []string{"", cur} {
			t.Run(fmt.Sprintf("%+v/cursor=%t", f, c != ""), func(t *testing.T) {
				q, args, err := s.listeningPageQuery(f, c, DefaultListeningPage)
				if err != nil {
					t.Fatal(err)
				}
				plan := explain(t, s, q, args)
				table, alias, idCol := "listening_mentions", "m", "id"
				var eq []string
				if f.TopicID != 0 {
					table, alias, idCol = "listening_mention_topics", "t", "mention_id"
					eq = append(eq, "topic_id=?")
				}
				for _, col := range []struct{ name, v string }{{"source", f.Source}, {"lang", f.Lang}, {"sentiment", string(f.Sentiment)}} {
					if col.v != "" {
						eq = append(eq, col.name+"=?")
					}
				}
				// Without a condition SQLite walks the index from its end
				// (SCAN); on the mention table the cursor shows as
				// published<? (the id is the rowid, checked in the seek).
				keyset := "(published," + idCol + ")<(?,?)"
				if table == "listening_mentions" {
					keyset = "published<?"
				}
				cond := eq
				if c != "" {
					cond = append(cond, keyset)
				}
				want := `^SCAN ` + alias + ` USING (COVERING )?INDEX ` + listeningPageIndex(table, f) + `\n`
				if len(cond) > 0 {
					want = `^SEARCH ` + alias + ` USING (COVERING )?INDEX ` + listeningPageIndex(table, f) +
						` \(` + regexp.QuoteMeta(strings.Join(cond, " AND ")) + `\)\n`
				}
				if !regexp.MustCompile(want).MatchString(plan) {
					t.Errorf("plan does not match %s:\n%s", want, plan)
				}
				if strings.Contains(plan, "TEMP B-TREE") || strings.Count(plan, "SCAN") > 1 ||
					(alias == "t" && !strings.Contains(plan, "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)")) {
					t.Errorf("plan sorts, scans or joins otherwise:\n%s", plan)
				}
			})
		}
	}
}

// explain returns SQLite's query plan, one step a line.
func explain(t *testing.T, s *Store, q string, args []any) string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		sb.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// Paging every filter combination to the end returns exactly the matching
// mentions, newest published first (ties by id), each once, on both engines.
func TestListeningPagesMatchEveryFilter(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	topics := []ListeningTopic{mustTopic(t, s, "Acme", "acme"), mustTopic(t, s, "Rival", "rival")}
	sources := []string{listening.SourceReddit, listening.SourceHN, listening.SourceMastodon}
	langs := []string{"de", "en"}
	tones := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentPositive}
	rng := rand.New(rand.NewPCG(3, 3))
	type row struct {
		id        int64
		topic     int64
		published int64
		source    string
		lang      string
		sentiment inbox.Sentiment
	}
	var all []row
	for i := range 240 {
		m := webMention(sources[rng.IntN(3)], fmt.Sprint("e", i), rng.IntN(60), fmt.Sprint("mention ", i))
		m.Lang, m.Sentiment = langs[rng.IntN(2)], tones[rng.IntN(2)]
		tp := topics[rng.IntN(2)].ID
		res, err := s.SaveListeningBatch(ctx, ListeningBatch{TopicID: tp, Mentions: []ScoredMention{m}})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, row{res.IDs[0], tp, ms(m.Published), m.Source, m.Lang, m.Sentiment})
	}
	for _, f := range everyListeningFilter(topics[0].ID) {
		f.Limit = 7
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			var want []int64
			var rows []row
			for _, r := range all {
				if (f.TopicID == 0 || r.topic == f.TopicID) && (f.Source == "" || r.source == f.Source) &&
					(f.Lang == "" || r.lang == f.Lang) && (f.Sentiment == "" || r.sentiment == f.Sentiment) {
					rows = append(rows, r)
				}
			}
			slices.SortFunc(rows, func(a, b row) int {
				if a.published != b.published {
					return int(b.published - a.published)
				}
				return int(b.id - a.id)
			})
			for _, r := range rows {
				want = append(want, r.id)
			}
			var got []int64
			cur := ""
			for pages := 0; ; pages++ {
				if pages > len(all) {
					t.Fatal("paging does not end")
				}
				p, err := s.ListeningMentions(ctx, f, cur)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range p.Mentions {
					got = append(got, m.ID)
				}
				if p.Next == "" {
					break
				}
				cur = p.Next
			}
			if len(want) == 0 {
				t.Fatal("the data set has no mention for this filter; the test proves nothing")
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages gave %v\nwant %v", got, want)
			}
		})
	}
}
