package store

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TopicMention is a stored mention as one of its topics' streams sees it:
// what the crisis detector needs to count it and explain a spike.
type TopicMention struct {
	MentionID int64
	TopicID   int64
	Topic     string // the topic's name
	Published time.Time
	Sentiment inbox.Sentiment
	Author    string
	Reach     int64
	Replies   int // -1 when the source does not report them
	Text      string
	URL       string
}

// TopicMentionsAfter returns up to limit links of a mention to a topic whose
// mention id is above after and which was published at or after since,
// ordered by mention id (then topic id), so a caller pages by the last
// MentionID it saw. A mention of two topics is returned once per topic.
func (s *Store) TopicMentionsAfter(ctx context.Context, after int64, since time.Time, limit int) ([]TopicMention, error) {
	return readAll(ctx, s.db, "store: topic mentions", scanTopicMention, topicMentionSelect+`
		WHERE t.mention_id > ? AND t.published >= ? AND tp.enabled = 1
		ORDER BY t.mention_id, t.topic_id LIMIT ?`, after, since.UnixMilli(), limit)
}

// TopicMentionsBetween returns a topic's mentions published in [from, to],
// in published order: a topic's history, for the crisis history pass.
func (s *Store) TopicMentionsBetween(ctx context.Context, topicID int64, from, to time.Time) ([]TopicMention, error) {
	return readAll(ctx, s.db, "store: topic mentions between", scanTopicMention, topicMentionSelect+`
		WHERE t.topic_id = ? AND t.published >= ? AND t.published <= ?
		ORDER BY t.published, t.mention_id`, topicID, from.UnixMilli(), to.UnixMilli())
}

const topicMentionSelect = `SELECT m.id, t.topic_id, tp.name, m.published, m.sentiment, m.author, m.reach, m.replies, m.title, m.text, m.url
		FROM listening_mention_topics t
		JOIN listening_mentions m ON m.id = t.mention_id
		JOIN listening_topics tp ON tp.id = t.topic_id`

func scanTopicMention(r scanner) (TopicMention, error) {
	var t TopicMention
	var published int64
	var title string
	if err := r.Scan(&t.MentionID, &t.TopicID, &t.Topic, &published, &t.Sentiment, &t.Author, &t.Reach, &t.Replies, &title, &t.Text, &t.URL); err != nil {
		return t, err
	}
	t.Published = fromMS(published)
	if title != "" {
		t.Text = title + "\n" + t.Text
	}
	return t, nil
}

// MaxMentionID returns the highest stored mention id (0 when there is none).
func (s *Store) MaxMentionID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM listening_mentions`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: max mention id: %w", err)
	}
	return id, nil
}
