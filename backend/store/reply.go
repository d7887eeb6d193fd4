package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ErrConflict means a reply changed (or was claimed by another worker) between
// reading it and writing it; the write was not made.
var ErrConflict = errors.New("reply changed concurrently")

// ReplyPrompt is what a model was sent for a draft, kept for the local audit.
type ReplyPrompt struct {
	ReplyID      string               `json:"replyId"`
	Model        string               `json:"model"`
	Prompt       []drafts.ChatMessage `json:"prompt"`
	Usage        drafts.Usage         `json:"usage"`
	FinishReason string               `json:"finishReason"`
	CreatedAt    time.Time            `json:"createdAt"`
}

// replyColumns selects a reply from the table aliased r.
const replyColumns = `r.id, r.conversation_id, r.state, r.author, r.approver, r.text, r.draft_text, r.lang,
	r.source, r.ai_assisted, r.citations, r.problems, r.injection, r.approval, r.reject_comment,
	r.fail_reason, r.sent_external_id, coalesce(r.idempotency_key, ''), r.updated_at,
	r.template_name, r.template_language, r.template_params`

func scanReply(r scanner) (drafts.Reply, error) {
	var rp drafts.Reply
	var ai int
	var citations, problems, injection, approval string
	var updated int64
	var tName, tLang, tParams string
	if err := r.Scan(&rp.ID, &rp.ConversationID, &rp.State, &rp.Author, &rp.Approver, &rp.Text, &rp.DraftText,
		&rp.Lang, &rp.Source, &ai, &citations, &problems, &injection, &approval, &rp.Comment, &rp.FailReason,
		&rp.ExternalID, &rp.IdempotencyKey, &updated, &tName, &tLang, &tParams); err != nil {
		return drafts.Reply{}, err
	}
	if err := readTemplate(&rp, tName, tLang, tParams); err != nil {
		return drafts.Reply{}, err
	}
	rp.AIAssisted = ai != 0
	rp.UpdatedAt = fromMS(updated)
	for _, f := range []struct {
		name string
		src  string
		dst  any
	}{{"citations", citations, &rp.Citations}, {"problems", problems, &rp.Problems},
		{"injection", injection, &rp.Injection}, {"approval", approval, &rp.Approval}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return drafts.Reply{}, fmt.Errorf("reply %s: decode %s: %w", rp.ID, f.name, err)
		}
	}
	return rp, nil
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// replyJSON encodes the JSON columns of r.
func replyJSON(r drafts.Reply) (citations, problems, injection, approval string, err error) {
	if citations, err = jsonText(r.Citations); err != nil {
		return
	}
	if problems, err = jsonText(r.Problems); err != nil {
		return
	}
	if injection, err = jsonText(r.Injection); err != nil {
		return
	}
	approval, err = jsonText(r.Approval)
	return
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func insertAudit(ctx context.Context, tx *sql.Tx, e drafts.AuditEntry) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO reply_audit (reply_id, at, actor, role, action, from_state, to_state, comment, diff)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ReplyID, ms(e.When), e.Who, string(e.Role), string(e.Action), string(e.From), string(e.To), e.Comment, e.Diff)
	if err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// CreateReply stores a new reply (drafts.NewReply) and its creation audit
// entry in one transaction. The account is the conversation's; the crisis flag
// is recorded from the reply's approval rule. A missing conversation yields an
// error wrapping ErrNotFound.
func (s *Store) CreateReply(ctx context.Context, r drafts.Reply, created drafts.AuditEntry) error {
	if r.ID == "" || created.ReplyID != r.ID {
		return fmt.Errorf("store: create reply %q: the reply and its audit entry need the same non-empty id", r.ID)
	}
	citations, problems, injection, approval, err := replyJSON(r)
	if err != nil {
		return fmt.Errorf("store: create reply %s: %w", r.ID, err)
	}
	tName, tLang, tParams, err := templateColumns(r)
	if err != nil {
		return fmt.Errorf("store: create reply %s: %w", r.ID, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create reply %s: %w", r.ID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO replies (id, conversation_id, account_id, idempotency_key, state, author, approver, text,
			draft_text, lang, source, ai_assisted, citations, problems, injection, approval, crisis,
			reject_comment, fail_reason, sent_external_id, created_at, updated_at,
			template_name, template_language, template_params)
		SELECT ?, c.id, c.account_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		FROM conversations c WHERE c.id = ?`,
		r.ID, nullString(r.IdempotencyKey), string(r.State), r.Author, r.Approver, r.Text, r.DraftText, r.Lang, r.Source,
		r.AIAssisted, citations, problems, injection, approval, r.Approval.TwoPerson, r.Comment, r.FailReason,
		r.ExternalID, ms(r.UpdatedAt), ms(r.UpdatedAt), tName, tLang, tParams, r.ConversationID)
	if err != nil {
		return fmt.Errorf("store: create reply %s: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: create reply %s: conversation %d: %w", r.ID, r.ConversationID, ErrNotFound)
	}
	if err := insertAudit(ctx, tx, created); err != nil {
		return fmt.Errorf("store: create reply %s: %w", r.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create reply %s: commit: %w", r.ID, err)
	}
	return nil
}

// ReplyByID returns one reply or an error wrapping ErrNotFound.
func (s *Store) ReplyByID(ctx context.Context, id string) (drafts.Reply, error) {
	r, err := replyByID(ctx, s.db, id)
	if err != nil {
		return drafts.Reply{}, fmt.Errorf("store: %w", err)
	}
	return r, nil
}

func replyByID(ctx context.Context, q querier, id string) (drafts.Reply, error) {
	r, err := scanReply(q.QueryRowContext(ctx, `SELECT `+replyColumns+` FROM replies r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return drafts.Reply{}, fmt.Errorf("reply %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return drafts.Reply{}, fmt.Errorf("reply %s: %w", id, err)
	}
	return r, nil
}

// RepliesByConversation returns a conversation's replies, oldest first.
func (s *Store) RepliesByConversation(ctx context.Context, conversationID int64) ([]drafts.Reply, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+replyColumns+` FROM replies r
		WHERE r.conversation_id = ? ORDER BY r.created_at, r.id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("store: replies of conversation %d: %w", conversationID, err)
	}
	defer rows.Close()
	out := []drafts.Reply{}
	for rows.Next() {
		r, err := scanReply(rows)
		if err != nil {
			return nil, fmt.Errorf("store: replies of conversation %d: %w", conversationID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: replies of conversation %d: %w", conversationID, err)
	}
	return out, nil
}

// ApplyReplyStep loads reply id, runs step on it (usually drafts.Apply in a
// closure; an error leaves the stored reply untouched) and writes the new state and
// the audit entry in one transaction. The write is conditional on the state
// and updated_at read, so of two people acting at once exactly one wins; the
// other gets the step's error (e.g. drafts.ErrInvalidTransition: it is no
// longer submitted) or ErrConflict. Queueing (and a person's retry) makes
// the reply due now and clears any unknown-outcome mark: the person decided
// to send it again.
func (s *Store) ApplyReplyStep(ctx context.Context, id string, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) (drafts.Reply, error) {
	return s.applyReplyStep(ctx, id, false, step)
}

// ErrSuperseded means another answer reached the conversation after a reply
// was drafted; the error is a *SupersededError saying when.
var ErrSuperseded = errors.New("another reply was sent after this one was drafted")

// SupersededError is a step refused because the conversation was answered
// after the reply was drafted: another reply was sent (At is when) or is in
// the outbox (At is when it was queued), or an outbound message arrived.
type SupersededError struct {
	ReplyID string
	At      time.Time
}

func (e *SupersededError) Error() string {
	return fmt.Sprintf("reply %s: another reply was sent at %s, after it was drafted", e.ReplyID, e.At.UTC().Format(time.RFC3339))
}

func (e *SupersededError) Unwrap() error { return ErrSuperseded }

// ApplyReplyStepUnlessSuperseded is ApplyReplyStep refused with a
// *SupersededError when the conversation was answered after the reply was
// created: approving or queueing it would answer the customer twice. The
// check runs in the step's transaction, so a reply sent by another member a
// moment earlier is seen.
func (s *Store) ApplyReplyStepUnlessSuperseded(ctx context.Context, id string, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) (drafts.Reply, error) {
	return s.applyReplyStep(ctx, id, true, step)
}

// supersededAt is when reply id's conversation was last answered after the
// reply was created (zero when it was not): another reply sent since, one
// in the outbox, or an outbound message from the platform since.
func supersededAt(ctx context.Context, q querier, id string) (time.Time, error) {
	var at sql.NullInt64
	err := q.QueryRowContext(ctx, `
		SELECT max(t) FROM (
			SELECT o.sent_at AS t FROM replies o JOIN replies r ON r.conversation_id = o.conversation_id
			WHERE r.id = ? AND o.id <> r.id AND o.state = 'sent' AND o.sent_at > r.created_at
			UNION ALL
			SELECT o.updated_at FROM replies o JOIN replies r ON r.conversation_id = o.conversation_id
			WHERE r.id = ? AND o.id <> r.id AND o.state = 'queued'
			UNION ALL
			SELECT m.sent_at FROM messages m JOIN replies r ON r.conversation_id = m.conversation_id
			WHERE r.id = ? AND m.direction = 'out' AND m.sent_at > r.created_at
		) answers`, id, id, id).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("reply %s: answers since drafted: %w", id, err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return fromMS(at.Int64), nil
}

func (s *Store) applyReplyStep(ctx context.Context, id string, unlessSuperseded bool, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) (drafts.Reply, error) {
	var out drafts.Reply
	err := s.replyTx(ctx, func(tx *sql.Tx) error {
		if unlessSuperseded {
			at, err := supersededAt(ctx, tx, id)
			if err != nil {
				return err
			}
			if !at.IsZero() {
				return &SupersededError{ReplyID: id, At: at}
			}
		}
		next, e, err := applyStep(ctx, tx, id, step, nil)
		if err != nil {
			return err
		}
		if next.State == drafts.StateQueued {
			if _, err := tx.ExecContext(ctx, `UPDATE replies SET next_attempt_at = ?, attempt_open = 0, last_error = ''
				WHERE id = ?`, ms(e.When), id); err != nil {
				return fmt.Errorf("schedule reply %s: %w", id, err)
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return drafts.Reply{}, fmt.Errorf("store: apply step to reply %s: %w", id, err)
	}
	return out, nil
}

func (s *Store) replyTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// applyStep runs step on the stored reply inside tx and writes the result
// conditionally on the previous state and updated_at. want, if not nil,
// restricts the state the step may produce.
func applyStep(ctx context.Context, tx *sql.Tx, id string, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error), want []drafts.State) (drafts.Reply, drafts.AuditEntry, error) {
	prev, err := replyByID(ctx, tx, id)
	if err != nil {
		return drafts.Reply{}, drafts.AuditEntry{}, err
	}
	next, e, err := step(prev)
	if err != nil {
		return drafts.Reply{}, drafts.AuditEntry{}, err
	}
	if next.ID != prev.ID || next.ConversationID != prev.ConversationID || e.ReplyID != prev.ID {
		return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: the step changed the reply's identity", id)
	}
	if want != nil {
		ok := false
		for _, w := range want {
			ok = ok || next.State == w
		}
		if !ok {
			return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: step ended in state %s, want %v", id, next.State, want)
		}
	}
	citations, problems, injection, approval, err := replyJSON(next)
	if err != nil {
		return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE replies SET state = ?, approver = ?, text = ?, lang = ?, citations = ?, problems = ?,
			injection = ?, approval = ?, reject_comment = ?, fail_reason = ?, sent_external_id = ?,
			idempotency_key = coalesce(idempotency_key, ?), updated_at = ?
		WHERE id = ? AND state = ? AND updated_at = ?`,
		string(next.State), next.Approver, next.Text, next.Lang, citations, problems, injection, approval,
		next.Comment, next.FailReason, next.ExternalID, nullString(next.IdempotencyKey), ms(next.UpdatedAt),
		id, string(prev.State), ms(prev.UpdatedAt))
	if err != nil {
		return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: %w", id, ErrConflict)
	}
	if err := insertAudit(ctx, tx, e); err != nil {
		return drafts.Reply{}, drafts.AuditEntry{}, fmt.Errorf("reply %s: %w", id, err)
	}
	return next, e, nil
}

// ReplyAudit returns the audit trail of a reply, oldest first.
func (s *Store) ReplyAudit(ctx context.Context, id string) ([]drafts.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT reply_id, at, actor, role, action, from_state, to_state, comment, diff
		FROM reply_audit WHERE reply_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: audit of reply %s: %w", id, err)
	}
	defer rows.Close()
	out := []drafts.AuditEntry{}
	for rows.Next() {
		var e drafts.AuditEntry
		var at int64
		if err := rows.Scan(&e.ReplyID, &at, &e.Who, &e.Role, &e.Action, &e.From, &e.To, &e.Comment, &e.Diff); err != nil {
			return nil, fmt.Errorf("store: audit of reply %s: %w", id, err)
		}
		e.When = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit of reply %s: %w", id, err)
	}
	return out, nil
}

// LogReplyPrompt keeps what the model was sent for a reply's draft. Only the
// prompt messages, model, usage and finish reason are stored; never the key.
func (s *Store) LogReplyPrompt(ctx context.Context, p ReplyPrompt) error {
	prompt, err := jsonText(p.Prompt)
	if err != nil {
		return fmt.Errorf("store: log prompt of reply %s: %w", p.ReplyID, err)
	}
	usage, err := json.Marshal(p.Usage)
	if err != nil {
		return fmt.Errorf("store: log prompt of reply %s: %w", p.ReplyID, err)
	}
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO reply_prompts (reply_id, model, prompt, usage, finish_reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.ReplyID, p.Model, prompt, string(usage), p.FinishReason, ms(p.CreatedAt)); err != nil {
		return fmt.Errorf("store: log prompt of reply %s: %w", p.ReplyID, err)
	}
	return nil
}

// ReplyPrompts returns the logged prompts of a reply, oldest first.
func (s *Store) ReplyPrompts(ctx context.Context, replyID string) ([]ReplyPrompt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT model, prompt, usage, finish_reason, created_at
		FROM reply_prompts WHERE reply_id = ? ORDER BY id`, replyID)
	if err != nil {
		return nil, fmt.Errorf("store: prompts of reply %s: %w", replyID, err)
	}
	defer rows.Close()
	out := []ReplyPrompt{}
	for rows.Next() {
		p := ReplyPrompt{ReplyID: replyID}
		var prompt, usage string
		var at int64
		if err := rows.Scan(&p.Model, &prompt, &usage, &p.FinishReason, &at); err != nil {
			return nil, fmt.Errorf("store: prompts of reply %s: %w", replyID, err)
		}
		if err := json.Unmarshal([]byte(prompt), &p.Prompt); err != nil {
			return nil, fmt.Errorf("store: prompts of reply %s: decode prompt: %w", replyID, err)
		}
		if err := json.Unmarshal([]byte(usage), &p.Usage); err != nil {
			return nil, fmt.Errorf("store: prompts of reply %s: decode usage: %w", replyID, err)
		}
		p.CreatedAt = fromMS(at)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: prompts of reply %s: %w", replyID, err)
	}
	return out, nil
}

// DueOutbox returns up to limit queued replies whose next attempt is due at
// now, earliest first, with their conversation's addressing and whether the
// conversation got a message after the approval (drafts.Outbox's work list).
// It reserves nothing: ClaimOutbox is what a sender calls.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]drafts.OutboxItem, error) {
	if limit <= 0 {
		limit = 50
	}
	out, err := outboxItems(ctx, s.db, `r.state = 'queued' AND r.next_attempt_at <= ? ORDER BY r.next_attempt_at, r.id LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due outbox: %w", err)
	}
	return out, nil
}

// ClaimOutbox is DueOutbox for a sender. On PostgreSQL, where several server
// instances share the outbox, it locks the due rows with FOR UPDATE SKIP
// LOCKED (rows another instance is claiming right now are passed over, not
// waited for) and, in the same transaction, moves their next attempt to
// now+lease: the other instances skip them until the lease ends. The
// per-reply claim (MarkAttempt) still follows before each send; a reservation
// whose instance dies before it only delays the reply by the lease, and one
// that dies after it leaves an open attempt, resolved as after any crash.
// SQLite has one process, so it lists without reserving.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]drafts.OutboxItem, error) {
	if !s.d.pg {
		return s.DueOutbox(ctx, now, limit)
	}
	if limit <= 0 {
		limit = 50
	}
	var out []drafts.OutboxItem
	err := s.replyTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM replies WHERE state = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`, ms(now), limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		in := placeholders(len(ids))
		// Read before the reservation, so the items carry the due time they had.
		if out, err = outboxItems(ctx, tx, `r.id IN (`+in+`) ORDER BY r.next_attempt_at, r.id`, ids...); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE replies SET next_attempt_at = ? WHERE id IN (`+in+`)`,
			append([]any{ms(now.Add(lease))}, ids...)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	return out, nil
}

// ReleaseOutbox undoes ClaimOutbox's reservation of items that were not
// attempted (the sender is stopping): each is due again at its old time,
// unless it was claimed or changed since. On SQLite nothing was reserved.
func (s *Store) ReleaseOutbox(ctx context.Context, items []drafts.OutboxItem) error {
	if !s.d.pg || len(items) == 0 {
		return nil
	}
	err := s.replyTx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, `UPDATE replies SET next_attempt_at = ?
				WHERE id = ? AND state = 'queued' AND attempts = ?`, ms(it.NextAttemptAt), it.Reply.ID, it.Attempts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: release %d outbox replies: %w", len(items), err)
	}
	return nil
}

// outboxItems reads the outbox items of the replies where (a condition on
// replies r, with its ORDER BY and LIMIT) selects.
func outboxItems(ctx context.Context, q querier, where string, args ...any) ([]drafts.OutboxItem, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT `+replyColumns+`, r.account_id, a.channel, r.attempts, r.attempt_open,
			r.last_attempt_at, r.next_attempt_at, r.last_error, c.thread_key, c.kind, c.subject,
			coalesce((SELECT m.external_id FROM messages m
				WHERE m.conversation_id = c.id AND m.direction = 'in'
				ORDER BY m.sent_at DESC, m.id DESC LIMIT 1), ''),
			EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sent_at >
				(SELECT coalesce(max(au.at), r.created_at) FROM reply_audit au
				 WHERE au.reply_id = r.id AND au.action IN ('approve', 'self-review', 'retry')))
		FROM replies r
		JOIN conversations c ON c.id = r.conversation_id
		JOIN accounts a ON a.id = r.account_id
		WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []drafts.OutboxItem
	for rows.Next() {
		var e drafts.OutboxItem
		var open int
		var last sql.NullInt64
		var next int64
		r, err := scanReply(prefixScan{rows, []any{&e.AccountID, &e.Channel, &e.Attempts, &open, &last, &next,
			&e.LastError, &e.ThreadKey, &e.Kind, &e.Subject, &e.InReplyTo, &e.ChangedSinceApproval}})
		if err != nil {
			return nil, err
		}
		e.Reply, e.AttemptOpen, e.LastAttemptAt, e.NextAttemptAt = r, open != 0, nullMS(last), fromMS(next)
		out = append(out, e)
	}
	return out, rows.Err()
}

// prefixScan appends extra destinations after those scanReply asks for.
type prefixScan struct {
	r     scanner
	extra []any
}

func (p prefixScan) Scan(dest ...any) error { return p.r.Scan(append(dest, p.extra...)...) }

// MarkAttempt claims a queued reply for one send attempt and commits before
// the connector is called: attempts+1, last_attempt_at = at, the attempt
// marked open, and the reply hidden from DueOutbox until at+lease so no other
// worker picks it up meanwhile. attemptsSeen is the attempt count the caller
// read; if the reply moved on since (another worker claimed it, it is no
// longer queued) the claim fails with ErrConflict.
func (s *Store) MarkAttempt(ctx context.Context, id string, attemptsSeen int, at time.Time, lease time.Duration) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE replies SET attempts = attempts + 1, attempt_open = 1, last_attempt_at = ?, next_attempt_at = ?
		WHERE id = ? AND state = 'queued' AND attempts = ?`, ms(at), ms(at.Add(lease)), id, attemptsSeen)
	if err != nil {
		return fmt.Errorf("store: claim reply %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: claim reply %s: %w", id, ErrConflict)
	}
	return nil
}

// MarkSent records a delivered reply in one transaction: step (the outbox's
// drafts.ActionSent) must end in drafts.StateSent; its audit entry, the
// sent time and, when out is not nil, the outbound message in the
// conversation (so the thread and the SLA clock see the answer at once; the
// platform's copy fetched later is a duplicate by external id).
func (s *Store) MarkSent(ctx context.Context, id string, sentAt time.Time, out *inbox.Item, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) error {
	record := func(tx *sql.Tx) error {
		if _, _, err := applyStep(ctx, tx, id, step, []drafts.State{drafts.StateSent}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE replies SET attempt_open = 0, next_attempt_at = NULL, last_error = '',
			sent_at = ? WHERE id = ?`, ms(sentAt), id); err != nil {
			return fmt.Errorf("reply %s: %w", id, err)
		}
		return nil
	}
	if out == nil {
		if err := s.replyTx(ctx, record); err != nil {
			return fmt.Errorf("store: mark reply %s sent: %w", id, err)
		}
		return nil
	}
	var account int64
	if err := s.db.QueryRowContext(ctx, `SELECT account_id FROM replies WHERE id = ?`, id).Scan(&account); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = ErrNotFound
		}
		return fmt.Errorf("store: mark reply %s sent: %w", id, err)
	}
	if _, err := s.saveItems(ctx, account, []inbox.Item{*out}, record); err != nil {
		return fmt.Errorf("store: mark reply %s sent: %w", id, err)
	}
	return nil
}

// MarkFailed records that the outbox gave up on a reply: step (the outbox's
// drafts.ActionFail) must end in drafts.StateFailed; the reason is visible to
// people, who may retry.
func (s *Store) MarkFailed(ctx context.Context, id string, step func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) error {
	err := s.replyTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := applyStep(ctx, tx, id, step, []drafts.State{drafts.StateFailed}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE replies SET attempt_open = 0, next_attempt_at = NULL WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: mark reply %s failed: %w", id, err)
	}
	return nil
}

// Reschedule closes the current attempt of a queued reply as not sent and
// makes it due again at next; lastErr is shown while it waits.
func (s *Store) Reschedule(ctx context.Context, id string, next time.Time, lastErr string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE replies SET attempt_open = 0, next_attempt_at = ?, last_error = ?
		WHERE id = ? AND state = 'queued'`, ms(next), lastErr, id)
	if err != nil {
		return fmt.Errorf("store: reschedule reply %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: reschedule reply %s: not queued: %w", id, ErrConflict)
	}
	return nil
}
