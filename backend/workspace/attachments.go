package workspace

import (
	"context"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// AttachmentFileName is the name an attachment is saved under: its own, or
// its kind with an extension from its content type ("image.jpg"), without
// any directory part a platform's name could carry.
func AttachmentFileName(a inbox.Attachment) string {
	name := filepath.Base(strings.ReplaceAll(a.Name, `\`, "/"))
	if a.Name != "" && name != "." && name != "/" && name != ".." {
		return name
	}
	base := a.Kind
	if base == "" {
		base = "attachment"
	}
	mt, _, _ := mime.ParseMediaType(a.ContentType)
	if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
		return base + preferredExt(mt, exts)
	}
	return base
}

// preferredExt picks the usual extension where Go's table lists several
// (image/jpeg gives .jfif first on some systems).
func preferredExt(mt string, exts []string) string {
	usual := map[string]string{"image/jpeg": ".jpg", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "video/mp4": ".mp4", "application/pdf": ".pdf", "image/webp": ".webp"}
	if e, ok := usual[mt]; ok {
		return e
	}
	return exts[0]
}

// attachment finds attachment index of a message and the connector that
// can fetch it. The caller closes nothing: the returned func does.
func (w *Workspace) attachment(ctx context.Context, sec SecretStore, messageID int64, index int) (inbox.Attachment, channels.MediaFetcher, func(), error) {
	none := func() {}
	accountID, a, err := w.pickAttachment(ctx, messageID, index)
	if err != nil {
		return a, nil, none, err
	}
	if a.Ref == "" {
		return a, nil, none, fmt.Errorf("message %d attachment %q: %w", messageID, a.Name, channels.ErrMediaUnavailable)
	}
	acc, err := w.Store.AccountByID(ctx, accountID)
	if err != nil {
		return a, nil, none, err
	}
	_, conn, err := w.Connector(ctx, sec, acc.Name)
	if err != nil {
		return a, nil, none, fmt.Errorf("account %s cannot fetch attachments: %w", acc.Name, err)
	}
	closeConn := none
	if cl, ok := conn.(io.Closer); ok {
		closeConn = func() { _ = cl.Close() }
	}
	f, ok := conn.(channels.MediaFetcher)
	if !ok {
		closeConn()
		return a, nil, none, fmt.Errorf("account %s (%s): %w", acc.Name, acc.Channel, channels.ErrMediaUnavailable)
	}
	return a, f, closeConn, nil
}

// FetchAttachment copies the bytes of attachment index of a message to dst,
// fetched from the platform now (they are not stored), at most
// channels.MaxMediaBytes. It returns the attachment with the name to save it under.
func (w *Workspace) FetchAttachment(ctx context.Context, sec SecretStore, messageID int64, index int, dst io.Writer) (inbox.Attachment, int64, error) {
	a, f, done, err := w.attachment(ctx, sec, messageID, index)
	if err != nil {
		return a, 0, err
	}
	defer done()
	n, err := f.FetchMedia(ctx, a, channels.MaxMediaBytes, dst)
	if err != nil {
		return a, n, fmt.Errorf("attachment %d of message %d: %w", index, messageID, err)
	}
	a.Name = AttachmentFileName(a)
	if a.Size == 0 {
		a.Size = n
	}
	w.Log.Info("attachment fetched", "message", messageID, "index", index, "bytes", n)
	return a, n, nil
}

// SaveAttachment fetches attachment index of a message into path. The bytes
// go to a temporary file beside it that replaces path only when the whole
// attachment arrived and its hash matched, so a failure leaves no half file.
func (w *Workspace) SaveAttachment(ctx context.Context, sec SecretStore, messageID int64, index int, path string) (inbox.Attachment, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return inbox.Attachment{}, fmt.Errorf("save attachment: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	a, _, err := w.FetchAttachment(ctx, sec, messageID, index, tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("save attachment: %w", cerr)
	}
	if err != nil {
		return a, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return a, fmt.Errorf("save attachment: %w", err)
	}
	return a, nil
}

// pickAttachment returns the account of a message and its attachment index.
func (w *Workspace) pickAttachment(ctx context.Context, messageID int64, index int) (int64, inbox.Attachment, error) {
	accountID, list, err := w.Store.MessageAttachments(ctx, messageID)
	if err != nil {
		return 0, inbox.Attachment{}, err
	}
	if index < 0 || index >= len(list) {
		return 0, inbox.Attachment{}, apperr.NotFound("attachment", fmt.Errorf("message %d has no attachment %d", messageID, index))
	}
	return accountID, list[index], nil
}

// AttachmentName is the name attachment index of a message is saved under
// (AttachmentFileName), for the save dialog to suggest before fetching.
func (w *Workspace) AttachmentName(ctx context.Context, messageID int64, index int) (string, error) {
	_, a, err := w.pickAttachment(ctx, messageID, index)
	if err != nil {
		return "", err
	}
	return AttachmentFileName(a), nil
}
