package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/moderation"
)

// AuthorConversation is one conversation of an author's history with the brand.
type AuthorConversation struct {
	ID            int64             `json:"id"`
	AccountID     int64             `json:"accountId"`
	Account       string            `json:"account"`
	Brand         string            `json:"brand"`
	Kind          inbox.MessageKind `json:"kind"`
	Subject       string            `json:"subject"`
	Snippet       string            `json:"snippet"`
	Status        inbox.Status      `json:"status"`
	Sentiment     inbox.Sentiment   `json:"sentiment"`
	LastMessageAt time.Time         `json:"lastMessageAt" ts_type:"string"`
	MessageCount  int               `json:"messageCount"`
}

// AuthorTotals sums up an author's messages in their conversations.
type AuthorTotals struct {
	Conversations int `json:"conversations"`
	// Messages counts the author's own messages; Negative those labelled negative.
	Messages      int        `json:"messages"`
	Negative      int        `json:"negative"`
	NegativeShare float64    `json:"negativeShare"` // Negative / Messages, 0 without messages
	FirstSeen     *time.Time `json:"firstSeen" ts_type:"string | null"`
	LastSeen      *time.Time `json:"lastSeen" ts_type:"string | null"`
}

// AuthorProfile is what the author panel shows: the author, their history
// with the brand, and their moderation record and standing.
type AuthorProfile struct {
	Author inbox.Author `json:"author"`
	// Conversations are the newest of the author's conversations, newest first;
	// Totals.Conversations says how many there are in all.
	Conversations []AuthorConversation `json:"conversations"`
	Totals        AuthorTotals         `json:"totals"`
	// Record is the moderation record, newest first.
	Record   []moderation.Entry  `json:"record"`
	Standing moderation.Standing `json:"standing"`
}

// DefaultHistoryLimit is how many conversations AuthorProfile lists when asked for 0 or fewer.
const DefaultHistoryLimit = 50

// AuthorProfile returns an author with their newest conversations (at most
// limit), totals over all of them, the moderation record and the standing it
// gives now; an unknown author is an error wrapping ErrNotFound.
func (s *Store) AuthorProfile(ctx context.Context, authorID int64, limit int) (AuthorProfile, error) {
	what := fmt.Sprintf("store: profile of author %d", authorID)
	if limit <= 0 {
		limit = DefaultHistoryLimit
	}
	// One read transaction so the history, totals and record agree.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return AuthorProfile{}, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()

	var p AuthorProfile
	adst, adone := authorDest(&p.Author)
	err = tx.QueryRowContext(ctx, `SELECT `+authorColumns("a")+` FROM authors a WHERE a.id = ?`, authorID).
		Scan(adst...)
	adone()
	if errors.Is(err, sql.ErrNoRows) {
		return AuthorProfile{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return AuthorProfile{}, fmt.Errorf("%s: %w", what, err)
	}
	if p.Conversations, err = authorConversations(ctx, tx, authorID, limit); err != nil {
		return AuthorProfile{}, fmt.Errorf("%s: history: %w", what, err)
	}
	if p.Totals, err = authorTotals(ctx, tx, authorID); err != nil {
		return AuthorProfile{}, fmt.Errorf("%s: totals: %w", what, err)
	}
	if p.Record, err = moderationRecord(ctx, tx, authorID); err != nil {
		return AuthorProfile{}, fmt.Errorf("%s: moderation record: %w", what, err)
	}
	p.Standing = moderation.StandingAt(p.Record, s.now())
	return p, nil
}

func authorConversations(ctx context.Context, tx *sql.Tx, authorID int64, limit int) ([]AuthorConversation, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT c.id, c.account_id, acc.name, acc.brand, c.kind, c.subject, c.snippet, c.status,
		       c.sentiment, c.last_message_at, c.message_count
		FROM conversations c JOIN accounts acc ON acc.id = c.account_id
		WHERE c.author_id = ?
		ORDER BY c.last_message_at DESC, c.id DESC
		LIMIT ?`, authorID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuthorConversation{}
	for rows.Next() {
		var c AuthorConversation
		var last int64
		if err := rows.Scan(&c.ID, &c.AccountID, &c.Account, &c.Brand, &c.Kind, &c.Subject, &c.Snippet,
			&c.Status, &c.Sentiment, &last, &c.MessageCount); err != nil {
			return nil, err
		}
		c.LastMessageAt = fromMS(last)
		out = append(out, c)
	}
	return out, rows.Err()
}

// authorTotals counts the author's own messages in their conversations: the
// conversation index leads to them, and messages_thread to each one's rows.
func authorTotals(ctx context.Context, tx *sql.Tx, authorID int64) (AuthorTotals, error) {
	var t AuthorTotals
	var first, last sql.NullInt64
	err := tx.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM conversations WHERE author_id = ?1),
		       count(m.id), coalesce(sum(CASE WHEN m.sentiment = 'negative' THEN 1 ELSE 0 END), 0), min(m.sent_at), max(m.sent_at)
		FROM conversations c JOIN messages m ON m.conversation_id = c.id
		WHERE c.author_id = ?1 AND m.author_id = ?1`, authorID).
		Scan(&t.Conversations, &t.Messages, &t.Negative, &first, &last)
	if err != nil {
		return t, err
	}
	t.FirstSeen, t.LastSeen = nullMS(first), nullMS(last)
	if t.Messages > 0 {
		t.NegativeShare = float64(t.Negative) / float64(t.Messages)
	}
	return t, nil
}

// moderationRecord returns an author's record, newest first.
func moderationRecord(ctx context.Context, q querier, authorID int64) ([]moderation.Entry, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, author_id, coalesce(account_id, 0), kind, reason, until, actor, at
		FROM author_moderation WHERE author_id = ? ORDER BY at DESC, id DESC`, authorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []moderation.Entry{}
	for rows.Next() {
		var e moderation.Entry
		var until sql.NullInt64
		var at int64
		if err := rows.Scan(&e.ID, &e.AuthorID, &e.AccountID, &e.Kind, &e.Reason, &until, &e.By, &at); err != nil {
			return nil, err
		}
		e.Until, e.At = nullMS(until), fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ModerationRecord returns an author's moderation record, newest first.
func (s *Store) ModerationRecord(ctx context.Context, authorID int64) ([]moderation.Entry, error) {
	out, err := moderationRecord(ctx, s.db, authorID)
	if err != nil {
		return nil, fmt.Errorf("store: moderation record of author %d: %w", authorID, err)
	}
	return out, nil
}

// AddModeration appends an entry to an author's record and returns it with
// its id (and At set to now when zero). It stores what it is given: the
// ladder's checks (moderation.Check) belong to the caller. A block needs
// Until, other kinds must not have one.
func (s *Store) AddModeration(ctx context.Context, e moderation.Entry) (moderation.Entry, error) {
	what := fmt.Sprintf("store: add %s to author %d", e.Kind, e.AuthorID)
	if !e.Kind.Valid() {
		return e, fmt.Errorf("%s: unknown kind %q", what, e.Kind)
	}
	if (e.Kind == moderation.KindBlock) != (e.Until != nil) {
		return e, fmt.Errorf("%s: only a block has an end time, and it must have one", what)
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	e.Reason, e.By = strings.TrimSpace(e.Reason), strings.TrimSpace(e.By)
	var until, account any
	if e.Until != nil {
		until = ms(*e.Until)
	}
	if e.AccountID != 0 {
		account = e.AccountID
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return e, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO author_moderation (author_id, account_id, kind, reason, until, actor, at)
		SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM authors WHERE id = ?)
		RETURNING id`, e.AuthorID, account, string(e.Kind), e.Reason, until, e.By, ms(e.At), e.AuthorID).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%s: author: %w", what, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("%s: %w", what, err)
	}
	if err := writeStanding(ctx, tx, e.AuthorID, e.At); err != nil {
		return e, fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return e, fmt.Errorf("%s: commit: %w", what, err)
	}
	return e, nil
}

// writeStanding copies the ban and the running block the record gives at the
// time of its newest entry onto the author row (schemaV10). A block's end is
// kept even once it has passed: readers compare it with their clock.
func writeStanding(ctx context.Context, q querier, authorID int64, at time.Time) error {
	record, err := moderationRecord(ctx, q, authorID)
	if err != nil {
		return err
	}
	st := moderation.StandingAt(record, at)
	var until any
	if st.Until != nil {
		until = ms(*st.Until)
	}
	if _, err := q.ExecContext(ctx, `UPDATE authors SET banned = ?, blocked_until = ? WHERE id = ?`,
		st.State == moderation.StateBanned, until, authorID); err != nil {
		return fmt.Errorf("standing of author %d: %w", authorID, err)
	}
	return nil
}

// MaxAuthorNotes is the longest notes text SetAuthorNotes keeps, in characters.
const MaxAuthorNotes = 10_000

// SetAuthorNotes replaces the team's notes about an author.
func (s *Store) SetAuthorNotes(ctx context.Context, authorID int64, notes string) error {
	if n := utf8.RuneCountInString(notes); n > MaxAuthorNotes {
		return fmt.Errorf("store: set notes of author %d: %d characters, at most %d", authorID, n, MaxAuthorNotes)
	}
	r, err := s.db.ExecContext(ctx, `UPDATE authors SET notes = ? WHERE id = ?`, strings.TrimSpace(notes), authorID)
	return affectedOne(r, err, fmt.Sprintf("store: set notes of author %d", authorID))
}
