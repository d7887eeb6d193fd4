package graph

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Error is Graph's error envelope ({"error":{"message","type","code",
// "error_subcode","fbtrace_id"}}) with what it means for Stormdesk: Unwrap
// gives a channels.RateLimitError, channels.APIError or channels.WindowError,
// so retries, the outbox and apperr treat it like any platform's error, while
// a caller that needs Meta's own codes can still reach them with errors.As.
type Error struct {
	Platform   string // "facebook", "instagram", "whatsapp": who is named to the person
	HTTPStatus int
	Code       int
	Subcode    int
	Type       string
	Message    string
	FBTraceID  string // what Meta's support asks for; logged, never secret
	// Permission is the permission a 10 or 200–299 error lacks, read from
	// Meta's text or, failing that, the one the endpoint is known to need.
	Permission string
	cause      error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: graph error %d", e.Platform, e.Code)
	if e.Subcode != 0 {
		s += "/" + strconv.Itoa(e.Subcode)
	}
	// The shared error's own text would name the platform and code again.
	if api, ok := e.cause.(*channels.APIError); ok {
		s += ": " + api.Message
	} else {
		s += ": " + e.cause.Error()
	}
	if e.FBTraceID != "" {
		s += " (fbtrace_id " + e.FBTraceID + ")"
	}
	return s
}

// Unwrap gives the classified error.
func (e *Error) Unwrap() error { return e.cause }

// Is makes WhatsApp's template refusals findable as the shared errors
// (errors.Is), so they are worded for the person like any coded error.
func (e *Error) Is(target error) bool {
	switch target {
	case channels.ErrTemplateParams:
		return e.Code == CodeWATemplateParams || e.Code == CodeWATemplateFormat
	case channels.ErrTemplateMissing:
		return e.Code == CodeWANoTemplate
	}
	return false
}

// Codes of Graph errors Stormdesk acts on (developers.facebook.com/docs/graph-api/guides/error-handling).
const (
	CodeUnknown          = 1
	CodeService          = 2
	CodeAppRateLimit     = 4
	CodePermission       = 10
	CodeUserRateLimit    = 17
	CodePageRateLimit    = 32
	CodeBadParameter     = 100
	CodeToken            = 190
	CodePolicyBlock      = 368
	CodeDuplicatePost    = 506
	CodeCustomRateLimit  = 613
	CodeBUCRateLimitLow  = 80000 // 80000–80014: business use case rate limits (80001 Pages, 80002 Instagram, 80007 WhatsApp …)
	CodeBUCRateLimitHigh = 80014

	// SubcodeOutsideWindow (with code 10) is Messenger's and Instagram's
	// "This message is sent outside of allowed window".
	SubcodeOutsideWindow = 2018278

	// WhatsApp Cloud API codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
	CodeWAReengagement   = 131047 // more than 24 hours since the customer last wrote: templates only
	CodeWAThroughput     = 130429 // the phone number's messages-per-second throughput
	CodeWASpamRateLimit  = 131048 // too many messages were marked spam or blocked
	CodeWAPairRateLimit  = 131056 // too many messages to one customer in a short time
	CodeWATemplateParams = 132000 // the template's parameter count differs from the request's
	CodeWANoTemplate     = 132001 // no approved template of that name and language
	CodeWATemplateFormat = 132012 // a parameter's type differs from the template's (a media header sent as text)
)

// tokenReasons words the subcodes of error 190, so the person knows why the
// account must be reconnected.
var tokenReasons = map[int]string{
	458: "the app was removed from the account",
	459: "the user must log in at facebook.com to pass a security checkpoint",
	460: "the password was changed",
	463: "the token expired",
	464: "the user's account is not confirmed",
	467: "the token is invalid (logged out or revoked)",
	492: "the session is invalid (the user may no longer manage the Page)",
}

// permissionName finds a permission named in Meta's text ("(#200) Requires
// pages_messaging permission to manage the object").
var permissionName = regexp.MustCompile(`\b(pages_[a-z_]+|instagram_[a-z_]+|whatsapp_[a-z_]+|business_[a-z_]+|read_insights|public_profile)\b`)

// DefaultRateWait is the wait after a throttling error that names none: Meta
// counts usage over a rolling hour, so quick retries only prolong the block.
const DefaultRateWait = 5 * time.Minute

// classify turns one error envelope into the shared error types. regain is
// the wait Meta announced in X-Business-Use-Case-Usage or Retry-After (0 =
// none); need is the permission the endpoint requires ("" = not known).
func classify(platform string, status int, env apiError, regain time.Duration, need string) *Error {
	if d := env.ErrorData.Details; d != "" && d != env.Message {
		env.Message += ": " + d
	}
	e := &Error{Platform: platform, HTTPStatus: status, Code: env.Code, Subcode: env.Subcode, Type: env.Type, Message: env.Message, FBTraceID: env.FBTraceID}
	api := &channels.APIError{Platform: platform, Code: env.Code, Message: env.Message, Kind: channels.Permanent}
	e.cause = api
	switch {
	case env.Code == CodeAppRateLimit || env.Code == CodeUserRateLimit || env.Code == CodePageRateLimit ||
		env.Code == CodeCustomRateLimit || (env.Code >= CodeBUCRateLimitLow && env.Code <= CodeBUCRateLimitHigh) ||
		env.Code == CodeWAThroughput || env.Code == CodeWASpamRateLimit || env.Code == CodeWAPairRateLimit:
		if regain <= 0 {
			regain = DefaultRateWait
		}
		e.cause = &channels.RateLimitError{RetryAfter: regain, Message: fmt.Sprintf("%s asks to slow down (code %d): %s", platform, env.Code, env.Message)}
	case env.Code == CodeUnknown || env.Code == CodeService || env.IsTransient:
		api.Kind = channels.Transient
		api.Message = "temporary Meta error, will retry (" + env.Message + ")"
	case (env.Code == CodePermission && env.Subcode == SubcodeOutsideWindow) || env.Code == CodeWAReengagement:
		e.cause = &channels.WindowError{Platform: platform}
	case env.Code == CodePermission || (env.Code >= 200 && env.Code <= 299):
		api.Kind = channels.Forbidden
		e.Permission = need
		if m := permissionName.FindString(env.Message); m != "" {
			e.Permission = m
		}
		if e.Permission != "" {
			api.Message = "the token lacks the " + e.Permission + " permission; reconnect the account and grant it (" + env.Message + ")"
		} else {
			api.Message = "the token lacks a permission this needs (" + env.Message + ")"
		}
	case env.Code == CodeToken || env.Code == 102:
		api.Kind = channels.Auth
		reason := tokenReasons[env.Subcode]
		if reason == "" {
			reason = "the token is no longer accepted"
		}
		api.Message = reason + "; reconnect this account (" + env.Message + ")"
	}
	// 368 (blocked for a policy violation) and 506 (duplicate post) stay
	// permanent with Meta's own words: nothing Stormdesk could add helps.
	return e
}

// windowError finds the WindowError in err's chain.
func windowError(err error) (*channels.WindowError, bool) {
	var we *channels.WindowError
	if err != nil && errors.As(err, &we) {
		return we, true
	}
	return nil, false
}
