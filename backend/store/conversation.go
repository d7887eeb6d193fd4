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

// TagCount is a tag and the number of conversations carrying it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// tagSep joins tags in string_agg results (written literally in the SQL); tags cannot contain it.
const tagSep = "\x1f"

// conversationColumns selects a conversation (alias c), its tags and its author (alias a).
func conversationColumns() string {
	return `c.id, c.account_id, c.channel, c.thread_key, c.kind, c.subject, c.status, c.assignee,
		c.priority, c.snippet, c.sentiment, c.negative_count, c.message_count, c.first_message_at,
		c.last_message_at, c.sla_due_at, c.sla_warn_at, c.sla_state, c.sla_policy, ` + newestReplyFailed("c.id") + `,
		(SELECT z.until FROM conversation_snoozes z WHERE z.conversation_id = c.id),
		(SELECT string_agg(t.tag, '` + tagSep + `') FROM conversation_tags t WHERE t.conversation_id = c.id),
		` + snippetAttachments + `, ` +
		authorColumns("a")
}

// snippetAttachments reads the newest message's attachments only for a
// conversation without a snippet (few rows; messages_thread serves the
// lookup), taking the newest as the snippet does: latest sent_at, then the
// latest stored.
const snippetAttachments = `CASE WHEN c.snippet = '' THEN (SELECT sm.attachments FROM messages sm
		WHERE sm.conversation_id = c.id ORDER BY sm.sent_at DESC, sm.id DESC LIMIT 1) END`

func scanConversation(r scanner) (inbox.Conversation, error) {
	var c inbox.Conversation
	var first, last int64
	var due, warn, snoozed sql.NullInt64
	var tags, media sql.NullString
	dst := []any{&c.ID, &c.AccountID, &c.Channel, &c.ThreadKey, &c.Kind, &c.Subject, &c.Status, &c.Assignee,
		&c.Priority, &c.Snippet, &c.Sentiment, &c.NegativeCount, &c.MessageCount, &first, &last, &due, &warn,
		&c.SLAState, &c.SLAPolicy, &c.FailedSend, &snoozed, &tags, &media}
	adst, adone := authorDest(&c.Author)
	if err := r.Scan(append(dst, adst...)...); err != nil {
		return inbox.Conversation{}, err
	}
	adone()
	// A time out of range is shown clamped and the row marked, rather than
	// failing the page or thread it is on.
	var clamped [4]bool
	c.FirstMessageAt, clamped[0] = readMS(first)
	c.LastMessageAt, clamped[1] = readMS(last)
	c.SLADueAt, clamped[2] = readNullMS(due)
	c.SLAWarnAt, clamped[3] = readNullMS(warn)
	c.SuspiciousDate = clamped != [4]bool{}
	c.SnoozedUntil = nullMS(snoozed)
	c.Tags = splitList(tags.String, tagSep)
	// A damaged attachments value only loses the list's naming of them (the
	// thread reports it), so it does not fail the page.
	c.SnippetAttachments, _ = parseAttachments(media.String)
	if c.SnippetAttachments == nil {
		c.SnippetAttachments = []inbox.Attachment{}
	}
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

// SetStatus changes a conversation's status; see SetStatusBy.
func (s *Store) SetStatus(ctx context.Context, id int64, st inbox.Status) error {
	return s.SetStatusBy(ctx, id, st, "")
}

// SetStatusBy changes a conversation's status, records the change with its time
// and agent ("" if unknown) for the SLA clocks and reports, and recomputes the
// deadline: pending pauses the clocks, closed stops them, open resumes them.
// Setting the current status again changes nothing.
func (s *Store) SetStatusBy(ctx context.Context, id int64, st inbox.Status, agent string) error {
	what := fmt.Sprintf("store: set status of conversation %d", id)
	if !st.Valid() {
		return fmt.Errorf("%s: unknown status %q", what, st)
	}
	now := s.now()
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockConversations(ctx, tx, []int64{id}); err != nil {
			return err
		}
		changed, err := setStatusTx(ctx, tx, now, id, st, agent)
		if err != nil || !changed {
			return err
		}
		return s.refresh(ctx, tx, now, false, id)
	})
}

// setStatusTx sets one conversation's status inside tx and records the change
// as an event; it reports whether the status changed. The caller recomputes
// the deadline (see refresh), once for a whole batch.
func setStatusTx(ctx context.Context, tx *sql.Tx, now time.Time, id int64, st inbox.Status, agent string) (bool, error) {
	var cur inbox.Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM conversations WHERE id = ?`, id).Scan(&cur); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("conversation %d: %w", id, ErrNotFound)
		}
		return false, err
	}
	if cur == st {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET status = ? WHERE id = ?`, st, id); err != nil {
		return false, err
	}
	if err := insertEvent(ctx, tx, id, now, "status", string(st), "", strings.TrimSpace(agent)); err != nil {
		return false, err
	}
	return true, nil
}

// SetPriority sets a conversation's priority (0 normal, higher is more urgent) and
// recomputes its deadline, since SLA rules may match on priority.
func (s *Store) SetPriority(ctx context.Context, id int64, priority int) error {
	what := fmt.Sprintf("store: set priority of conversation %d", id)
	if priority < 0 {
		return fmt.Errorf("%s: priority %d is negative", what, priority)
	}
	now := s.now()
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockConversations(ctx, tx, []int64{id}); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE conversations SET priority = ? WHERE id = ?`, priority, id)
		if err := affectedOne(r, err, "update"); err != nil {
			return err
		}
		return s.refresh(ctx, tx, now, true, id)
	})
}

// SetAuthorVIP marks or unmarks an author as VIP and recomputes the deadlines of
// the author's open and pending conversations.
func (s *Store) SetAuthorVIP(ctx context.Context, authorID int64, vip bool) error {
	what := fmt.Sprintf("store: set VIP of author %d", authorID)
	now := s.now()
	active := `c.author_id = ? AND c.status IN ('open', 'pending')`
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		// Locked before the author's row: a save takes its account's lock first, then writes authors.
		if err := s.lockForRecompute(ctx, tx, "", nil, active, []any{authorID}); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE authors SET vip = ? WHERE id = ?`, vip, authorID)
		if err := affectedOne(r, err, "update"); err != nil {
			return err
		}
		eng, err := s.engineIn(ctx, tx)
		if err != nil {
			return err
		}
		_, err = recomputeWhere(ctx, s.d, tx, eng, now, active, []any{authorID}, repin(ctx, tx, eng, now))
		return err
	})
}

// SetAssignee assigns a conversation to a team member; "" unassigns it.
func (s *Store) SetAssignee(ctx context.Context, id int64, assignee string) error {
	r, err := s.db.ExecContext(ctx, `UPDATE conversations SET assignee = ? WHERE id = ?`, strings.TrimSpace(assignee), id)
	return affectedOne(r, err, fmt.Sprintf("store: set assignee of conversation %d", id))
}

// AddTag tags a conversation and recomputes its deadline (SLA rules may match
// on tags); adding a tag it already has does nothing.
func (s *Store) AddTag(ctx context.Context, id int64, tag string) error {
	tag = strings.TrimSpace(tag)
	what := fmt.Sprintf("store: tag conversation %d with %q", id, tag)
	if tag == "" || strings.Contains(tag, tagSep) {
		return fmt.Errorf("store: tag conversation %d: invalid tag %q", id, tag)
	}
	now := s.now()
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockConversations(ctx, tx, []int64{id}); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, sqlInsertTag, tag, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return mustExist(ctx, tx, id)
		}
		return s.refresh(ctx, tx, now, true, id)
	})
}

// RemoveTag removes a tag from a conversation and recomputes its deadline;
// removing a missing tag does nothing.
func (s *Store) RemoveTag(ctx context.Context, id int64, tag string) error {
	what := fmt.Sprintf("store: untag conversation %d", id)
	now := s.now()
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockConversations(ctx, tx, []int64{id}); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ? AND tag = ?`, id, strings.TrimSpace(tag))
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return mustExist(ctx, tx, id)
		}
		return s.refresh(ctx, tx, now, true, id)
	})
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

// mustExist returns nil if conversation id exists and ErrNotFound if not.
func mustExist(ctx context.Context, q querier, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
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
