package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

// PutKBEntry inserts or replaces a knowledge-base entry (an approved
// statement a draft may rely on). ID, title and text are required.
func (s *Store) PutKBEntry(ctx context.Context, e drafts.KBEntry, now time.Time) error {
	if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Title) == "" || strings.TrimSpace(e.Text) == "" {
		return fmt.Errorf("store: put KB entry %q: id, title and text are required", e.ID)
	}
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO kb_entries (id, brand, title, text, lang, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET brand = excluded.brand, title = excluded.title, text = excluded.text,
			lang = excluded.lang, updated_at = excluded.updated_at`,
		e.ID, e.Brand, e.Title, e.Text, e.Lang, ms(now)); err != nil {
		return fmt.Errorf("store: put KB entry %s: %w", e.ID, err)
	}
	return nil
}

// KBEntries returns the entries usable for brand (its own and those for every
// brand), by title; brand "" returns all entries.
func (s *Store) KBEntries(ctx context.Context, brand string) ([]drafts.KBEntry, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, brand, title, text, lang FROM kb_entries
		WHERE ? = '' OR brand = '' OR brand = ?
		ORDER BY title, id`, brand, brand)
	if err != nil {
		return nil, fmt.Errorf("store: KB entries of %q: %w", brand, err)
	}
	defer rows.Close()
	out := []drafts.KBEntry{}
	for rows.Next() {
		var e drafts.KBEntry
		if err := rows.Scan(&e.ID, &e.Brand, &e.Title, &e.Text, &e.Lang); err != nil {
			return nil, fmt.Errorf("store: KB entries of %q: %w", brand, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: KB entries of %q: %w", brand, err)
	}
	return out, nil
}

// DeleteKBEntry removes an entry, or returns an error wrapping ErrNotFound.
// Replies that cited it keep the id in their citations and audit.
func (s *Store) DeleteKBEntry(ctx context.Context, id string) error {
	return deleteOne(ctx, s, `DELETE FROM kb_entries WHERE id = ?`, "KB entry", id)
}

// PutCanned inserts or replaces a canned reply. ID, title and body are required.
func (s *Store) PutCanned(ctx context.Context, c drafts.Canned, now time.Time) error {
	if strings.TrimSpace(c.ID) == "" || strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Body) == "" {
		return fmt.Errorf("store: put canned reply %q: id, title and body are required", c.ID)
	}
	tags, err := jsonText(c.Tags)
	if err != nil {
		return fmt.Errorf("store: put canned reply %s: %w", c.ID, err)
	}
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO canned_replies (id, title, lang, body, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, lang = excluded.lang, body = excluded.body,
			tags = excluded.tags, updated_at = excluded.updated_at`,
		c.ID, c.Title, c.Lang, c.Body, tags, ms(now)); err != nil {
		return fmt.Errorf("store: put canned reply %s: %w", c.ID, err)
	}
	return nil
}

// CannedReplies returns every canned reply by title; drafts.Search ranks them
// for the composer.
func (s *Store) CannedReplies(ctx context.Context) ([]drafts.Canned, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, lang, body, tags FROM canned_replies ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("store: canned replies: %w", err)
	}
	defer rows.Close()
	out := []drafts.Canned{}
	for rows.Next() {
		var c drafts.Canned
		var tags string
		if err := rows.Scan(&c.ID, &c.Title, &c.Lang, &c.Body, &tags); err != nil {
			return nil, fmt.Errorf("store: canned replies: %w", err)
		}
		if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
			return nil, fmt.Errorf("store: canned reply %s: decode tags: %w", c.ID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: canned replies: %w", err)
	}
	return out, nil
}

// DeleteCanned removes a canned reply, or returns an error wrapping ErrNotFound.
func (s *Store) DeleteCanned(ctx context.Context, id string) error {
	return deleteOne(ctx, s, `DELETE FROM canned_replies WHERE id = ?`, "canned reply", id)
}

func deleteOne(ctx context.Context, s *Store, query, what, id string) error {
	res, err := s.db.ExecContext(ctx, query, id)
	if err != nil {
		return fmt.Errorf("store: delete %s %s: %w", what, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete %s %s: %w", what, id, ErrNotFound)
	}
	return nil
}
