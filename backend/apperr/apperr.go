// Package apperr gives the errors a person sees a stable code and parameters,
// so the window can say them in the user's language with a next step while the
// technical text stays available for details and the log.
//
// Errors get a code where they originate (a constructor here); anything else
// is classified by what it wraps (Classify). Encode turns either into the one
// shape the frontend parses, since Wails hands the page only an error's text.
package apperr

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Codes a person can see. They are part of the contract with the frontend's
// dictionaries (frontend/src/lib/errorCodes.json is checked against Codes), so
// a code is never renamed, only added.
const (
	CodeNotConfigured  = "not-configured"
	CodeAuthFailed     = "auth-failed"
	CodeUnreachable    = "unreachable"
	CodeRateLimited    = "rate-limited"
	CodeNotAllowed     = "not-allowed"
	CodeDemoAccount    = "demo-account"
	CodeSecretMissing  = "secret-missing"
	CodeNotFound       = "not-found"
	CodeInvalidInput   = "invalid-input"
	CodeConflict       = "conflict"
	CodeOutcomeUnknown = "outcome-unknown"
	CodeCanceled       = "canceled"
	CodeInternal       = "internal"
	// An account the person disabled (sync and sending stop, data stays) or
	// removed (its conversations stay, read-only).
	CodeAccountDisabled = "account-disabled"
	CodeAccountRemoved  = "account-removed"
	// The app is still opening its database or starting a part (drafting,
	// sync): nothing is wrong, the person waits a moment.
	CodeStarting = "starting"
	// New messages arrived after a reply was approved; the outbox did not send it.
	CodeChangedSinceApproval = "changed-since-approval"
	// The OS keyring (Secret Service) does not answer, so no secret can be read or stored.
	CodeKeyringUnavailable = "keyring-unavailable"
	// A file chosen for import cannot be opened or is not CSV or JSON lines
	// with the columns asked for; nothing of it was stored.
	CodeImportUnreadable = "import-unreadable"
	// Team server: the member's role does not allow the action (params: role,
	// action, need: the weakest role that may).
	CodeRoleRequired = "role-required"
	// Team server: the member was disabled by an admin.
	CodeMemberDisabled = "member-disabled"
	// Team server: the member's token is no longer accepted (revoked, or a
	// session that expired): the desktop must join again.
	CodeTokenRefused = "token-refused"
	// Team server: the name and password do not match an active member.
	CodeLoginFailed = "login-failed"
	// Team server: too many login attempts (params: retryAfter in seconds).
	CodeLoginLimited = "login-limited"
	// Team server: an invitation code that is unknown, used, revoked or expired.
	CodeInviteInvalid = "invite-invalid"
	// Team server: a member of that name exists (params: name).
	CodeNameTaken = "name-taken"
	// Desktop in a team: the team server shows a certificate other than the
	// one pinned when the desktop joined (params: old, new fingerprints).
	CodeServerCertChanged = "server-cert-changed"
	// Desktop in a team: the team server does not answer.
	CodeServerUnreachable = "server-unreachable"
	// Desktop joining a team: the server's certificate is not trusted by the
	// system and no fingerprint was confirmed for it (params: fingerprint).
	CodeServerUntrusted = "server-untrusted"
	// The conversation was answered after the reply was drafted (params: at,
	// RFC 3339): approving or sending it needs the person's confirmation.
	CodeReplySuperseded = "reply-superseded"
	// A listening feed's address gives no readable RSS or Atom feed (params:
	// reason: gone, web-page, not-a-feed, broken, too-large, encoding).
	CodeFeedUnreadable = "feed-unreadable"
	// A listening topic's query cannot be read (params: reason, one of the
	// listening/query package's codes, worded as listening.query.<reason>;
	// pos and end, the character offsets [pos, end) of the place; param, the
	// name or value at fault where the reason has one).
	CodeQueryInvalid = "query-invalid"
	// The channel (params: channel) receives messages only by webhook, which
	// a desktop cannot receive: it needs the team server (WhatsApp).
	CodeNeedsTeamServer = "needs-team-server"
	// Message templates (WhatsApp): the channel has none (params: channel);
	// the values do not fit the template (params: template); the template is
	// not approved in that language or no longer exists (params: template).
	CodeTemplateUnsupported = "template-unsupported"
	CodeTemplateParams      = "template-params"
	CodeTemplateMissing     = "template-missing"
	// A sentiment model file names a feature version this build cannot score
	// with (params: version, the file's; latest, the newest this build
	// knows): a newer Stormdesk wrote it. Nothing was imported.
	CodeModelFeaturesUnknown = "model-features-unknown"
	// A media header's link is not a public https URL, or a document header
	// has no file name (params: template).
	CodeTemplateMediaLink = "template-media-link"
	// Attachments fetched on request (WhatsApp, Messenger, Instagram): the
	// platform no longer has it; it is larger than the limit (params:
	// limitMB); its bytes do not match the platform's hash; it has nothing
	// to fetch it by (mail, demo data).
	CodeMediaExpired     = "media-expired"
	CodeMediaTooLarge    = "media-too-large"
	CodeMediaCorrupt     = "media-corrupt"
	CodeMediaUnavailable = "media-unavailable"
	// A location header's place is incomplete or out of range: latitude
	// within ±90, longitude within ±180, a name and an address (params:
	// template); a COPY_CODE button's code is longer than Meta's 15
	// characters (params: template, max).
	CodeTemplateLocation = "template-location"
	CodeTemplateCopyCode = "template-copy-code"
)

// Codes lists every code, in a fixed order, for the frontend's translation check.
func Codes() []string {
	return []string{
		CodeNotConfigured, CodeAuthFailed, CodeUnreachable, CodeRateLimited, CodeNotAllowed,
		CodeDemoAccount, CodeSecretMissing, CodeNotFound, CodeInvalidInput, CodeConflict,
		CodeOutcomeUnknown, CodeCanceled, CodeInternal,
		CodeAccountDisabled, CodeAccountRemoved,
		CodeStarting, CodeChangedSinceApproval, CodeKeyringUnavailable,
		CodeImportUnreadable,
		CodeRoleRequired, CodeMemberDisabled, CodeLoginFailed, CodeLoginLimited,
		CodeInviteInvalid, CodeNameTaken,
		CodeServerCertChanged, CodeServerUnreachable, CodeServerUntrusted,
		CodeReplySuperseded,
		CodeTokenRefused,
		CodeFeedUnreadable,
		CodeQueryInvalid,
		CodeNeedsTeamServer,
		CodeTemplateUnsupported, CodeTemplateParams, CodeTemplateMissing,
		CodeModelFeaturesUnknown,
		CodeTemplateMediaLink,
		CodeMediaExpired, CodeMediaTooLarge, CodeMediaCorrupt, CodeMediaUnavailable,
		CodeTemplateLocation, CodeTemplateCopyCode,
	}
}

// Marker starts the text of an encoded error; the frontend looks for it.
const Marker = "stormdesk-error:"

// Error is an error with a code a person can be told about. Params fill the
// translated message (an account name, a retry time); Err keeps the cause,
// whose text is the technical detail.
type Error struct {
	Code   string
	Params map[string]string
	Err    error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Code
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// newError keeps params as pairs so constructors read as what they carry.
func newError(code string, cause error, kv ...string) *Error {
	p := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			p[kv[i]] = kv[i+1]
		}
	}
	return &Error{Code: code, Params: p, Err: cause}
}

// NotConfigured: what (e.g. an account) lacks the settings it needs for this.
func NotConfigured(what string, cause error) *Error {
	return newError(CodeNotConfigured, cause, "what", what)
}

// AuthFailed: the platform refused the account's credentials.
func AuthFailed(account string, cause error) *Error {
	return newError(CodeAuthFailed, cause, "account", account)
}

// Unreachable: a server did not answer (network, DNS, timeout, 5xx).
func Unreachable(cause error) *Error { return newError(CodeUnreachable, cause) }

// RateLimited: the platform asked to wait retryAfter (counted from now).
// Both the wait and the moment are given, because a failure reason is read
// later than it was recorded.
func RateLimited(retryAfter time.Duration, now time.Time, cause error) *Error {
	secs := int64((retryAfter + time.Second - 1) / time.Second)
	return newError(CodeRateLimited, cause,
		"retryAfter", strconv.FormatInt(secs, 10),
		"retryAt", now.Add(retryAfter).UTC().Format(time.RFC3339))
}

// NotAllowed: a rule refuses the action. rule is a stable name the UI may
// explain specifically (e.g. "second-person"); "" means no specific text.
func NotAllowed(rule string, cause error) *Error {
	return newError(CodeNotAllowed, cause, "rule", rule)
}

// MessagingWindowClosed: Messenger, Instagram or WhatsApp refuse a private
// answer because the customer last wrote too long ago; closedAt (when known)
// says when the window shut, so the composer can say it.
func MessagingWindowClosed(closedAt time.Time, cause error) *Error {
	at := ""
	if !closedAt.IsZero() {
		at = closedAt.UTC().Format(time.RFC3339)
	}
	return newError(CodeNotAllowed, cause, "rule", "messaging-window", "closedAt", at)
}

// DemoAccount: a demo account has no connection, so it cannot send or sync.
func DemoAccount(account string, cause error) *Error {
	return newError(CodeDemoAccount, cause, "account", account)
}

// SecretMissing: the keyring holds no secret (e.g. "token") for the account.
func SecretMissing(account, secret string, cause error) *Error {
	return newError(CodeSecretMissing, cause, "account", account, "secret", secret)
}

// NotFound: what was asked for no longer exists.
func NotFound(what string, cause error) *Error { return newError(CodeNotFound, cause, "what", what) }

// InvalidInput: a value the person entered (field) is not acceptable.
func InvalidInput(field string, cause error) *Error {
	return newError(CodeInvalidInput, cause, "field", field)
}

// Conflict: the thing changed meanwhile (another person, another window).
func Conflict(cause error) *Error { return newError(CodeConflict, cause) }

// OutcomeUnknown: a send may or may not have reached the platform.
func OutcomeUnknown(cause error) *Error { return newError(CodeOutcomeUnknown, cause) }

// Canceled: the person or the app's shutdown stopped the work.
func Canceled(cause error) *Error { return newError(CodeCanceled, cause) }

// NeedsTeamServer: channel can only be set up on the team server, which
// receives its webhooks.
func NeedsTeamServer(channel string) *Error {
	return newError(CodeNeedsTeamServer, errors.New(channel+" delivers messages only to a webhook, which the team server receives; this app runs without one"), "channel", channel)
}

// Template wraps a message template refusal (channels.ErrTemplates…) with
// its code; channel or template may be "".
func Template(code, channel, template string, cause error) *Error {
	return newError(code, cause, "channel", channel, "template", template)
}

// Media: an attachment could not be fetched (code one of CodeMedia*);
// limitMB is given with CodeMediaTooLarge.
func Media(code string, limitMB int64, cause error) *Error {
	l := ""
	if limitMB > 0 {
		l = strconv.FormatInt(limitMB, 10)
	}
	return newError(code, cause, "limitMB", l)
}

// AccountDisabled: the account is disabled, so nothing is synced or sent through it.
func AccountDisabled(account string, cause error) *Error {
	return newError(CodeAccountDisabled, cause, "account", account)
}

// AccountRemoved: the account was removed; its conversations are kept read-only.
func AccountRemoved(account string, cause error) *Error {
	return newError(CodeAccountRemoved, cause, "account", account)
}

// Starting: what (e.g. "database", "drafting") is not ready yet.
func Starting(what string, cause error) *Error { return newError(CodeStarting, cause, "what", what) }

// ChangedSinceApproval: the conversation moved on after the reply was approved.
func ChangedSinceApproval(cause error) *Error { return newError(CodeChangedSinceApproval, cause) }

// KeyringUnavailable: the OS keyring does not answer.
func KeyringUnavailable(cause error) *Error { return newError(CodeKeyringUnavailable, cause) }

// ImportUnreadable: the file chosen for import cannot be opened or read as
// CSV or JSON lines with the columns asked for.
func ImportUnreadable(file string, cause error) *Error {
	return newError(CodeImportUnreadable, cause, "file", file)
}

// RoleRequired: a member whose role is role may not do action; need is the
// weakest role that may ("" when no role may).
func RoleRequired(role, action, need string, cause error) *Error {
	return newError(CodeRoleRequired, cause, "role", role, "action", action, "need", need)
}

// MemberDisabled: the member's access was disabled by an admin.
func MemberDisabled(cause error) *Error { return newError(CodeMemberDisabled, cause) }

// TokenRefused: the team server no longer accepts the member's token.
func TokenRefused(cause error) *Error { return newError(CodeTokenRefused, cause) }

// LoginFailed: the name and password do not match an active member.
func LoginFailed(cause error) *Error { return newError(CodeLoginFailed, cause) }

// LoginLimited: too many login attempts; try again after retryAfter.
func LoginLimited(retryAfter time.Duration, cause error) *Error {
	secs := int64((retryAfter + time.Second - 1) / time.Second)
	return newError(CodeLoginLimited, cause, "retryAfter", strconv.FormatInt(secs, 10))
}

// InviteInvalid: the invitation code lets nobody in (unknown, used, revoked
// or expired; which one is not said).
func InviteInvalid(cause error) *Error { return newError(CodeInviteInvalid, cause) }

// NameTaken: a member of the team already has name.
func NameTaken(name string, cause error) *Error { return newError(CodeNameTaken, cause, "name", name) }

// ServerCertChanged: the team server's certificate is not the pinned one.
func ServerCertChanged(old, new string, cause error) *Error {
	return newError(CodeServerCertChanged, cause, "old", old, "new", new)
}

// ServerUnreachable: the team server did not answer the desktop.
func ServerUnreachable(cause error) *Error { return newError(CodeServerUnreachable, cause) }

// ServerUntrusted: the server's certificate needs a confirmed fingerprint.
func ServerUntrusted(fingerprint string, cause error) *Error {
	return newError(CodeServerUntrusted, cause, "fingerprint", fingerprint)
}

// ReplySuperseded: another reply went out in the conversation at at, after
// this one was drafted.
func ReplySuperseded(at time.Time, cause error) *Error {
	return newError(CodeReplySuperseded, cause, "at", at.UTC().Format(time.RFC3339))
}

// FeedUnreadable: a listening feed's address gives no feed that can be read,
// for reason (gone, web-page, not-a-feed, broken, too-large, encoding).
func FeedUnreadable(reason string, cause error) *Error {
	return newError(CodeFeedUnreadable, cause, "reason", reason)
}

// QueryInvalid: a listening query is refused for reason at the characters
// [pos, end); param names what is at fault ("" when the reason has none).
func QueryInvalid(reason string, pos, end int, param string, cause error) *Error {
	return newError(CodeQueryInvalid, cause, "reason", reason, "pos", strconv.Itoa(pos), "end", strconv.Itoa(end), "param", param)
}

// ModelFeaturesUnknown: a sentiment model file was trained with feature
// version, newer than latest, the newest this build can score with.
func ModelFeaturesUnknown(version, latest int, cause error) *Error {
	return newError(CodeModelFeaturesUnknown, cause, "version", strconv.Itoa(version), "latest", strconv.Itoa(latest))
}

// Internal: a fault of the app, not something the person can fix.
func Internal(cause error) *Error { return newError(CodeInternal, cause) }

// payload is what the frontend parses after Marker.
type payload struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
	Detail string            `json:"detail"`
}

// encoded is an error already in the frontend's shape; Encode leaves it alone,
// so encoding twice (a helper and a service both doing it) changes nothing.
type encoded struct {
	text  string
	cause error
}

func (e *encoded) Error() string { return e.text }
func (e *encoded) Unwrap() error { return e.cause }

// Encode returns an error whose text is Marker followed by a JSON object with
// the code, its parameters and the full technical text, for the bound
// services to return to the page. It unwraps to err, so Go callers still see
// the cause. Encode(nil) is nil.
func Encode(err error) error {
	if err == nil {
		return nil
	}
	if strings.HasPrefix(err.Error(), Marker) {
		return err
	}
	c := Classify(err)
	params := c.Params
	if params == nil {
		params = map[string]string{}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	// The detail stays readable in logs and in tests that look for Go's words
	// (no \u003c for "<"); the page parses JSON, not HTML.
	enc.SetEscapeHTML(false)
	if jerr := enc.Encode(payload{Code: c.Code, Params: params, Detail: err.Error()}); jerr != nil {
		// A map of strings always marshals; keep the text rather than lose it.
		return err
	}
	return &encoded{text: Marker + strings.TrimSuffix(b.String(), "\n"), cause: err}
}

// Decode reads an Encode text back (e.g. a stored failure reason); ok is
// false for plain text.
func Decode(text string) (code string, params map[string]string, detail string, ok bool) {
	i := strings.Index(text, Marker)
	if i < 0 {
		return "", nil, text, false
	}
	var p payload
	if err := json.Unmarshal([]byte(text[i+len(Marker):]), &p); err != nil || p.Code == "" {
		return "", nil, text, false
	}
	return p.Code, p.Params, p.Detail, true
}

// Is reports whether err carries (or classifies as) code.
func Is(err error, code string) bool {
	return err != nil && Classify(err).Code == code
}

// errorsAs is errors.As with the target made here, to keep call sites short.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
