package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"
)

// SavedView is a named set of inbox filters and an order, saved by an agent
// from the list's current filters and listed in the sidebar.
type SavedView struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	Filters ViewFilters `json:"filters"`
}

// ViewFilters is what a saved view restores: the list's filters as the UI
// holds them (a view of the sidebar plus the filters bar). The store keeps
// them as they are; the inbox query checks them when the view is opened.
type ViewFilters struct {
	Base      string `json:"base"` // the sidebar view the filters were refined from ("all", "mine", "tag:x", …)
	Status    string `json:"status"`
	Channel   string `json:"channel"`
	Sentiment string `json:"sentiment"`
	Order     Order  `json:"order"`
}

// ErrViewName is returned for an empty, too long or already used view name.
var ErrViewName = errors.New("view name is empty, too long or already used")

// maxViewName bounds a view's name, in characters.
const maxViewName = 60

// SavedViews lists the saved views by name.
func (s *Store) SavedViews(ctx context.Context) ([]SavedView, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, filters FROM saved_views ORDER BY lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("store: saved views: %w", err)
	}
	defer rows.Close()
	out := []SavedView{}
	for rows.Next() {
		var v SavedView
		var raw string
		if err := rows.Scan(&v.ID, &v.Name, &raw); err != nil {
			return nil, fmt.Errorf("store: saved views: %w", err)
		}
		if err := json.Unmarshal([]byte(raw), &v.Filters); err != nil {
			return nil, fmt.Errorf("store: saved view %d: %w", v.ID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: saved views: %w", err)
	}
	return out, nil
}

// SaveView stores a new view; a name already used (in any case) is ErrViewName.
func (s *Store) SaveView(ctx context.Context, name string, f ViewFilters) (SavedView, error) {
	name, err := viewName(name)
	if err != nil {
		return SavedView{}, fmt.Errorf("store: save view: %w", err)
	}
	if _, err := specOf(f.Order); err != nil {
		return SavedView{}, fmt.Errorf("store: save view %q: %w", name, err)
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return SavedView{}, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO saved_views (name, filters, created_at) VALUES (?, ?, ?) RETURNING id`, name, string(raw), ms(s.now())).Scan(&id)
	if err != nil {
		return SavedView{}, fmt.Errorf("store: save view %q: %w", name, uniqueName(err))
	}
	return SavedView{ID: id, Name: name, Filters: f}, nil
}

// RenameView renames a saved view; a name already used is ErrViewName.
func (s *Store) RenameView(ctx context.Context, id int64, name string) error {
	name, err := viewName(name)
	if err != nil {
		return fmt.Errorf("store: rename view %d: %w", id, err)
	}
	r, err := s.db.ExecContext(ctx, `UPDATE saved_views SET name = ? WHERE id = ?`, name, id)
	return affectedOne(r, uniqueName(err), fmt.Sprintf("store: rename view %d", id))
}

// DeleteView deletes a saved view.
func (s *Store) DeleteView(ctx context.Context, id int64) error {
	r, err := s.db.ExecContext(ctx, `DELETE FROM saved_views WHERE id = ?`, id)
	return affectedOne(r, err, fmt.Sprintf("store: delete view %d", id))
}

func viewName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxViewName {
		return "", ErrViewName
	}
	return name, nil
}

// uniqueName turns a unique-constraint failure into ErrViewName.
func uniqueName(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique || isUniqueViolation(err) {
		return ErrViewName
	}
	return err
}
