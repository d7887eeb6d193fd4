package store

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ChannelStats counts one channel's conversations by status and its messages.
type ChannelStats struct {
	Channel  inbox.ChannelKind `json:"channel"`
	Open     int               `json:"open"`
	Pending  int               `json:"pending"`
	Closed   int               `json:"closed"`
	Messages int64             `json:"messages"`
}

// Stats is an overview of the whole database.
type Stats struct {
	Channels      []ChannelStats `json:"channels"` // every known channel, in display order
	Conversations int64          `json:"conversations"`
	Messages      int64          `json:"messages"`
	// Snoozed counts the conversations whose snooze has not ended, the
	// sidebar's Snoozed view; they are also in their status's count.
	Snoozed int `json:"snoozed"`
}

// Stats counts conversations per channel and status, and messages per channel.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	out := Stats{Channels: make([]ChannelStats, len(inbox.ChannelKinds))}
	byChannel := map[inbox.ChannelKind]*ChannelStats{}
	for i, k := range inbox.ChannelKinds {
		out.Channels[i].Channel = k
		byChannel[k] = &out.Channels[i]
	}
	// Messages: per-account counters. Conversations: one covering index scan.
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.channel, '', 0, a.message_count FROM accounts a
		UNION ALL
		SELECT a.channel, c.status, c.n, 0
		FROM (SELECT account_id, status, count(*) AS n FROM conversations`+s.d.indexedBy("conversations_account_newest")+`
		      GROUP BY account_id, status) c
		JOIN accounts a ON a.id = c.account_id`)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch inbox.ChannelKind
		var st inbox.Status
		var n int
		var msgs int64
		if err := rows.Scan(&ch, &st, &n, &msgs); err != nil {
			return Stats{}, fmt.Errorf("store: stats: %w", err)
		}
		out.Conversations += int64(n)
		out.Messages += msgs
		cs, ok := byChannel[ch]
		if !ok {
			continue // channels are validated on write; nothing else can be here
		}
		switch st {
		case inbox.StatusOpen:
			cs.Open += n
		case inbox.StatusPending:
			cs.Pending += n
		case inbox.StatusClosed:
			cs.Closed += n
		}
		cs.Messages += msgs
	}
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	// The same time test as the Snoozed view's query, so count and view agree.
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM conversation_snoozes WHERE until > ?`,
		ms(s.now())).Scan(&out.Snoozed); err != nil {
		return Stats{}, fmt.Errorf("store: stats: snoozed: %w", err)
	}
	return out, nil
}

// Assignees lists the people conversations are assigned to, by name: whom
// the workspace knows to hand work to. It hops through the assignee index
// (one seek per name), so it stays quick on a million conversations.
func (s *Store) Assignees(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH RECURSIVE p (name) AS (
			SELECT min(assignee) FROM conversations WHERE assignee > ''
			UNION ALL
			SELECT (SELECT min(assignee) FROM conversations WHERE assignee > p.name) FROM p WHERE p.name IS NOT NULL)
		SELECT name FROM p WHERE name IS NOT NULL LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("store: assignees: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: assignees: %w", err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: assignees: %w", err)
	}
	return out, nil
}
