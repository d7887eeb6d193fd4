package graph

import (
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Messaging windows of Messenger and Instagram: a business may answer a
// person's message with messaging_type=RESPONSE for 24 hours, and a human
// agent may answer with the HUMAN_AGENT tag for 7 days.
const (
	StandardWindow   = 24 * time.Hour
	HumanAgentWindow = 7 * 24 * time.Hour
)

// WindowState is what may be sent to a person now.
type WindowState struct {
	// Open: a standard answer (RESPONSE) may be sent.
	Open bool
	// HumanAgent: only an answer tagged HUMAN_AGENT may be sent.
	HumanAgent bool
	// ClosesAt is when the current window (standard, else human agent)
	// closes, or when the last one closed.
	ClosesAt time.Time
}

// Window says what may be sent at now to a person whose last message came at
// lastInbound; humanAgent says the platform has the 7-day tag (WhatsApp has not).
func Window(lastInbound, now time.Time, humanAgent bool) WindowState {
	std := lastInbound.Add(StandardWindow)
	if now.Before(std) {
		return WindowState{Open: true, ClosesAt: std}
	}
	if !humanAgent {
		return WindowState{ClosesAt: std}
	}
	ha := lastInbound.Add(HumanAgentWindow)
	if now.Before(ha) {
		return WindowState{HumanAgent: true, ClosesAt: ha}
	}
	return WindowState{ClosesAt: ha}
}

// Notes shared by the Meta channels' Limits.
var (
	WindowNote = channels.Note{Code: "meta.window", Params: map[string]string{"hours": "24", "days": "7"},
		Text: "Private answers are allowed within 24 hours of the customer's last message, and with the human agent tag up to 7 days; after that the customer must write first."}
	HideNote = channels.Note{Code: "meta.hide",
		Text: "A hidden comment stays visible to its author (and on Facebook their friends); they are not told. Hidden comments can be shown again."}
	RateNote = channels.Note{Code: "meta.rate",
		Text: "Meta limits calls per app and per Page over a rolling hour; Stormdesk slows down as the usage approaches the limit."}
)
