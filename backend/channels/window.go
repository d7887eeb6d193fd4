package channels

import (
	"fmt"
	"time"
)

// WindowError says a platform refuses a private message because the
// customer wrote too long ago (Messenger, Instagram and WhatsApp allow a
// business to answer only within a window after the customer's last
// message). ClosedAt is when the window shut, zero when the platform refused
// without saying when the customer last wrote.
type WindowError struct {
	Platform    string
	LastInbound time.Time
	ClosedAt    time.Time
	Window      time.Duration // the longest window that was tried (24 h, or 7 days with a human-agent tag)
}

func (e *WindowError) Error() string {
	if e.ClosedAt.IsZero() {
		return fmt.Sprintf("%s: the messaging window is closed: the customer last wrote too long ago to answer privately", e.Platform)
	}
	return fmt.Sprintf("%s: the messaging window closed at %s (%s after the customer's last message at %s); a private answer is no longer allowed",
		e.Platform, e.ClosedAt.UTC().Format(time.RFC3339), e.Window, e.LastInbound.UTC().Format(time.RFC3339))
}
