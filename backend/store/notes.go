package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Note is an internal note on a conversation: written by an agent for the
// team, shown in the thread, never sent to the customer.
type Note struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversationId"`
	Author         string    `json:"author"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"createdAt" ts_type:"string"`
	// Mentions are the members the note @mentions, as the team spells
	// their names (empty when it mentions nobody).
	Mentions []string `json:"mentions"`
}

// MaxNoteLength bounds a note, in characters.
const MaxNoteLength = 10000

// AddNote stores a note by author on conversation id, recording that it
// mentions each of mentions (member names the caller found in body), and
// returns it.
func (s *Store) AddNote(ctx context.Context, id int64, author, body string, mentions ...string) (Note, error) {
	what := fmt.Sprintf("store: note on conversation %d", id)
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return Note{}, fmt.Errorf("%s: the note is empty", what)
	case utf8.RuneCountInString(body) > MaxNoteLength:
		return Note{}, fmt.Errorf("%s: longer than %d characters", what, MaxNoteLength)
	}
	n := Note{ConversationID: id, Author: strings.TrimSpace(author), Body: body, CreatedAt: s.now().UTC().Truncate(time.Millisecond), Mentions: []string{}}
	err := s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO conversation_notes (conversation_id, author, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			id, n.Author, n.Body, ms(n.CreatedAt)).Scan(&n.ID); err != nil {
			return err
		}
		for _, m := range mentions {
			if !slices.Contains(n.Mentions, m) {
				n.Mentions = append(n.Mentions, m)
			}
		}
		return insertMentions(ctx, tx, n.ID, n.Mentions)
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// Notes returns the notes on conversation id, oldest first.
func (s *Store) Notes(ctx context.Context, id int64) ([]Note, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, conversation_id, author, body, created_at FROM conversation_notes
		WHERE conversation_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: notes of conversation %d: %w", id, err)
	}
	defer rows.Close()
	out := []Note{}
	for rows.Next() {
		var n Note
		var at int64
		if err := rows.Scan(&n.ID, &n.ConversationID, &n.Author, &n.Body, &at); err != nil {
			return nil, fmt.Errorf("store: notes of conversation %d: %w", id, err)
		}
		n.CreatedAt = fromMS(at)
		n.Mentions = []string{}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notes of conversation %d: %w", id, err)
	}
	if err := s.noteMentions(ctx, out); err != nil {
		return nil, fmt.Errorf("store: mentions in the notes of conversation %d: %w", id, err)
	}
	return out, nil
}

// DeleteNote removes a note; only its author may. A missing note, or one by
// someone else, is ErrNotFound.
func (s *Store) DeleteNote(ctx context.Context, noteID int64, author string) error {
	r, err := s.db.ExecContext(ctx, `DELETE FROM conversation_notes WHERE id = ? AND author = ?`, noteID, strings.TrimSpace(author))
	return affectedOne(r, err, fmt.Sprintf("store: delete note %d", noteID))
}
