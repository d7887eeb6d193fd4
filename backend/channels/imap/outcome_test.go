package imap

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
)

// TestOutcomeUnknownIsCoded: a send whose result is unknown (the app stopped
// mid-send, or the connection dropped after the message data) reaches the
// window as outcome-unknown for mail, which it words with "check the Sent
// folder", not as Go's English; the outbox still never retries it.
func TestOutcomeUnknownIsCoded(t *testing.T) {
	for _, msg := range []string{earlierSendUnknown, fmt.Sprintf(thisSendUnknown, io.ErrUnexpectedEOF)} {
		err := fmt.Errorf("send reply r1: %w", outcomeUnknown(msg))
		if channels.Retryable(err) {
			t.Errorf("%v: retryable; an unknown outcome must wait for a person", err)
		}
		var api *channels.APIError
		if !errors.As(err, &api) || api.Kind != channels.Permanent || api.Platform != "mail" {
			t.Errorf("%v: not a permanent mail error", err)
		}
		code, params, detail, ok := apperr.Decode(apperr.Encode(err).Error())
		if !ok || code != apperr.CodeOutcomeUnknown || params["platform"] != "mail" {
			t.Errorf("encoded as %q %v, want outcome-unknown for mail", code, params)
		}
		if detail != err.Error() {
			t.Errorf("detail %q, want Go's text %q", detail, err)
		}
	}
}
