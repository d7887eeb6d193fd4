package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// schemaNoteMentions records who each note mentions (the member's name as the
// team spells it) and when that member read it. The row goes with its note.
const schemaNoteMentions = `
CREATE TABLE note_mentions (
	note_id INTEGER NOT NULL REFERENCES conversation_notes (id) ON DELETE CASCADE,
	member  TEXT    NOT NULL,
	read_at INTEGER,
	PRIMARY KEY (note_id, member)
);

CREATE INDEX note_mentions_member ON note_mentions (member, note_id);
`

// pgSchemaNoteMentions is schemaNoteMentions on PostgreSQL.
const pgSchemaNoteMentions = `
CREATE TABLE note_mentions (
	note_id BIGINT NOT NULL REFERENCES conversation_notes (id) ON DELETE CASCADE,
	member  TEXT   NOT NULL,
	read_at BIGINT,
	PRIMARY KEY (note_id, member)
);

CREATE INDEX note_mentions_member ON note_mentions (member, note_id);
`

// Mention is a note that mentions a member, as that member's Mentions view
// lists it: with whom the conversation is (the customer's display name, else
// their handle) and its subject, so the row says where the note is.
type Mention struct {
	NoteID         int64      `json:"noteId"`
	ConversationID int64      `json:"conversationId"`
	Customer       string     `json:"customer"`
	Subject        string     `json:"subject"`
	Author         string     `json:"author"`
	Body           string     `json:"body"`
	CreatedAt      time.Time  `json:"createdAt" ts_type:"string"`
	ReadAt         *time.Time `json:"readAt" ts_type:"string | null"`
}

// maxMentions bounds the Mentions view: older mentions stay in their threads.
const maxMentions = 200

// insertMentions records that note noteID mentions each of members.
func insertMentions(ctx context.Context, tx *sql.Tx, noteID int64, members []string) error {
	for _, m := range members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO note_mentions (note_id, member) VALUES (?, ?) ON CONFLICT DO NOTHING`, noteID, m); err != nil {
			return fmt.Errorf("mention %s: %w", m, err)
		}
	}
	return nil
}

// Mentions returns the notes that mention member: unread first, each part
// newest first.
func (s *Store) Mentions(ctx context.Context, member string) ([]Mention, error) {
	what := fmt.Sprintf("store: mentions of %s", member)
	rows, err := s.db.QueryContext(ctx, `
		SELECT n.id, n.conversation_id, coalesce(nullif(a.display_name, ''), a.handle, ''), c.subject,
			n.author, n.body, n.created_at, m.read_at
		FROM note_mentions m
		JOIN conversation_notes n ON n.id = m.note_id
		JOIN conversations c ON c.id = n.conversation_id
		LEFT JOIN authors a ON a.id = c.author_id
		WHERE m.member = ?
		ORDER BY CASE WHEN m.read_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC, n.id DESC
		LIMIT ?`, member, maxMentions)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []Mention{}
	for rows.Next() {
		var m Mention
		var at int64
		var read sql.NullInt64
		if err := rows.Scan(&m.NoteID, &m.ConversationID, &m.Customer, &m.Subject, &m.Author, &m.Body, &at, &read); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		m.CreatedAt = fromMS(at)
		if read.Valid {
			r := fromMS(read.Int64)
			m.ReadAt = &r
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// MarkMentionsRead marks member's mentions in the notes noteIDs read. Notes
// that do not mention member, and mentions read before, are left as they are.
func (s *Store) MarkMentionsRead(ctx context.Context, member string, noteIDs []int64) error {
	if len(noteIDs) == 0 {
		return nil
	}
	args := []any{ms(s.now().UTC()), member}
	for _, id := range noteIDs {
		args = append(args, id)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(noteIDs)), ", ")
	if _, err := s.db.ExecContext(ctx, `UPDATE note_mentions SET read_at = ? WHERE member = ? AND read_at IS NULL AND note_id IN (`+in+`)`, args...); err != nil {
		return fmt.Errorf("store: mark mentions of %s read: %w", member, err)
	}
	return nil
}

// noteMentions fills the Mentions of notes (one query for all of them).
func (s *Store) noteMentions(ctx context.Context, notes []Note) error {
	if len(notes) == 0 {
		return nil
	}
	at := map[int64]int{}
	args := make([]any, 0, len(notes))
	for i, n := range notes {
		at[n.ID] = i
		args = append(args, n.ID)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(notes)), ", ")
	rows, err := s.db.QueryContext(ctx, `SELECT note_id, member FROM note_mentions WHERE note_id IN (`+in+`) ORDER BY note_id, member`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var member string
		if err := rows.Scan(&id, &member); err != nil {
			return err
		}
		n := &notes[at[id]]
		n.Mentions = append(n.Mentions, member)
	}
	return rows.Err()
}
