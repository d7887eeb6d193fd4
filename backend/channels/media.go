package channels

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxMediaBytes is the largest attachment fetched on request: Meta's own
// limit for WhatsApp documents (100 MB), larger than any image or video the
// platforms accept, so only a wrong answer would exceed it.
const MaxMediaBytes = 100 << 20

// MediaFetcher is a connector that can fetch the bytes of an attachment it
// described (inbox.Attachment.Ref) on request; they are never stored in the
// database.
type MediaFetcher interface {
	// FetchMedia copies the attachment's bytes to w, at most max of them,
	// and returns how many it wrote. Nothing is written when the platform
	// refuses before sending them.
	FetchMedia(ctx context.Context, a inbox.Attachment, max int64, w io.Writer) (int64, error)
}

// Media refusals. ErrMediaExpired: the platform no longer has the media, or
// the link to it lapsed (WhatsApp keeps media 30 days, its download URL 5
// minutes; Messenger's and Instagram's CDN links expire). ErrMediaCorrupt:
// the bytes do not match the hash the platform gave. ErrMediaUnavailable:
// the attachment has no reference to fetch it by.
var (
	ErrMediaExpired     = errors.New("the platform no longer has this attachment")
	ErrMediaCorrupt     = errors.New("the attachment's bytes do not match the platform's hash")
	ErrMediaUnavailable = errors.New("this attachment cannot be fetched from the platform")
)

// MediaTooLargeError says an attachment is larger than the limit.
type MediaTooLargeError struct {
	Size  int64 // the size announced or read so far (more than Limit)
	Limit int64
}

func (e *MediaTooLargeError) Error() string {
	return fmt.Sprintf("the attachment is larger than %d MB (%d bytes or more)", e.Limit>>20, e.Size)
}
