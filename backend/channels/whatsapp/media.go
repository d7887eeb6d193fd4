package whatsapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

var _ channels.MediaFetcher = (*Connector)(nil)

// mediaInfo is what GET /{media-id} answers: a download URL valid for five
// minutes, and what the media is.
type mediaInfo struct {
	ID       string          `json:"id"`
	URL      string          `json:"url"`
	MimeType string          `json:"mime_type"`
	SHA256   string          `json:"sha256"`
	FileSize json.RawMessage `json:"file_size"` // a number, or a number in a string
}

func (m mediaInfo) size() int64 {
	n, _ := strconv.ParseInt(strings.Trim(string(m.FileSize), `"`), 10, 64)
	return n
}

// FetchMedia downloads an incoming media message (Ref is its media id):
// GET /{media-id} for a short-lived URL, then GET that URL with the token.
// The bytes are checked against the SHA-256 WhatsApp gave in the webhook
// and in the media answer. Media Meta no longer keeps (code 100, or a URL
// answering 404) is channels.ErrMediaExpired.
func (c *Connector) FetchMedia(ctx context.Context, a inbox.Attachment, max int64, w io.Writer) (int64, error) {
	if a.Ref == "" {
		return 0, fmt.Errorf("whatsapp media %q: %w", a.Name, channels.ErrMediaUnavailable)
	}
	var info mediaInfo
	q := url.Values{"phone_number_id": {c.c.phoneID}}
	if err := c.c.api.Get(ctx, c.c.token, a.Ref, q, PermMessaging, &info); err != nil {
		if graph.IsMissingObject(err) {
			return 0, fmt.Errorf("whatsapp media %s: %w: %w", a.Ref, channels.ErrMediaExpired, err)
		}
		return 0, fmt.Errorf("whatsapp media %s: %w", a.Ref, err)
	}
	if info.URL == "" {
		return 0, fmt.Errorf("whatsapp media %s: the answer has no url", a.Ref)
	}
	if n := info.size(); n > max {
		return 0, fmt.Errorf("whatsapp media %s: %w", a.Ref, &channels.MediaTooLargeError{Size: n, Limit: max})
	}
	// The bytes go to w as they arrive: the caller writes to a file it
	// discards when the hash does not match.
	h := sha256.New()
	n, _, err := c.c.api.Download(ctx, c.c.token, info.URL, max, io.MultiWriter(w, h))
	if err != nil {
		return n, fmt.Errorf("whatsapp media %s: %w", a.Ref, err)
	}
	sum := h.Sum(nil)
	for _, want := range []string{a.SHA256, info.SHA256} {
		if want != "" && !sameHash(sum, want) {
			return n, fmt.Errorf("whatsapp media %s: %w (sha256 %x, WhatsApp said %s)", a.Ref, channels.ErrMediaCorrupt, sum, want)
		}
	}
	return n, nil
}

// sameHash compares a digest with WhatsApp's text of it: the media answer
// gives hex, webhooks have been seen to give base64, so both are accepted.
func sameHash(sum []byte, text string) bool {
	if b, err := hex.DecodeString(text); err == nil && len(b) == len(sum) {
		return bytes.Equal(b, sum)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil && len(b) == len(sum) {
			return bytes.Equal(b, sum)
		}
	}
	return false
}
