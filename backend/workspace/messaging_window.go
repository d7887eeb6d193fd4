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
// within a window after the customer's last message (graph.Window), and
// whether a human agent may answer for 7 days (WhatsApp has no such tag: after
// 24 hours only a template may be sent).
var windowChannels = map[inbox.ChannelKind]struct {
	platform   string
	humanAgent bool
}{
	inbox.ChannelFacebook:  {"facebook", true},
	inbox.ChannelInstagram: {"instagram", true},
	inbox.ChannelWhatsApp:  {"whatsapp", false},
}

// messagingWindow says why a private conversation on Messenger, Instagram or WhatsApp
// cannot be answered now: the customer's last stored message is older than
// the 7 days the HUMAN_AGENT tag allows (WhatsApp: 24 hours). nil when it can, or when the window
// does not apply (comments, other channels, no message of the customer's).
// The connector checks again against the platform when it sends; this is
// what the composer shows before anyone writes.
func (w *Workspace) messagingWindow(ctx context.Context, conv inbox.Conversation, now time.Time) (error, error) {
	wc, ok := windowChannels[conv.Channel]
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
	st := graph.Window(last, now, wc.humanAgent)
	if st.Open || st.HumanAgent {
		return nil, nil
	}
	window := graph.StandardWindow
	if wc.humanAgent {
		window = graph.HumanAgentWindow
	}
	return apperr.MessagingWindowClosed(st.ClosesAt, &channels.WindowError{Platform: wc.platform, LastInbound: last, ClosedAt: st.ClosesAt, Window: window}), nil
}
