package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// CrisisEventKind is what a crisis timeline entry records.
type CrisisEventKind string

// Crisis timeline entry kinds (the CHECK of crisis_events.kind).
const (
	CrisisOpened    CrisisEventKind = "opened"
	CrisisClosed    CrisisEventKind = "closed"
	CrisisAlert     CrisisEventKind = "alert"
	CrisisStatement CrisisEventKind = "statement"
	CrisisReply     CrisisEventKind = "reply"
	CrisisVolume    CrisisEventKind = "volume"
	CrisisNote      CrisisEventKind = "note"
)

// CrisisEvent is one recorded entry of an account's crisis timeline.
type CrisisEvent struct {
	ID        int64           `json:"id"`
	AccountID int64           `json:"accountId"`
	At        time.Time       `json:"at"`
	Kind      CrisisEventKind `json:"kind"`
	Text      string          `json:"text"`
	Ref       string          `json:"ref"` // what the entry points at: a reply id, a KB entry id, a message id
}

// AddCrisisEvent records a timeline entry and returns its id.
func (s *Store) AddCrisisEvent(ctx context.Context, e CrisisEvent) (int64, error) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	r, err := s.db.ExecContext(ctx, `INSERT INTO crisis_events (account_id, at, kind, text, ref) VALUES (?, ?, ?, ?, ?)`,
		e.AccountID, ms(e.At), string(e.Kind), e.Text, e.Ref)
	if err != nil {
		return 0, fmt.Errorf("store: add crisis event %s of account %d: %w", e.Kind, e.AccountID, err)
	}
	return r.LastInsertId()
}

// CrisisTimeline returns an account's recorded timeline entries at or after
// since, oldest first.
func (s *Store) CrisisTimeline(ctx context.Context, accountID int64, since time.Time) ([]CrisisEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, at, kind, text, ref FROM crisis_events
		WHERE account_id = ? AND at >= ? ORDER BY at, id`, accountID, ms(since))
	if err != nil {
		return nil, fmt.Errorf("store: crisis timeline of account %d: %w", accountID, err)
	}
	defer rows.Close()
	out := []CrisisEvent{}
	for rows.Next() {
		var e CrisisEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.AccountID, &at, &e.Kind, &e.Text, &e.Ref); err != nil {
			return nil, fmt.Errorf("store: crisis timeline of account %d: %w", accountID, err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: crisis timeline of account %d: %w", accountID, err)
	}
	return out, nil
}

// CrisisSince returns when crisis mode was switched on for an account; ok is
// false when it is off.
func (s *Store) CrisisSince(ctx context.Context, accountID int64) (time.Time, bool, error) {
	var since sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT crisis_since FROM accounts WHERE id = ?`, accountID).Scan(&since)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, fmt.Errorf("store: crisis mode of account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: crisis mode of account %d: %w", accountID, err)
	}
	if !since.Valid {
		return time.Time{}, false, nil
	}
	return fromMS(since.Int64), true, nil
}

// VolumeBin counts an account's inbound messages in one hour.
type VolumeBin struct {
	Hour     time.Time `json:"hour"` // start of the hour, UTC
	Inbound  int       `json:"inbound"`
	Negative int       `json:"negative"`
}

// HourlyVolume counts an account's inbound and negative messages per hour
// sent in [since, until); hours without messages are included as zeros.
func (s *Store) HourlyVolume(ctx context.Context, accountID int64, since, until time.Time) ([]VolumeBin, error) {
	start := since.UTC().Truncate(time.Hour)
	rows, err := s.db.QueryContext(ctx, `SELECT (sent_at - ?) / 3600000, count(*), sum(sentiment = ?)
		FROM messages WHERE account_id = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ?
		GROUP BY 1 ORDER BY 1`, ms(start), string(inbox.SentimentNegative), accountID, ms(since), ms(until))
	if err != nil {
		return nil, fmt.Errorf("store: hourly volume of account %d: %w", accountID, err)
	}
	defer rows.Close()
	n := int(until.Sub(start)/time.Hour) + 1
	if until.Before(start) {
		n = 0
	}
	bins := make([]VolumeBin, n)
	for i := range bins {
		bins[i].Hour = start.Add(time.Duration(i) * time.Hour)
	}
	for rows.Next() {
		var h int64
		var in, neg int
		if err := rows.Scan(&h, &in, &neg); err != nil {
			return nil, fmt.Errorf("store: hourly volume of account %d: %w", accountID, err)
		}
		if h >= 0 && int(h) < len(bins) {
			bins[h].Inbound, bins[h].Negative = in, neg
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: hourly volume of account %d: %w", accountID, err)
	}
	// Drop the trailing empty hour when until falls exactly on an hour boundary.
	if len(bins) > 0 && !bins[len(bins)-1].Hour.Before(until) {
		bins = bins[:len(bins)-1]
	}
	return bins, nil
}

// ModerationTarget is what deciding on hiding or deleting a message needs.
type ModerationTarget struct {
	MessageID      int64
	ConversationID int64
	AccountID      int64
	ExternalID     string
	ThreadKey      string
	Direction      inbox.Direction
	Sentiment      inbox.Sentiment
	Author         string
	Reach          int64
	Text           string
}

// ModerationTarget loads a stored message with its author's reach.
func (s *Store) ModerationTarget(ctx context.Context, messageID int64) (ModerationTarget, error) {
	var t ModerationTarget
	err := s.db.QueryRowContext(ctx, `
		SELECT m.id, m.conversation_id, m.account_id, m.external_id, c.thread_key, m.direction, m.sentiment,
		       coalesce(nullif(au.display_name, ''), au.handle, ''), coalesce(au.reach, 0), m.text
		FROM messages m
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN authors au ON au.id = m.author_id
		WHERE m.id = ?`, messageID).Scan(&t.MessageID, &t.ConversationID, &t.AccountID, &t.ExternalID, &t.ThreadKey,
		&t.Direction, &t.Sentiment, &t.Author, &t.Reach, &t.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: message %d: %w", messageID, ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("store: message %d: %w", messageID, err)
	}
	return t, nil
}

// ConversationOfMessage returns the conversation of an account's inbound
// message sent at at with this text; ok is false when none is stored. It maps
// an alert's samples (text and time, no ids) back to conversations.
func (s *Store) ConversationOfMessage(ctx context.Context, accountName string, at time.Time, text string) (int64, bool, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT m.conversation_id FROM messages m JOIN accounts a ON a.id = m.account_id
		WHERE a.name = ? AND m.direction = 'in' AND m.sent_at = ? AND m.text = ? ORDER BY m.id LIMIT 1`,
		accountName, ms(at), text).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: conversation of a message of %s: %w", accountName, err)
	}
	return id, true, nil
}

// BurstMessage is a negative inbound message of a burst, for grouping
// near-duplicate complaints.
type BurstMessage struct {
	ID             int64
	ConversationID int64
	SentAt         time.Time
	Author         string
	Text           string
}

// NegativeInbound returns up to limit negative inbound messages of an account
// sent in [from, to], oldest first.
func (s *Store) NegativeInbound(ctx context.Context, accountName string, from, to time.Time, limit int) ([]BurstMessage, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT m.id, m.conversation_id, m.sent_at, coalesce(nullif(au.display_name, ''), au.handle, ''), m.text
		FROM messages m
		JOIN accounts a ON a.id = m.account_id
		LEFT JOIN authors au ON au.id = m.author_id
		WHERE a.name = ? AND m.direction = 'in' AND m.sentiment = ? AND m.sent_at >= ? AND m.sent_at <= ?
		ORDER BY m.sent_at, m.id LIMIT ?`, accountName, string(inbox.SentimentNegative), ms(from), ms(to), limit)
	if err != nil {
		return nil, fmt.Errorf("store: negative messages of %s: %w", accountName, err)
	}
	defer rows.Close()
	var out []BurstMessage
	for rows.Next() {
		var b BurstMessage
		var at int64
		if err := rows.Scan(&b.ID, &b.ConversationID, &at, &b.Author, &b.Text); err != nil {
			return nil, fmt.Errorf("store: negative messages of %s: %w", accountName, err)
		}
		b.SentAt = fromMS(at)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: negative messages of %s: %w", accountName, err)
	}
	return out, nil
}
