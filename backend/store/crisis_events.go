package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
	At        time.Time       `json:"at" ts_type:"string"`
	Kind      CrisisEventKind `json:"kind"`
	Text      string          `json:"text"`
	Ref       string          `json:"ref"` // what the entry points at: a reply id, a KB entry id, a message id
}

// AddCrisisEvent records a timeline entry and returns its id.
func (s *Store) AddCrisisEvent(ctx context.Context, e CrisisEvent) (int64, error) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO crisis_events (account_id, at, kind, text, ref) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		e.AccountID, ms(e.At), string(e.Kind), e.Text, e.Ref).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add crisis event %s of account %d: %w", e.Kind, e.AccountID, err)
	}
	return id, nil
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
	Hour     time.Time `json:"hour" ts_type:"string"` // start of the hour, UTC
	Inbound  int       `json:"inbound"`
	Negative int       `json:"negative"`
}

// HourlyVolume counts an account's inbound and negative messages per hour
// sent in [since, until); hours without messages are included as zeros.
func (s *Store) HourlyVolume(ctx context.Context, accountID int64, since, until time.Time) ([]VolumeBin, error) {
	start := since.UTC().Truncate(time.Hour)
	rows, err := s.db.QueryContext(ctx, `SELECT (sent_at - ?) / 3600000, count(*), sum(CASE WHEN sentiment = ? THEN 1 ELSE 0 END)
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

// schemaCrisisAlerts keeps the spike detector's alerts, so they outlive a
// restart and imported history keeps the alerts found in it, and the id of
// the last message whose history the monitor has looked at.
const schemaCrisisAlerts = `
CREATE TABLE crisis_alerts (
	id          INTEGER PRIMARY KEY,
	account     TEXT    NOT NULL,
	channel     TEXT    NOT NULL,
	start       INTEGER NOT NULL,
	detected_at INTEGER NOT NULL,
	body        TEXT    NOT NULL, -- the alert with its explanation, as JSON
	found_at    INTEGER NOT NULL,
	UNIQUE (account, channel, detected_at)
);
CREATE INDEX crisis_alerts_detected ON crisis_alerts (detected_at, id);

CREATE TABLE crisis_scan (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	last_id INTEGER NOT NULL
);
`

// StoredAlert is a spike alert as kept: its stream, window start, detection
// time and the whole alert as JSON (the store does not read it).
type StoredAlert struct {
	Account    string
	Channel    inbox.ChannelKind
	Start      time.Time
	DetectedAt time.Time
	Body       []byte
}

// PutCrisisAlert keeps an alert; one already kept for the same stream and
// detection time is left as it is. added reports whether it was new.
func (s *Store) PutCrisisAlert(ctx context.Context, a StoredAlert) (added bool, err error) {
	r, err := s.db.ExecContext(ctx, `INSERT INTO crisis_alerts (account, channel, start, detected_at, body, found_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, a.Account, string(a.Channel), ms(a.Start), ms(a.DetectedAt), string(a.Body), ms(s.now()))
	if err != nil {
		return false, fmt.Errorf("store: keep alert of %s/%s at %s: %w", a.Account, a.Channel, a.DetectedAt.Format(time.RFC3339), err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: keep alert of %s/%s: %w", a.Account, a.Channel, err)
	}
	return n > 0, nil
}

// CrisisAlerts returns up to limit kept alerts, newest detection first.
func (s *Store) CrisisAlerts(ctx context.Context, limit int) ([]StoredAlert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account, channel, start, detected_at, body FROM crisis_alerts
		ORDER BY detected_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: crisis alerts: %w", err)
	}
	defer rows.Close()
	var out []StoredAlert
	for rows.Next() {
		var a StoredAlert
		var start, at int64
		var body string
		if err := rows.Scan(&a.Account, &a.Channel, &start, &at, &body); err != nil {
			return nil, fmt.Errorf("store: crisis alerts: %w", err)
		}
		a.Start, a.DetectedAt, a.Body = fromMS(start), fromMS(at), []byte(body)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: crisis alerts: %w", err)
	}
	return out, nil
}

// CrisisScanned returns the id of the last message the crisis monitor's
// history pass has looked at; 0 before the first pass.
func (s *Store) CrisisScanned(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT last_id FROM crisis_scan WHERE id = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: crisis history cursor: %w", err)
	}
	return id, nil
}

// SetCrisisScanned records that the history pass has looked at every message up to id.
func (s *Store) SetCrisisScanned(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO crisis_scan (id, last_id) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET last_id = CASE WHEN excluded.last_id > crisis_scan.last_id THEN excluded.last_id ELSE crisis_scan.last_id END`, id); err != nil {
		return fmt.Errorf("store: crisis history cursor: %w", err)
	}
	return nil
}

// AccountSpan is the period an account's inbound messages cover.
type AccountSpan struct {
	Account  string
	First    time.Time
	Last     time.Time
	Messages int
}

// InboundSpans returns, per account, the first and last send time of its
// inbound messages stored after message id afterID and sent before before
// (zero: any time). It walks the rows by id (NOT INDEXED keeps SQLite from
// walking every row of each account through the account index instead), so a
// pass over what an import just added reads only those rows.
func (s *Store) InboundSpans(ctx context.Context, afterID int64, before time.Time) ([]AccountSpan, error) {
	until := int64(maxReadMS)
	if !before.IsZero() {
		until = ms(before)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.name, min(m.sent_at), max(m.sent_at), count(*)
		FROM messages m`+s.d.notIndexed()+` JOIN accounts a ON a.id = m.account_id
		WHERE m.id > ? AND m.direction = 'in' AND m.sent_at < ?
		GROUP BY m.account_id, a.name ORDER BY a.name`, afterID, until)
	if err != nil {
		return nil, fmt.Errorf("store: inbound spans after %d: %w", afterID, err)
	}
	defer rows.Close()
	var out []AccountSpan
	for rows.Next() {
		var sp AccountSpan
		var lo, hi int64
		if err := rows.Scan(&sp.Account, &lo, &hi, &sp.Messages); err != nil {
			return nil, fmt.Errorf("store: inbound spans after %d: %w", afterID, err)
		}
		sp.First, sp.Last = fromMS(lo), fromMS(hi)
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: inbound spans after %d: %w", afterID, err)
	}
	return out, nil
}

// EachInbound calls fn with every inbound message of the given accounts sent
// in its span [First, Last], in send order (ties by id), streaming: memory
// stays bounded however long the history is. It feeds the crisis detector
// imported history, so only negative messages come with their text.
func (s *Store) EachInbound(ctx context.Context, spans []AccountSpan, fn func(FeedMessage) error) error {
	if len(spans) == 0 {
		return nil
	}
	var where []string
	var args []any
	for _, sp := range spans {
		where = append(where, `(a.name = ? AND m.sent_at BETWEEN ? AND ?)`)
		args = append(args, sp.Account, ms(sp.First), ms(sp.Last))
	}
	// Only negatives' texts explain alerts; leaving the others out keeps the
	// sort SQLite does for the time order small.
	rows, err := s.db.QueryContext(ctx, feedSelect(`CASE WHEN m.sentiment = 'negative' THEN m.text ELSE '' END`)+`
		WHERE m.direction = 'in' AND (`+strings.Join(where, " OR ")+`)
		ORDER BY m.sent_at, m.id`, args...)
	if err != nil {
		return fmt.Errorf("store: inbound history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return fmt.Errorf("store: inbound history: %w", err)
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: inbound history: %w", err)
	}
	return nil
}

// LastInbound returns when an account's newest inbound message was sent; ok
// is false when it has none. It reads the conversations' last_in_at, which
// an index on account_id reaches: messages have no index that answers it
// (one would cost every import), so the crisis monitor's start read all of
// an account's messages for it.
func (s *Store) LastInbound(ctx context.Context, accountName string) (time.Time, bool, error) {
	var last sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(c.last_in_at) FROM conversations c
		WHERE c.account_id = (SELECT id FROM accounts WHERE name = ?)`, accountName).Scan(&last)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last inbound message of %s: %w", accountName, err)
	}
	if !last.Valid {
		return time.Time{}, false, nil
	}
	return fromMS(last.Int64), true, nil
}
