package apperr

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/listening/query"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Classify returns the code err carries: the outermost *Error in its chain,
// or else one derived from the well-known errors it wraps, or internal. The
// result's Err is err itself, so nothing of the technical text is lost.
func Classify(err error) *Error {
	return classifyAt(err, time.Now())
}

// classifyAt is Classify with the clock given, for the retry time.
func classifyAt(err error, now time.Time) *Error {
	if e, ok := errorsAs[*Error](err); ok {
		// Keep the outer context in the text; the code and params come from
		// where the error started.
		return &Error{Code: e.Code, Params: e.Params, Err: err}
	}
	if sup, ok := errorsAs[*store.SupersededError](err); ok {
		return ReplySuperseded(sup.At, err)
	}
	if we, ok := errorsAs[*channels.WindowError](err); ok {
		return MessagingWindowClosed(we.ClosedAt, err)
	}
	if rl, ok := errorsAs[*channels.RateLimitError](err); ok {
		return RateLimited(rl.RetryAfter, now, err)
	}
	if tl, ok := errorsAs[*channels.MediaTooLargeError](err); ok {
		return Media(CodeMediaTooLarge, tl.Limit>>20, err)
	}
	if qe, ok := errorsAs[*query.Error](err); ok {
		return QueryInvalid(qe.Code, qe.Pos, qe.End, qe.Param, err)
	}
	if fe, ok := errorsAs[*sentiment.UnknownFeaturesError](err); ok {
		return ModelFeaturesUnknown(fe.Version, fe.Latest, err)
	}
	switch {
	case errors.Is(err, channels.ErrTemplatesUnsupported):
		return Template(CodeTemplateUnsupported, "", "", err)
	case errors.Is(err, channels.ErrTemplateParams):
		return Template(CodeTemplateParams, "", "", err)
	case errors.Is(err, channels.ErrTemplateMissing):
		return Template(CodeTemplateMissing, "", "", err)
	case errors.Is(err, channels.ErrMediaExpired):
		return Media(CodeMediaExpired, 0, err)
	case errors.Is(err, channels.ErrMediaCorrupt):
		return Media(CodeMediaCorrupt, 0, err)
	case errors.Is(err, channels.ErrMediaUnavailable):
		return Media(CodeMediaUnavailable, 0, err)
	case errors.Is(err, context.Canceled):
		return Canceled(err)
	case errors.Is(err, channels.ErrAuth):
		return AuthFailed("", err)
	case errors.Is(err, drafts.ErrNotAllowed):
		rule := ""
		if se, ok := errorsAs[*drafts.StepError](err); ok {
			rule = se.Rule
		}
		return NotAllowed(rule, err)
	case errors.Is(err, drafts.ErrChanged):
		return ChangedSinceApproval(err)
	case errors.Is(err, drafts.ErrOutcomeUnknown):
		return OutcomeUnknown(err)
	case errors.Is(err, channels.ErrOutcomeUnknown):
		// The platform says where to look before retrying (mail: the Sent folder).
		platform := ""
		if api, ok := errorsAs[*channels.APIError](err); ok {
			platform = api.Platform
		}
		return newError(CodeOutcomeUnknown, err, "platform", platform)
	case errors.Is(err, drafts.ErrInvalidTransition), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrBadCursor):
		// The reply is no longer in the state the page showed: someone or
		// the outbox moved it meanwhile.
		return Conflict(err)
	case errors.Is(err, secrets.ErrNotFound):
		return SecretMissing("", "", err)
	case errors.Is(err, secrets.ErrUnavailable):
		return KeyringUnavailable(err)
	case errors.Is(err, store.ErrViewName):
		return InvalidInput("name", err)
	case errors.Is(err, store.ErrNotFound):
		return NotFound("", err)
	case unreachable(err):
		return Unreachable(err)
	}
	if api, ok := errorsAs[*channels.APIError](err); ok {
		switch api.Kind {
		case channels.Transient:
			return Unreachable(err)
		case channels.Forbidden:
			return NotAllowed("platform", err)
		}
	}
	return Internal(err)
}

// unreachable reports network failures: nothing the person did wrong, and
// worth trying again later.
func unreachable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	if _, ok := errorsAs[*net.DNSError](err); ok {
		return true
	}
	if _, ok := errorsAs[*net.OpError](err); ok {
		return true
	}
	if ne, ok := errorsAs[net.Error](err); ok && ne.Timeout() {
		return true
	}
	if errors.Is(err, channels.ErrTransport) {
		return true
	}
	// Some clients flatten the network error into their own text (%v, not
	// %w), so the chain no longer holds it; its words still say what happened.
	text := strings.ToLower(err.Error())
	for _, w := range unreachableWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// unreachableWords are the texts Go's net package and the OS give dial and
// connection failures.
var unreachableWords = []string{
	"connection refused", "connection reset by peer", "no such host", "i/o timeout",
	"network is unreachable", "no route to host", "dial tcp", "dial udp", "tls handshake timeout",
}
