package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// windowChannels are the channels whose private messages may only be answered
// within a window after the customer's last message (graph.Window).
var windowChannels = map[inbox.ChannelKind]string{
	inbox.ChannelFacebook:  "facebook",
	inbox.ChannelInstagram: "instagram",
}

// messagingWindow says why a private conversation on Messenger or Instagram
// cannot be answered now: the customer's last stored message is older than
// the 7 days the HUMAN_AGENT tag allows. nil when it can, or when the window
// does not apply (comments, other channels, no message of the customer's).
// The connector checks again against the platform when it sends; this is
// what the composer shows before anyone writes.
func (w *Workspace) messagingWindow(ctx context.Context, conv inbox.Conversation, now time.Time) (error, error) {
	platform, ok := windowChannels[conv.Channel]
	if !ok || conv.Kind != inbox.KindDM {
		return nil, nil
	}
	msgs, err := w.Store.Thread(ctx, conv.ID)
	if err != nil {
		return nil, fmt.Errorf("messaging window of conversation %d: %w", conv.ID, err)
	}
	var last time.Time
	for _, m := range msgs {
		if m.Direction == inbox.DirectionIn && m.SentAt.After(last) {
			last = m.SentAt
		}
	}
	if last.IsZero() {
		return nil, nil
	}
	st := graph.Window(last, now, true)
	if st.Open || st.HumanAgent {
		return nil, nil
	}
	return apperr.MessagingWindowClosed(st.ClosesAt, &channels.WindowError{Platform: platform, LastInbound: last, ClosedAt: st.ClosesAt, Window: graph.HumanAgentWindow}), nil
}
