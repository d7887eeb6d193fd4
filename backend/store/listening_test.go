package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// must returns a function that stops the test on an error, else answers the value.
func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func mustTopic(t *testing.T, s *Store, name, query string) ListeningTopic {
	return must[ListeningTopic](t)(s.SaveListeningTopic(context.Background(), ListeningTopic{Name: name, Query: query, Enabled: true}))
}

func mustSource(t *testing.T, s *Store, kind, name string) ListeningSource {
	return must[ListeningSource](t)(s.SaveListeningSource(context.Background(), ListeningSource{Kind: kind, Name: name, Enabled: true}))
}

// webMention is a mention of source published minutes after t0.
func webMention(source, ext string, minutes int, text string) ScoredMention {
	return ScoredMention{Mention: listening.Mention{
		Source: source, ExternalID: ext, URL: "https://" + source + ".example/" + ext, Author: "a-" + ext,
		Text: text, Lang: "en", Published: t0.Add(time.Duration(minutes) * time.Minute), Replies: -1, Reactions: -1,
	}, Sentiment: inbox.SentimentNeutral}
}

func TestListeningTopicsAndSources(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustTopic(t, s, "Acme", `acme OR "acme air"`)
	b, err := s.SaveListeningTopic(ctx, ListeningTopic{Name: "Rival", Query: "rival", Kind: TopicCompetitor})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveListeningTopic(ctx, ListeningTopic{Name: "Acme", Query: "x"}); err == nil {
		t.Fatal("a second topic named Acme was saved")
	}
	if _, err := s.SaveListeningTopic(ctx, ListeningTopic{Name: "Odd", Query: "x", Kind: "friend"}); err == nil {
		t.Fatal("a topic of kind friend was saved")
	}
	a.Query, a.Enabled = "acme -job", false
	if _, err := s.SaveListeningTopic(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListeningTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "Acme" || got[0].Query != "acme -job" || got[0].Enabled ||
		got[1].ID != b.ID || got[1].Kind != TopicCompetitor || !got[1].CreatedAt.Equal(testNow) {
		t.Fatalf("topics = %+v", got)
	}
	if _, err := s.SaveListeningTopic(ctx, ListeningTopic{ID: 999, Name: "Gone", Query: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing topic: %v, want ErrNotFound", err)
	}

	src := mustSource(t, s, listening.SourceMastodon, "mastodon.social")
	if _, err := s.SaveListeningSource(ctx, ListeningSource{Kind: listening.SourceRSS, Name: "feed", Settings: "{nope"}); err == nil {
		t.Fatal("settings that are not JSON were saved")
	}
	next := testNow.Add(15 * time.Minute)
	if err := s.SetListeningSourceError(ctx, src.ID, ListeningError{Code: "rate-limited", Params: map[string]string{"retryAfter": "900"}, Detail: "429"}, time.Time{}, next); err != nil {
		t.Fatal(err)
	}
	got1, err := s.ListeningSource(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got1.ErrorCode != "rate-limited" || got1.ErrorParams["retryAfter"] != "900" || got1.ErrorDetail != "429" ||
		got1.NextPoll == nil || !got1.NextPoll.Equal(next) || got1.Remaining != -1 || got1.Settings != "{}" {
		t.Fatalf("source after an error = %+v", got1)
	}
	if err := s.DeleteListeningSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ListeningSource(ctx, src.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted source: %v, want ErrNotFound", err)
	}
}

// TestListeningBatchCursorAndLimits: a batch stores its mentions, its cursor
// and the source's limits together and clears the last error; polling the
// same posts again stores nothing twice and keeps a person's tonality.
func TestListeningBatchCursorAndLimits(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tp := mustTopic(t, s, "Acme", "acme")
	src := mustSource(t, s, listening.SourceMastodon, "m")
	if err := s.SetListeningSourceError(ctx, src.ID, ListeningError{Code: "unreachable"}, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.ListeningCursor(ctx, src.ID, tp.ID); err != nil || c != "" {
		t.Fatalf("cursor before the first poll = %q, %v", c, err)
	}
	m1 := webMention("mastodon", "1", 1, "acme is late again")
	m1.ReplyTo = &listening.ReplyRef{Channel: inbox.ChannelMastodon, ThreadKey: "1", InReplyTo: "1"}
	m1.Sentiment, m1.Score = inbox.SentimentNegative, -0.8
	m1.LinkKey = "mastodon.example/1"
	reset := testNow.Add(time.Hour)
	res, err := s.SaveListeningBatch(ctx, ListeningBatch{SourceID: src.ID, TopicID: tp.ID, Cursor: "c1",
		Limits: listening.Limits{Remaining: 299, Reset: reset}, Mentions: []ScoredMention{m1, webMention("mastodon", "2", 2, "acme ok")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || len(res.IDs) != 2 {
		t.Fatalf("first batch = %+v, want 2 new", res)
	}
	if c, _ := s.ListeningCursor(ctx, src.ID, tp.ID); c != "c1" {
		t.Fatalf("cursor = %q, want c1", c)
	}
	got, _ := s.ListeningSource(ctx, src.ID)
	if got.ErrorCode != "" || got.Remaining != 299 || got.ResetAt == nil || !got.ResetAt.Equal(reset) || got.PolledAt == nil {
		t.Fatalf("source after a good poll = %+v", got)
	}
	m, err := s.ListeningMention(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if m.Sentiment != inbox.SentimentNegative || m.Score != -0.8 || m.Ref() == nil || m.Ref().Channel != inbox.ChannelMastodon ||
		len(m.TopicIDs) != 1 || m.TopicIDs[0] != tp.ID || len(m.Sources) != 1 || !m.Published.Equal(t0.Add(time.Minute)) {
		t.Fatalf("stored mention = %+v", m)
	}

	if err := s.CorrectListeningTonality(ctx, m.ID, inbox.SentimentPositive); err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectListeningTonality(ctx, m.ID, "angry"); err == nil {
		t.Fatal("tonality angry accepted")
	}
	// The same posts again (a crash after the fetch, before the cursor moved):
	// nothing twice, the corrected tonality kept, the new engagement taken.
	m1.Replies = 7
	res, err = s.SaveListeningBatch(ctx, ListeningBatch{SourceID: src.ID, TopicID: tp.ID, Cursor: "c2", Mentions: []ScoredMention{m1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Merged != 0 || res.IDs[0] != m.ID {
		t.Fatalf("second batch = %+v, want the stored mention %d refreshed", res, m.ID)
	}
	m, _ = s.ListeningMention(ctx, m.ID)
	if m.Sentiment != inbox.SentimentPositive || !m.Corrected || m.Replies != 7 {
		t.Fatalf("mention after a re-poll = %+v", m)
	}
	page, err := s.ListeningMentions(ctx, ListeningFilter{}, "")
	if err != nil || len(page.Mentions) != 2 {
		t.Fatalf("mentions = %d, %v; want 2", len(page.Mentions), err)
	}
	// The topic's tonality filter follows the correction.
	for tone, want := range map[inbox.Sentiment]int{inbox.SentimentPositive: 1, inbox.SentimentNegative: 0} {
		p, err := s.ListeningMentions(ctx, ListeningFilter{TopicID: tp.ID, Sentiment: tone}, "")
		if err != nil || len(p.Mentions) != want {
			t.Fatalf("topic's %s mentions = %d, %v; want %d", tone, len(p.Mentions), err, want)
		}
	}
}

// TestListeningDedupeAndDelete: the same link, or a mention the poller found
// near-identical, from another source is one mention with two sources; a
// deletion on one source keeps it, on both removes it.
func TestListeningDedupeAndDelete(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	brand := mustTopic(t, s, "Acme", "acme")
	rival := mustTopic(t, s, "Rival", "rival")
	a := webMention("reddit", "t3_a", 1, "acme vs rival")
	a.LinkKey = "blog.example/post"
	b := webMention("hn", "42", 2, "acme vs rival")
	b.LinkKey = "blog.example/post"
	res, err := s.SaveListeningBatch(ctx, ListeningBatch{TopicID: brand.ID, Mentions: []ScoredMention{a}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	res, err = s.SaveListeningBatch(ctx, ListeningBatch{TopicID: rival.ID, Mentions: []ScoredMention{b}})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Merged != 1 || res.IDs[0] != id {
		t.Fatalf("the same link from hn = %+v, want merged into %d", res, id)
	}
	c := webMention("bluesky", "at://x", 3, "ACME vs rival!")
	c.SameAs = id
	if res, err = s.SaveListeningBatch(ctx, ListeningBatch{TopicID: brand.ID, Mentions: []ScoredMention{c}}); err != nil || res.IDs[0] != id {
		t.Fatalf("a near-identical text = %+v, %v", res, err)
	}
	m, _ := s.ListeningMention(ctx, id)
	if len(m.Sources) != 3 || m.Source != "reddit" || len(m.TopicIDs) != 2 {
		t.Fatalf("merged mention = sources %+v, topics %v", m.Sources, m.TopicIDs)
	}
	for _, f := range []ListeningFilter{{}, {TopicID: brand.ID}, {TopicID: rival.ID}} {
		if p, err := s.ListeningMentions(ctx, f, ""); err != nil || len(p.Mentions) != 1 {
			t.Fatalf("filter %+v: %d mentions, %v; want the one", f, len(p.Mentions), err)
		}
	}

	// Deleted on reddit and bluesky: still on hn.
	for _, d := range []struct{ src, ext string }{{"reddit", "t3_a"}, {"bluesky", "at://x"}} {
		if res, err = s.SaveListeningBatch(ctx, ListeningBatch{TopicID: brand.ID, DeletedSource: d.src, Deleted: []string{d.ext}}); err != nil || res.Deleted != 0 {
			t.Fatalf("delete on %s = %+v, %v; want the mention kept", d.src, res, err)
		}
	}
	if res, err = s.SaveListeningBatch(ctx, ListeningBatch{TopicID: brand.ID, DeletedSource: "hn", Deleted: []string{"42", "unknown"}}); err != nil || res.Deleted != 1 {
		t.Fatalf("delete on the last source = %+v, %v; want it gone", res, err)
	}
	if _, err := s.ListeningMention(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("mention deleted everywhere: %v", err)
	}
}

// TestListeningMentionsPaging: every filter pages through exactly its
// mentions, newest first, nothing twice, across equal publication times.
func TestListeningMentionsPaging(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	brand := mustTopic(t, s, "Acme", "acme")
	rival := mustTopic(t, s, "Rival", "rival")
	sources := []string{"mastodon", "reddit", "hn"}
	langs := []string{"en", "ru", "de", "en"}
	tones := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentPositive}
	type want struct {
		topic      int64
		src, lang  string
		tone       inbox.Sentiment
		published  time.Time
		externalID string
	}
	var all []want
	for i := range 95 {
		m := webMention(sources[i%3], fmt.Sprint(i), i/4, "acme") // four share each minute
		m.Lang, m.Sentiment = langs[i%4], tones[i%3]
		topic := brand.ID
		if i%5 == 0 {
			topic = rival.ID
		}
		if _, err := s.SaveListeningBatch(ctx, ListeningBatch{TopicID: topic, Mentions: []ScoredMention{m}}); err != nil {
			t.Fatal(err)
		}
		all = append(all, want{topic, m.Source, m.Lang, m.Sentiment, m.Published, m.ExternalID})
	}
	filters := []ListeningFilter{{}, {TopicID: brand.ID}, {TopicID: rival.ID, Lang: "en"}, {Source: "reddit"},
		{Lang: "de"}, {Sentiment: inbox.SentimentNegative}, {Source: "hn", Sentiment: inbox.SentimentPositive}, {TopicID: brand.ID, Source: "mastodon", Lang: "ru"}}
	for _, f := range filters {
		expect := 0
		for _, w := range all {
			if (f.TopicID == 0 || w.topic == f.TopicID) && (f.Source == "" || w.src == f.Source) &&
				(f.Lang == "" || w.lang == f.Lang) && (f.Sentiment == "" || w.tone == f.Sentiment) {
				expect++
			}
		}
		f.Limit = 7
		seen := map[int64]bool{}
		var last *ListeningMention
		cur := ""
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatalf("filter %+v: paging does not end", f)
			}
			p, err := s.ListeningMentions(ctx, f, cur)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Mentions) > 7 {
				t.Fatalf("page of %d over the limit", len(p.Mentions))
			}
			for _, m := range p.Mentions {
				if seen[m.ID] {
					t.Fatalf("filter %+v: mention %d twice", f, m.ID)
				}
				seen[m.ID] = true
				if last != nil && (m.Published.After(last.Published) || m.Published.Equal(last.Published) && m.ID > last.ID) {
					t.Fatalf("filter %+v: %d after %d out of order", f, m.ID, last.ID)
				}
				if (f.Source != "" && m.Source != f.Source) || (f.Lang != "" && m.Lang != f.Lang) || (f.Sentiment != "" && m.Sentiment != f.Sentiment) ||
					(f.TopicID != 0 && (len(m.TopicIDs) != 1 || m.TopicIDs[0] != f.TopicID)) {
					t.Fatalf("filter %+v: got %+v", f, m)
				}
				last = &m
			}
			if p.Next == "" {
				break
			}
			cur = p.Next
		}
		if len(seen) != expect || expect == 0 {
			t.Fatalf("filter %+v: %d mentions paged, want %d", f, len(seen), expect)
		}
	}
	if _, err := s.ListeningMentions(ctx, ListeningFilter{}, "garbage!"); !errors.Is(err, ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}

	// Deleting the rival topic takes the mentions only it held.
	if err := s.DeleteListeningTopic(ctx, rival.ID); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListeningMentions(ctx, ListeningFilter{Limit: MaxListeningPage}, "")
	if err != nil || len(p.Mentions) != 76 {
		t.Fatalf("after deleting the rival topic: %d mentions, %v; want 76", len(p.Mentions), err)
	}
}

func TestListeningConversationLink(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acct := mustAccount(t, s, "acme-masto", inbox.ChannelMastodon)
	mustSave(t, s, acct.ID, item("e1", "th1", inbox.DirectionIn, 1, "hello"))
	conv := convByThread(t, s, "th1")
	res, err := s.SaveListeningBatch(ctx, ListeningBatch{Mentions: []ScoredMention{webMention("mastodon", "9", 1, "acme")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetListeningConversation(ctx, res.IDs[0], conv.ID); err != nil {
		t.Fatal(err)
	}
	m, _ := s.ListeningMention(ctx, res.IDs[0])
	if m.ConversationID != conv.ID {
		t.Fatalf("conversation = %d, want %d", m.ConversationID, conv.ID)
	}
	if err := s.SetListeningConversation(ctx, 12345, conv.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing mention: %v", err)
	}
}
