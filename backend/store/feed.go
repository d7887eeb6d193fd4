package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FeedMessage is a stored inbound message as the spike detector reads it.
type FeedMessage struct {
	ID        int64
	Account   string
	Channel   inbox.ChannelKind
	SentAt    time.Time
	Sentiment inbox.Sentiment
	Text      string
	Author    string
	Reach     int64
}

// feedSelect reads messages as FeedMessage (scanFeed), joined with their
// account and author, the text given by the SQL expression text; callers add
// WHERE and ORDER BY.
func feedSelect(text string) string {
	return `
		SELECT m.id, a.name, a.channel, m.sent_at, m.sentiment, ` + text + `,
		       coalesce(nullif(au.display_name, ''), au.handle, ''), coalesce(au.reach, 0)
		FROM messages m
		JOIN accounts a ON a.id = m.account_id
		LEFT JOIN authors au ON au.id = m.author_id`
}

func scanFeed(rows *sql.Rows) (FeedMessage, error) {
	var f FeedMessage
	var sent int64
	err := rows.Scan(&f.ID, &f.Account, &f.Channel, &sent, &f.Sentiment, &f.Text, &f.Author, &f.Reach)
	f.SentAt = fromMS(sent)
	return f, err
}

// InboundAfter returns up to limit inbound messages stored after message id
// afterID and sent at or after since, in storage order; the last ID is the
// cursor for the next call.
func (s *Store) InboundAfter(ctx context.Context, afterID int64, since time.Time, limit int) ([]FeedMessage, error) {
	rows, err := s.db.QueryContext(ctx, feedSelect("m.text")+`
		WHERE m.id > ? AND m.direction = 'in' AND m.sent_at >= ?
		ORDER BY m.id LIMIT ?`, afterID, ms(since), limit)
	if err != nil {
		return nil, fmt.Errorf("store: inbound messages after %d: %w", afterID, err)
	}
	defer rows.Close()
	var out []FeedMessage
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inbound messages after %d: %w", afterID, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: inbound messages after %d: %w", afterID, err)
	}
	return out, nil
}
