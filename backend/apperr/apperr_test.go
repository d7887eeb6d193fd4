package apperr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/codelist"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/listening/query"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

func TestClassify(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	_, _, refused := drafts.Apply(drafts.Reply{ID: "r1", State: drafts.StateSubmitted, Author: "ann",
		Approval: drafts.Approval{TwoPerson: true}}, drafts.Actor{Name: "ann", Role: drafts.RoleApprover},
		drafts.Step{Action: drafts.ActionApprove}, now)
	_, _, invalid := drafts.Apply(drafts.Reply{ID: "r1", State: drafts.StateSent, Author: "ann"},
		drafts.Actor{Name: "ann", Role: drafts.RoleAgent}, drafts.Step{Action: drafts.ActionSubmit}, now)
	timeout := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	_, badQuery := query.Parse("stormair source:twitter")
	cases := []struct {
		name   string
		err    error
		code   string
		params map[string]string
	}{
		{"attached, wrapped", fmt.Errorf("send: %w", DemoAccount("acme-mail", errors.New("no settings"))), CodeDemoAccount, map[string]string{"account": "acme-mail"}},
		{"secret missing", SecretMissing("acme", "token", secrets.ErrNotFound), CodeSecretMissing, map[string]string{"account": "acme", "secret": "token"}},
		{"auth", fmt.Errorf("sync: %w", &channels.APIError{Platform: "vk", Code: 5, Kind: channels.Auth}), CodeAuthFailed, map[string]string{}},
		{"rate limit", fmt.Errorf("reply: %w", &channels.RateLimitError{RetryAfter: 90*time.Second + time.Millisecond}), CodeRateLimited,
			map[string]string{"retryAfter": "91", "retryAt": "2026-06-01T12:01:30Z"}},
		{"messaging window closed", fmt.Errorf("reply: %w", &channels.WindowError{Platform: "facebook", ClosedAt: time.Date(2026, 5, 30, 9, 0, 0, 0, time.UTC)}), CodeNotAllowed,
			map[string]string{"rule": "messaging-window", "closedAt": "2026-05-30T09:00:00Z"}},
		{"messaging window closed, time unknown", &channels.WindowError{Platform: "instagram"}, CodeNotAllowed, map[string]string{"rule": "messaging-window"}},
		{"connection refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), CodeUnreachable, map[string]string{}},
		{"dial timeout", timeout, CodeUnreachable, map[string]string{}},
		{"dns", &net.DNSError{Err: "no such host", Name: "mail.example"}, CodeUnreachable, map[string]string{}},
		{"deadline", fmt.Errorf("fetch: %w", context.DeadlineExceeded), CodeUnreachable, map[string]string{}},
		{"platform 5xx", &channels.APIError{Platform: "mastodon", Code: 503, Kind: channels.Transient}, CodeUnreachable, map[string]string{}},
		{"platform forbids", &channels.APIError{Platform: "telegram", Code: 403, Kind: channels.Forbidden}, CodeNotAllowed, map[string]string{"rule": "platform"}},
		{"canceled", fmt.Errorf("draft: %w", context.Canceled), CodeCanceled, map[string]string{}},
		{"listening query", fmt.Errorf("save topic: %w", badQuery), CodeQueryInvalid,
			map[string]string{"reason": "unknown-source", "pos": "16", "end": "23", "param": "twitter"}},
		{"not found", fmt.Errorf("reply r9: %w", store.ErrNotFound), CodeNotFound, map[string]string{}},
		{"keyring empty", fmt.Errorf("read: %w", secrets.ErrNotFound), CodeSecretMissing, map[string]string{}},
		{"crisis refusal via store", fmt.Errorf("store: apply step to reply r1: %w", refused), CodeNotAllowed, map[string]string{"rule": drafts.RuleSecondPerson}},
		{"invalid transition", invalid, CodeConflict, map[string]string{}},
		{"refused, flattened into text", fmt.Errorf("imap login: %v", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), CodeUnreachable, map[string]string{}},
		{"refused, wrapped op error", fmt.Errorf("smtp: %w", &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}), CodeUnreachable, map[string]string{}},
		{"dial text from a client", errors.New("mastodon: Get \"https://m.example/api\": dial tcp 10.0.0.1:443: i/o timeout"), CodeUnreachable, map[string]string{}},
		{"transport", fmt.Errorf("vk: %w", channels.ErrTransport), CodeUnreachable, map[string]string{}},
		{"keyring down", fmt.Errorf("keyring get %q: %w: dbus: no session bus", "acme/token", secrets.ErrUnavailable), CodeKeyringUnavailable, map[string]string{}},
		{"starting", fmt.Errorf("inbox: %w", Starting("database", errors.New("the database is still opening"))), CodeStarting, map[string]string{"what": "database"}},
		{"changed since approval", fmt.Errorf("outbox: %w", drafts.ErrChanged), CodeChangedSinceApproval, map[string]string{}},
		{"outcome unknown, checking failed", fmt.Errorf("%w (checking failed: %v)", drafts.ErrOutcomeUnknown, errors.New("imap: EOF")), CodeOutcomeUnknown, map[string]string{}},
		{"reply conflict", fmt.Errorf("store: step: %w", store.ErrConflict), CodeConflict, map[string]string{}},
		{"superseded", fmt.Errorf("store: apply step to reply r2: %w", &store.SupersededError{ReplyID: "r2", At: time.Date(2026, 6, 1, 9, 30, 0, 0, time.FixedZone("", 3*3600))}),
			CodeReplySuperseded, map[string]string{"at": "2026-06-01T06:30:00Z"}},
		{"view name", fmt.Errorf("save view: %w", store.ErrViewName), CodeInvalidInput, map[string]string{"field": "name"}},
		{"sentiment model from a newer build", fmt.Errorf("import sentiment model: %w", fmt.Errorf("load sentiment model: %w", &sentiment.UnknownFeaturesError{Version: 7, Latest: 2})),
			CodeModelFeaturesUnknown, map[string]string{"version": "7", "latest": "2"}},
		{"media expired, with Meta's refusal inside", fmt.Errorf("whatsapp media 1481: %w: %w", channels.ErrMediaExpired, &channels.APIError{Platform: "whatsapp", Code: 100, Kind: channels.Forbidden}),
			CodeMediaExpired, map[string]string{}},
		{"media too large", fmt.Errorf("save: %w", &channels.MediaTooLargeError{Size: 200 << 20, Limit: 100 << 20}), CodeMediaTooLarge, map[string]string{"limitMB": "100"}},
		{"media corrupt", fmt.Errorf("save: %w", channels.ErrMediaCorrupt), CodeMediaCorrupt, map[string]string{}},
		{"media unavailable", fmt.Errorf("save: %w", channels.ErrMediaUnavailable), CodeMediaUnavailable, map[string]string{}},
		{"anything else", errors.New("boom"), CodeInternal, map[string]string{}},
		{"database text stays internal", errors.New("sqlite: disk I/O error"), CodeInternal, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := classifyAt(c.err, now)
			if got.Code != c.code {
				t.Fatalf("code %q, want %q (err %v)", got.Code, c.code, c.err)
			}
			if fmt.Sprint(got.Params) != fmt.Sprint(c.params) {
				t.Errorf("params %v, want %v", got.Params, c.params)
			}
			if got.Error() != c.err.Error() || !errors.Is(got, c.err) {
				t.Errorf("classified error %q does not keep %q", got, c.err)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	cause := fmt.Errorf("no connector for account 4: %w", DemoAccount("aurora-air-mail", errors.New("a demo account has no connection")))
	cases := []struct {
		name   string
		err    error
		code   string
		params map[string]string
	}{
		{"coded", cause, CodeDemoAccount, map[string]string{"account": "aurora-air-mail"}},
		{"plain", errors.New(`quote " and <b>`), CodeInternal, map[string]string{}},
		{"not found", store.ErrNotFound, CodeNotFound, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enc := Encode(c.err)
			text := enc.Error()
			if !strings.HasPrefix(text, Marker) {
				t.Fatalf("no marker: %q", text)
			}
			var p struct {
				Code   string            `json:"code"`
				Params map[string]string `json:"params"`
				Detail string            `json:"detail"`
			}
			if err := json.Unmarshal([]byte(strings.TrimPrefix(text, Marker)), &p); err != nil {
				t.Fatalf("not JSON after the marker: %v: %q", err, text)
			}
			if p.Code != c.code || fmt.Sprint(p.Params) != fmt.Sprint(c.params) || p.Detail != c.err.Error() {
				t.Errorf("got %+v, want code %q params %v detail %q", p, c.code, c.params, c.err.Error())
			}
			if p.Params == nil {
				t.Error("params must be an object, never null")
			}
			if !errors.Is(enc, c.err) {
				t.Error("encoded error no longer wraps its cause")
			}
			if again := Encode(enc); again.Error() != text {
				t.Errorf("encoding twice changed the text: %q", again)
			}
			code, params, detail, ok := Decode("reason: " + text)
			if !ok || code != c.code || detail != c.err.Error() || fmt.Sprint(params) != fmt.Sprint(c.params) {
				t.Errorf("Decode = %q %v %q %v", code, params, detail, ok)
			}
		})
	}
	if Encode(nil) != nil {
		t.Error("Encode(nil) must be nil")
	}
	if _, _, detail, ok := Decode("plain English"); ok || detail != "plain English" {
		t.Error("plain text decoded as a coded error")
	}
}

// The frontend's translation test reads errorCodes.json; this keeps it equal to
// Codes. STORMDESK_UPDATE_ERROR_CODES=1 rewrites it after adding a code.
func TestCodesJSONIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "frontend", "src", "lib", "errorCodes.json")
	codelist.Check(t, path, Codes(), "STORMDESK_UPDATE_ERROR_CODES", "add the new codes' texts to i18n.errors.ts")
	seen := map[string]bool{}
	for _, c := range Codes() {
		if seen[c] {
			t.Errorf("code %q listed twice", c)
		}
		seen[c] = true
	}
}
