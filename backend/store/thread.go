package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Thread returns a conversation's messages in sent_at, id order with authors
// filled, or an error wrapping ErrNotFound if the conversation does not exist.
func (s *Store) Thread(ctx context.Context, conversationID int64) ([]inbox.Message, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT m.id, m.conversation_id, m.account_id, m.external_id, m.direction, m.kind,
		       m.subject, m.text, m.html, m.sent_at, m.claimed_at, m.sentiment, m.sentiment_score, m.flags, m.attachments,
		       EXISTS (SELECT 1 FROM sentiment_corrections sc WHERE sc.message_id = m.id), `+authorColumns("a")+`
		FROM messages m LEFT JOIN authors a ON a.id = m.author_id
		WHERE m.conversation_id = ?
		ORDER BY m.sent_at, m.id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("store: thread of conversation %d: %w", conversationID, err)
	}
	defer rows.Close()
	out := []inbox.Message{}
	for rows.Next() {
		var m inbox.Message
		var sent int64
		var claimed sql.NullInt64
		var flags, attachments string
		var corrected bool
		dst := []any{&m.ID, &m.ConversationID, &m.AccountID, &m.ExternalID, &m.Direction, &m.Kind,
			&m.Subject, &m.Text, &m.HTML, &sent, &claimed, &m.Sentiment, &m.SentimentScore, &flags, &attachments, &corrected}
		adst, adone := authorDest(&m.Author)
		if err := rows.Scan(append(dst, adst...)...); err != nil {
			return nil, fmt.Errorf("store: thread of conversation %d: %w", conversationID, err)
		}
		adone()
		m.Flags = splitList(flags, flagSep)
		m.SentAt, m.ClaimedAt = readSentAt(sent, claimed, &m.Flags)
		if corrected {
			m.Flags = append(m.Flags, inbox.FlagSentimentCorrected)
		}
		if m.Attachments, err = parseAttachments(attachments); err != nil {
			return nil, fmt.Errorf("store: thread of conversation %d: message %d: %w", conversationID, m.ID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: thread of conversation %d: %w", conversationID, err)
	}
	if len(out) == 0 {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, conversationID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: thread of conversation %d: %w", conversationID, ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("store: thread of conversation %d: %w", conversationID, err)
		}
	}
	return out, nil
}

// readSentAt returns a message's ordering time and claimed date as stored.
// A sent_at outside the readable range (a row no migration repaired) is
// clamped, kept as the claim when it can be shown, and flagged, as ingest
// does for new messages.
func readSentAt(sent int64, claimed sql.NullInt64, flags *[]string) (time.Time, *time.Time) {
	at, clamped := readMS(sent)
	var claim *time.Time
	if claimed.Valid {
		// A claim is shown as it was, however old; only what JSON cannot carry is dropped.
		claim = claimedMS(claimed.Int64)
	}
	if clamped {
		if claim == nil {
			claim = claimedMS(sent)
		}
		if !slices.Contains(*flags, inbox.FlagSuspiciousDate) {
			*flags = append(*flags, inbox.FlagSuspiciousDate)
		}
	}
	return at, claim
}

// authorColumns selects an optional author's columns from the table aliased a.
func authorColumns(a string) string {
	return fmt.Sprintf(`coalesce(%[1]s.id, 0), coalesce(%[1]s.channel, ''), coalesce(%[1]s.external_id, ''),
		coalesce(%[1]s.handle, ''), coalesce(%[1]s.display_name, ''), coalesce(%[1]s.reach, 0), coalesce(%[1]s.notes, ''),
		coalesce(%[1]s.vip, 0), coalesce(%[1]s.banned, 0), %[1]s.blocked_until`, a)
}

// authorDest returns the scan destinations matching authorColumns; call
// done after the scan to fill the fields that need converting.
func authorDest(a *inbox.Author) (dest []any, done func()) {
	var blocked sql.NullInt64
	return []any{&a.ID, &a.Channel, &a.ExternalID, &a.Handle, &a.DisplayName, &a.Reach, &a.Notes, &a.VIP, &a.Banned, &blocked},
		func() { a.BlockedUntil = nullMS(blocked) }
}
