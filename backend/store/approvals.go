package store

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

// PendingApproval is a reply waiting for an approver, with what the queue shows
// of its conversation.
type PendingApproval struct {
	Reply    drafts.Reply `json:"reply"`
	Account  string       `json:"account"`
	Brand    string       `json:"brand"`
	Channel  string       `json:"channel"`
	Subject  string       `json:"subject"` // the subject, or the conversation's snippet when it has none
	Author   string       `json:"author"`  // the customer's display name or handle
	Crisis   bool         `json:"crisis"`  // drafted while the account was in crisis mode
	Priority int          `json:"priority"`
}

// PendingApprovals lists the submitted replies, crisis replies first, then the
// longest waiting, at most limit of them.
func (s *Store) PendingApprovals(ctx context.Context, limit int) ([]PendingApproval, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+replyColumns+`, acc.name, acc.brand, c.channel,
		       coalesce(nullif(c.subject, ''), c.snippet),
		       coalesce(nullif(a.display_name, ''), nullif(a.handle, ''), a.external_id, ''),
		       r.crisis, c.priority
		FROM replies r
		JOIN conversations c ON c.id = r.conversation_id
		JOIN accounts acc ON acc.id = r.account_id
		LEFT JOIN authors a ON a.id = c.author_id
		WHERE r.state = 'submitted'
		ORDER BY r.crisis DESC, r.updated_at, r.id
		LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending approvals: %w", err)
	}
	defer rows.Close()
	out := []PendingApproval{}
	for rows.Next() {
		var p PendingApproval
		var crisis int
		rp, err := scanReply(prefixScan{r: rows, extra: []any{&p.Account, &p.Brand, &p.Channel, &p.Subject, &p.Author, &crisis, &p.Priority}})
		if err != nil {
			return nil, fmt.Errorf("store: pending approvals: %w", err)
		}
		p.Reply, p.Crisis = rp, crisis != 0
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending approvals: %w", err)
	}
	return out, nil
}
