package workspace

import "context"

// SetAuthorVIP marks or unmarks an author as VIP and returns the panel as it is now.
func (w *Workspace) SetAuthorVIP(ctx context.Context, authorID int64, vip bool) (AuthorPanel, error) {
	if err := w.Store.SetAuthorVIP(ctx, authorID, vip); err != nil {
		return AuthorPanel{}, err
	}
	return w.AuthorPanel(ctx, authorID)
}

// SetAuthorNotes replaces the team's notes about an author and returns the
// panel as it is now.
func (w *Workspace) SetAuthorNotes(ctx context.Context, authorID int64, notes string) (AuthorPanel, error) {
	if err := w.Store.SetAuthorNotes(ctx, authorID, notes); err != nil {
		return AuthorPanel{}, err
	}
	return w.AuthorPanel(ctx, authorID)
}
