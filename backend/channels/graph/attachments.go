package graph

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// attachmentFields asks the Conversations API for a message's attachments.
const attachmentFields = "attachments{id,mime_type,name,size,image_data{url},video_data{url},file_url}"

// MessageAttachment is one attachment of a Conversations API message.
type MessageAttachment struct {
	ID        string `json:"id"`
	MimeType  string `json:"mime_type"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	ImageData *struct {
		URL string `json:"url"`
	} `json:"image_data"`
	VideoData *struct {
		URL string `json:"url"`
	} `json:"video_data"`
	FileURL string `json:"file_url"`
}

// Attachment is what the inbox keeps of it: the URL to fetch it by later.
func (a MessageAttachment) Attachment() inbox.Attachment {
	out := inbox.Attachment{Name: a.Name, ContentType: a.MimeType, Size: a.Size, Kind: "file", Ref: a.FileURL}
	switch {
	case a.ImageData != nil:
		out.Kind, out.Ref = "image", a.ImageData.URL
	case a.VideoData != nil:
		out.Kind, out.Ref = "video", a.VideoData.URL
	case strings.HasPrefix(a.MimeType, "audio/"):
		out.Kind = "audio"
	}
	if out.Name == "" {
		out.Name = NameFromURL(out.Ref)
	}
	return out
}

// InboxAttachments are the message's attachments as the inbox keeps them, nil for none.
func (m Message) InboxAttachments() []inbox.Attachment {
	var out []inbox.Attachment
	for _, a := range m.Attachments.Data {
		out = append(out, a.Attachment())
	}
	return out
}

// WebhookAttachment is one messaging webhook attachment (Messenger and
// Instagram): a type (image, video, audio, file, sticker … ) and a payload
// whose url is the media on Meta's CDN.
type WebhookAttachment struct {
	Type    string `json:"type"`
	Payload struct {
		URL   string `json:"url"`
		Title string `json:"title"`
	} `json:"payload"`
}

// Attachment is what the inbox keeps of it; ok is false for attachments
// with no media to fetch (fallback links, templates).
func (a WebhookAttachment) Attachment() (inbox.Attachment, bool) {
	if a.Payload.URL == "" || a.Type == "fallback" || a.Type == "template" {
		return inbox.Attachment{}, false
	}
	name := a.Payload.Title
	if name == "" {
		name = NameFromURL(a.Payload.URL)
	}
	return inbox.Attachment{Name: name, Kind: a.Type, Ref: a.Payload.URL}, true
}

// NameFromURL is the file name a CDN URL ends in ("123_456_n.jpg"), "" when
// its last part has no extension.
func NameFromURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	base := path.Base(u.Path)
	if path.Ext(base) == "" || base == "/" || base == "." {
		return ""
	}
	return base
}

// FetchLinked downloads an attachment Meta gave a URL for (Messenger,
// Instagram) without the access token: the link itself is the permission,
// and a token must not travel to a CDN. A lapsed link is channels.ErrMediaExpired.
func FetchLinked(ctx context.Context, cl *Client, a inbox.Attachment, max int64, w io.Writer) (int64, error) {
	if a.Ref == "" {
		return 0, fmt.Errorf("%s attachment %q: %w", cl.platform, a.Name, channels.ErrMediaUnavailable)
	}
	n, _, err := cl.Download(ctx, "", a.Ref, max, w)
	return n, err
}
