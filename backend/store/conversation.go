package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TagCount is a tag and the number of conversations carrying it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// tagSep joins tags in group_concat results; tags cannot contain it.
const tagSep = "\x1f"

// conversationColumns selects a conversation (alias c), its tags and its author (alias a).
func conversationColumns() string {
	return `c.id, c.account_id, c.channel, c.thread_key, c.kind, c.subject, c.status, c.assignee,
		c.priority, c.snippet, c.sentiment, c.negative_count, c.message_count, c.first_message_at,
		c.last_message_at, c.sla_due_at,
		(SELECT group_concat(t.tag, char(31)) FROM conversation_tags t WHERE t.conversation_id = c.id), ` +
		authorColumns("a")
}

func scanConversation(r scanner) (inbox.Conversation, error) {
	var c inbox.Conversation
	var first, last int64
	var sla sql.NullInt64
	var tags sql.NullString
	dst := []any{&c.ID, &c.AccountID, &c.Channel, &c.ThreadKey, &c.Kind, &c.Subject, &c.Status, &c.Assignee,
		&c.Priority, &c.Snippet, &c.Sentiment, &c.NegativeCount, &c.MessageCount, &first, &last, &sla, &tags}
	if err := r.Scan(append(dst, authorDest(&c.Author)...)...); err != nil {
		return inbox.Conversation{}, err
	}
	c.FirstMessageAt = fromMS(first)
	c.LastMessageAt = fromMS(last)
	c.SLADueAt = nullMS(sla)
	c.Tags = splitList(tags.String, tagSep)
	return c, nil
}

// ConversationByID returns one conversation with author and tags, or an error wrapping ErrNotFound.
func (s *Store) ConversationByID(ctx context.Context, id int64) (inbox.Conversation, error) {
	row := s.db.QueryRowContext(ctx, `
		SELECT `+conversationColumns()+`
		FROM conversations c LEFT JOIN authors a ON a.id = c.author_id
		WHERE c.id = ?`, id)
	c, err := scanConversation(row)
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.Conversation{}, fmt.Errorf("store: conversation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return inbox.Conversation{}, fmt.Errorf("store: conversation %d: %w", id, err)
	}
	return c, nil
}

// ConversationIDByThreadKey returns the id of an account's conversation with the
// given thread key, or an error wrapping ErrNotFound.
func (s *Store) ConversationIDByThreadKey(ctx context.Context, accountID int64, key string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM conversations WHERE account_id = ? AND thread_key = ?`, accountID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: conversation %q of account %d: %w", key, accountID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: conversation %q of account %d: %w", key, accountID, err)
	}
	return id, nil
}

// SetStatus changes a conversation's status. Closing clears its SLA deadline;
// reopening restores the provisional deadline if a customer is still waiting.
func (s *Store) SetStatus(ctx context.Context, id int64, st inbox.Status) error {
	if !st.Valid() {
		return fmt.Errorf("store: set status of conversation %d: unknown status %q", id, st)
	}
	const due = `CASE WHEN ?1 = 'closed' OR waiting_since IS NULL THEN NULL
		ELSE waiting_since + CASE kind WHEN 'comment' THEN ?2 WHEN 'dm' THEN ?3 ELSE ?4 END END`
	r, err := s.db.ExecContext(ctx, `
		UPDATE conversations SET status = ?1, sla_due_at = `+due+`, sla_key = coalesce(`+due+`, ?6)
		WHERE id = ?5`,
		st, slaTarget(inbox.KindComment).Milliseconds(), slaTarget(inbox.KindDM).Milliseconds(),
		slaTarget(inbox.KindMail).Milliseconds(), id, int64(noSLA))
	return affectedOne(r, err, fmt.Sprintf("store: set status of conversation %d", id))
}

// SetAssignee assigns a conversation to a team member; "" unassigns it.
func (s *Store) SetAssignee(ctx context.Context, id int64, assignee string) error {
	r, err := s.db.ExecContext(ctx, `UPDATE conversations SET assignee = ? WHERE id = ?`, strings.TrimSpace(assignee), id)
	return affectedOne(r, err, fmt.Sprintf("store: set assignee of conversation %d", id))
}

// AddTag tags a conversation; adding a tag it already has does nothing.
func (s *Store) AddTag(ctx context.Context, id int64, tag string) error {
	tag = strings.TrimSpace(tag)
	if tag == "" || strings.Contains(tag, tagSep) {
		return fmt.Errorf("store: tag conversation %d: invalid tag %q", id, tag)
	}
	r, err := s.db.ExecContext(ctx, sqlInsertTag, tag, id)
	if err != nil {
		return fmt.Errorf("store: tag conversation %d with %q: %w", id, tag, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return s.mustExist(ctx, id, fmt.Sprintf("store: tag conversation %d with %q", id, tag))
	}
	return nil
}

// RemoveTag removes a tag from a conversation; removing a missing tag does nothing.
func (s *Store) RemoveTag(ctx context.Context, id int64, tag string) error {
	r, err := s.db.ExecContext(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ? AND tag = ?`, id, strings.TrimSpace(tag))
	if err != nil {
		return fmt.Errorf("store: untag conversation %d: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return s.mustExist(ctx, id, fmt.Sprintf("store: untag conversation %d", id))
	}
	return nil
}

// Tags returns every tag in use with its conversation count, most used first.
func (s *Store) Tags(ctx context.Context) ([]TagCount, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT tag, count(*) AS n FROM conversation_tags GROUP BY tag ORDER BY n DESC, tag`)
	if err != nil {
		return nil, fmt.Errorf("store: list tags: %w", err)
	}
	defer rows.Close()
	out := []TagCount{}
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Count); err != nil {
			return nil, fmt.Errorf("store: list tags: %w", err)
		}
		out = append(out, tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list tags: %w", err)
	}
	return out, nil
}

// mustExist returns nil if conversation id exists and an error wrapping ErrNotFound if not.
func (s *Store) mustExist(ctx context.Context, id int64, what string) error {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// affectedOne turns an UPDATE of one conversation into nil, its error, or ErrNotFound.
func affectedOne(r sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}
