package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MessageAttachments returns the account of a message and the attachments
// stored with it (nil when it has none).
func (s *Store) MessageAttachments(ctx context.Context, messageID int64) (int64, []inbox.Attachment, error) {
	var accountID int64
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT account_id, attachments FROM messages WHERE id = ?`, messageID).Scan(&accountID, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("store: message %d: %w", messageID, ErrNotFound)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("store: attachments of message %d: %w", messageID, err)
	}
	a, err := parseAttachments(raw)
	if err != nil {
		return 0, nil, fmt.Errorf("store: message %d: %w", messageID, err)
	}
	return accountID, a, nil
}
