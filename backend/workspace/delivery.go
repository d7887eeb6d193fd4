package workspace

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MessageDelivery is the delivery status the platform reported for one
// message the business sent (WhatsApp's status webhooks): sent, delivered,
// read, or failed with the platform's error.
type MessageDelivery struct {
	// ExternalID is the sent message's platform id: the thread's outgoing
	// Message with the same externalId shows the status.
	ExternalID string    `json:"externalId"`
	ReplyID    string    `json:"replyId"`
	Status     string    `json:"status"`
	At         time.Time `json:"at" ts_type:"string"`
	ErrorCode  int       `json:"errorCode"`
	Error      string    `json:"error"` // the platform's words (English), for support
	// Reason is a stable code for a failure the UI words in the person's
	// language ("window-closed", "undeliverable", …); "" when the platform's
	// code is not known and only Error can be shown.
	Reason string `json:"reason"`
}

// failureReason maps a platform's error code of a failed delivery to a
// stable code, per channel (only WhatsApp reports statuses today).
func failureReason(ch inbox.ChannelKind, code int) string {
	if ch == inbox.ChannelWhatsApp {
		return whatsapp.FailureReason(code)
	}
	return ""
}

// ThreadDeliveries lists the delivery status of each sent reply of
// conversation c that has one, oldest status first; never nil.
func (w *Workspace) ThreadDeliveries(ctx context.Context, c inbox.Conversation) ([]MessageDelivery, error) {
	byReply, err := w.Store.ReplyDeliveries(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("thread %d deliveries: %w", c.ID, err)
	}
	out := make([]MessageDelivery, 0, len(byReply))
	for id, d := range byReply {
		md := MessageDelivery{ExternalID: d.ExternalID, ReplyID: id, Status: d.Status, At: d.At, ErrorCode: d.ErrorCode, Error: d.Error}
		if d.Status == "failed" {
			md.Reason = failureReason(c.Channel, d.ErrorCode)
		}
		out = append(out, md)
	}
	slices.SortFunc(out, func(a, b MessageDelivery) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.ReplyID, b.ReplyID))
	})
	return out, nil
}
