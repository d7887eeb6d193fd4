package main

import (
	"bytes"
	"context"
	"encoding/base64"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// AttachmentSave says what SaveAttachment did. In the window (Dialog true)
// the file was written to Path, empty when the person cancelled the dialog.
// Outside it (the browser of serve, a team server's page) Data holds the
// bytes in base64 for the page to download as Name.
type AttachmentSave struct {
	Dialog      bool   `json:"dialog"`
	Path        string `json:"path"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Data        string `json:"data"`
}

// SaveAttachment fetches attachment index of a message from its platform
// (WhatsApp, Messenger, Instagram: the bytes are not stored) and saves it
// where the person chooses in the window's save dialog.
func (s *InboxService) SaveAttachment(messageID int64, index int) (AttachmentSave, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (AttachmentSave, error) {
		wctx, ok := s.app.dialogContext()
		if !ok {
			var buf bytes.Buffer
			a, n, err := ws.FetchAttachment(ctx, s.app.secrets, messageID, index, &buf)
			if err != nil {
				return AttachmentSave{}, err
			}
			return AttachmentSave{Name: a.Name, ContentType: a.ContentType, Size: n, Data: base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
		}
		name, err := ws.AttachmentName(ctx, messageID, index)
		if err != nil {
			return AttachmentSave{}, err
		}
		path, err := wruntime.SaveFileDialog(wctx, wruntime.SaveDialogOptions{DefaultFilename: name})
		if err != nil || path == "" {
			return AttachmentSave{Dialog: true, Name: name}, err
		}
		a, err := ws.SaveAttachment(ctx, s.app.secrets, messageID, index, path)
		if err != nil {
			return AttachmentSave{Dialog: true, Name: name}, err
		}
		return AttachmentSave{Dialog: true, Path: path, Name: name, ContentType: a.ContentType, Size: a.Size}, nil
	})
}
