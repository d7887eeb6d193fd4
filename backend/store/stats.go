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
	return out, nil
}
