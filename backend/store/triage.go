package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Triage is one change applied to a set of conversations at once: a bulk
// action of the list, or a single close, assign or tag that can be undone.
// Zero fields keep what is there.
type Triage struct {
	Status     inbox.Status `json:"status"`     // "" keeps the status
	Assignee   *string      `json:"assignee"`   // nil keeps; pointer to "" unassigns
	AddTags    []string     `json:"addTags"`    // tags to add
	RemoveTags []string     `json:"removeTags"` // tags to remove
	// SnoozeUntil hides the conversations from every view but the snoozed
	// one until that time; nil keeps the snooze, a zero time ends it.
	SnoozeUntil *time.Time `json:"snoozeUntil"`
}

// MaxTriageIDs bounds one triage call: a selection is what the list has loaded.
const MaxTriageIDs = 5000

// undoKeep is how long the prior state of a triage is kept for Undo.
const undoKeep = time.Hour

// priorState is what Undo restores for one conversation.
type priorState struct {
	ID        int64        `json:"id"`
	Status    inbox.Status `json:"status"`
	Assignee  string       `json:"assignee"`
	Tags      []string     `json:"tags"`
	Snooze    *int64       `json:"snooze,omitempty"` // until, Unix ms; nil when not snoozed
	SnoozedAt int64        `json:"snoozedAt,omitempty"`
	SnoozedBy string       `json:"snoozedBy,omitempty"`
}

// ApplyTriage applies t to every conversation in ids in one transaction, for
// agent, and returns the id of an undo entry holding their prior state (see
// Undo). An unknown id fails the whole call with ErrNotFound and changes
// nothing. Deadlines are recomputed once for the batch.
func (s *Store) ApplyTriage(ctx context.Context, ids []int64, t Triage, agent string) (int64, error) {
	what := fmt.Sprintf("store: triage %d conversations", len(ids))
	ids = uniqueIDs(ids)
	switch {
	case len(ids) == 0:
		return 0, fmt.Errorf("%s: no conversations", what)
	case len(ids) > MaxTriageIDs:
		return 0, fmt.Errorf("%s: at most %d at once", what, MaxTriageIDs)
	case t.Status != "" && !t.Status.Valid():
		return 0, fmt.Errorf("%s: unknown status %q", what, t.Status)
	}
	add, err := cleanTags(t.AddTags)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	remove, _ := cleanTags(t.RemoveTags)
	agent = strings.TrimSpace(agent)
	now := s.now()
	var undoID int64
	err = s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockConversations(ctx, tx, ids); err != nil {
			return err
		}
		prior, err := readPrior(ctx, tx, ids)
		if err != nil {
			return err
		}
		if undoID, err = saveUndo(ctx, tx, now, agent, prior); err != nil {
			return err
		}
		tagsChanged := false
		for _, id := range ids {
			if t.Status != "" {
				if _, err := setStatusTx(ctx, tx, now, id, t.Status, agent); err != nil {
					return err
				}
			}
			if t.Assignee != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE conversations SET assignee = ? WHERE id = ?`,
					strings.TrimSpace(*t.Assignee), id); err != nil {
					return err
				}
			}
			for _, tag := range add {
				r, err := tx.ExecContext(ctx, sqlInsertTag, tag, id)
				if err != nil {
					return err
				}
				n, _ := r.RowsAffected()
				tagsChanged = tagsChanged || n > 0
			}
			for _, tag := range remove {
				r, err := tx.ExecContext(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ? AND tag = ?`, id, tag)
				if err != nil {
					return err
				}
				n, _ := r.RowsAffected()
				tagsChanged = tagsChanged || n > 0
			}
			if t.SnoozeUntil != nil {
				if err := snoozeTx(ctx, tx, id, *t.SnoozeUntil, now, agent); err != nil {
					return err
				}
			}
		}
		return s.refresh(ctx, tx, now, tagsChanged, ids...)
	})
	if err != nil {
		return 0, err
	}
	return undoID, nil
}

// Undo restores the conversations of an undo entry to the state they had
// before its triage (status, assignee, tags, snooze), records the status
// changes for agent, deletes the entry and returns the conversations' ids.
// An entry already undone or older than an hour is ErrNotFound.
func (s *Store) Undo(ctx context.Context, undoID int64, agent string) ([]int64, error) {
	what := fmt.Sprintf("store: undo %d", undoID)
	now := s.now()
	var ids []int64
	err := s.inTx(ctx, what, func(tx *sql.Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, `DELETE FROM triage_undo WHERE id = ? AND created_at >= ? RETURNING prior`,
			undoID, ms(now.Add(-undoKeep))).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var prior []priorState
		if err := json.Unmarshal([]byte(raw), &prior); err != nil {
			return fmt.Errorf("read prior state: %w", err)
		}
		lock := make([]int64, len(prior))
		for i, p := range prior {
			lock[i] = p.ID
		}
		if err := s.lockConversations(ctx, tx, lock); err != nil {
			return err
		}
		for _, p := range prior {
			if err := mustExist(ctx, tx, p.ID); errors.Is(err, ErrNotFound) {
				continue // deleted since: nothing to restore
			} else if err != nil {
				return err
			}
			if err := restoreTx(ctx, tx, now, p, agent); err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		if len(ids) == 0 {
			return nil
		}
		return s.refresh(ctx, tx, now, true, ids...)
	})
	return ids, err
}

func restoreTx(ctx context.Context, tx *sql.Tx, now time.Time, p priorState, agent string) error {
	if _, err := setStatusTx(ctx, tx, now, p.ID, p.Status, agent); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET assignee = ? WHERE id = ?`, p.Assignee, p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ?`, p.ID); err != nil {
		return err
	}
	for _, tag := range p.Tags {
		if _, err := tx.ExecContext(ctx, sqlInsertTag, tag, p.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_snoozes WHERE conversation_id = ?`, p.ID); err != nil {
		return err
	}
	if p.Snooze != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO conversation_snoozes (conversation_id, until, snoozed_at, snoozed_by)
			VALUES (?, ?, ?, ?)`, p.ID, *p.Snooze, p.SnoozedAt, p.SnoozedBy); err != nil {
			return err
		}
	}
	return nil
}

// readPrior reads the undoable state of ids; an unknown id is ErrNotFound.
func readPrior(ctx context.Context, tx *sql.Tx, ids []int64) ([]priorState, error) {
	out := make([]priorState, 0, len(ids))
	for _, id := range ids {
		p := priorState{ID: id}
		var tags sql.NullString
		var until, at sql.NullInt64
		var by sql.NullString
		err := tx.QueryRowContext(ctx, `
			SELECT c.status, c.assignee,
				(SELECT string_agg(t.tag, '`+tagSep+`') FROM conversation_tags t WHERE t.conversation_id = c.id),
				z.until, z.snoozed_at, z.snoozed_by
			FROM conversations c LEFT JOIN conversation_snoozes z ON z.conversation_id = c.id
			WHERE c.id = ?`, id).Scan(&p.Status, &p.Assignee, &tags, &until, &at, &by)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("conversation %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("read conversation %d: %w", id, err)
		}
		p.Tags = splitList(tags.String, tagSep)
		if until.Valid {
			p.Snooze, p.SnoozedAt, p.SnoozedBy = &until.Int64, at.Int64, by.String
		}
		out = append(out, p)
	}
	return out, nil
}

// saveUndo stores prior state as a new undo entry and drops entries too old to undo.
func saveUndo(ctx context.Context, tx *sql.Tx, now time.Time, agent string, prior []priorState) (int64, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM triage_undo WHERE created_at < ?`, ms(now.Add(-undoKeep))); err != nil {
		return 0, fmt.Errorf("prune undo entries: %w", err)
	}
	raw, err := json.Marshal(prior)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO triage_undo (created_at, agent, prior) VALUES (?, ?, ?) RETURNING id`, ms(now), agent, string(raw)).Scan(&id); err != nil {
		return 0, fmt.Errorf("save undo entry: %w", err)
	}
	return id, nil
}

// cleanTags trims tags and drops empty ones and repeats; a tag holding the
// list separator is an error.
func cleanTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		tag = strings.TrimSpace(tag)
		if strings.Contains(tag, tagSep) {
			return nil, fmt.Errorf("invalid tag %q", tag)
		}
		if tag != "" && !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out, nil
}

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
