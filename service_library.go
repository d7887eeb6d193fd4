package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// ReplyLibraryService keeps what drafts are built from: canned replies, the
// knowledge base of approved statements, and each brand's voice.
type ReplyLibraryService struct{ app *App }

// Canned lists the canned replies matching query (all when empty), best first.
func (s *ReplyLibraryService) Canned(query string) ([]drafts.Canned, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.Canned, error) {
		return ws.CannedReplies(ctx, query)
	})
}

// SaveCanned adds or replaces a canned reply.
func (s *ReplyLibraryService) SaveCanned(c drafts.Canned) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveCanned(ctx, c, time.Now())
	})
}

// DeleteCanned removes a canned reply.
func (s *ReplyLibraryService) DeleteCanned(id string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.DeleteCanned(ctx, id)
	})
}

// KB lists the approved statements and FAQ entries of a brand ("" = all brands).
func (s *ReplyLibraryService) KB(brand string) ([]drafts.KBEntry, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.KBEntry, error) {
		return ws.KBEntries(ctx, brand)
	})
}

// SaveKB adds or replaces a knowledge-base entry.
func (s *ReplyLibraryService) SaveKB(e drafts.KBEntry) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveKBEntry(ctx, e, time.Now())
	})
}

// DeleteKB removes a knowledge-base entry.
func (s *ReplyLibraryService) DeleteKB(id string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.DeleteKBEntry(ctx, id)
	})
}

// Brands returns each brand's drafting voice (tone, signature, default language).
func (s *ReplyLibraryService) Brands() ([]drafts.Brand, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.Brand, error) {
		return ws.Brands(ctx)
	})
}

// SaveBrand stores a brand's drafting voice.
func (s *ReplyLibraryService) SaveBrand(b drafts.Brand) error {
	return do(s.app, func(_ context.Context, ws *workspace.Workspace) error {
		return ws.SaveBrand(b)
	})
}
