package store

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// TestTopicMentionsAfter: the crisis monitor's read of topic streams pages by
// mention id, gives a mention of two topics once per topic with its tonality,
// reach, link and title, leaves out mentions published before since and the
// mentions of a disabled topic.
func TestTopicMentionsAfter(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustTopic(t, s, "Acme", "acme")
	b := mustTopic(t, s, "Both", "acme OR rival")
	off := mustTopic(t, s, "Off", "acme")
	off.Enabled = false
	if _, err := s.SaveListeningTopic(ctx, off); err != nil {
		t.Fatal(err)
	}
	old := webMention(listening.SourceRSS, "old", -600, "acme long ago")
	neg := webMention(listening.SourceMastodon, "neg", 10, "acme broke again")
	neg.Sentiment, neg.Reach, neg.Title = inbox.SentimentNegative, 4200, "Outage"
	plain := webMention(listening.SourceReddit, "plain", 20, "acme is fine")
	for _, tp := range []ListeningTopic{a, b, off} {
		if _, err := s.SaveListeningBatch(ctx, ListeningBatch{TopicID: tp.ID, Mentions: []ScoredMention{old, neg, plain}}); err != nil {
			t.Fatal(err)
		}
	}
	since := t0
	got, err := s.TopicMentionsAfter(ctx, 0, since, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d links, want 4 (two mentions of two enabled topics): %+v", len(got), got)
	}
	first := got[0]
	if first.TopicID != a.ID || first.Topic != "Acme" || first.Sentiment != inbox.SentimentNegative || first.Reach != 4200 ||
		first.Text != "Outage\nacme broke again" || first.URL != neg.URL || !first.Published.Equal(neg.Published) {
		t.Errorf("first link %+v, want the negative mention of Acme", first)
	}
	if got[1].MentionID != first.MentionID || got[1].TopicID != b.ID {
		t.Errorf("second link %+v, want the same mention of Both", got[1])
	}
	rest, err := s.TopicMentionsAfter(ctx, first.MentionID, since, 100)
	if err != nil || len(rest) != 2 || rest[0].MentionID == first.MentionID {
		t.Fatalf("after %d: %+v, %v", first.MentionID, rest, err)
	}
	top, err := s.MaxMentionID(ctx)
	if err != nil || top < rest[1].MentionID {
		t.Errorf("MaxMentionID = %d, %v; want at least %d", top, err, rest[1].MentionID)
	}
	if page, err := s.TopicMentionsAfter(ctx, 0, since.Add(-time.Hour*24), 1); err != nil || len(page) != 1 {
		t.Errorf("limit 1: %+v, %v", page, err)
	}
}
