// Package metahook receives Meta's webhooks on the team server: one endpoint
// per platform (/webhooks/whatsapp, /webhooks/facebook, /webhooks/instagram)
// answering the subscription challenge with the configured verify token, and
// accepting a POST only when its X-Hub-Signature-256 is the HMAC-SHA256 of the
// raw body under the app secret of the account it concerns. What a webhook
// carries becomes the same inbox.Items the connectors' polling produces (same
// external ids and thread keys), so a replayed webhook, or an event both
// pushed and polled, is stored once; WhatsApp statuses and Messenger and
// Instagram delivery/read receipts become delivery statuses of sent replies.
// The package knows no store: a Sink persists.
package metahook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Prefix is the path the handler serves under.
const Prefix = "/webhooks/"

// DefaultMaxBody bounds a webhook body. Meta batches up to 1,000 updates in
// one POST, a few hundred kilobytes; more than this is not Meta.
const DefaultMaxBody = 3 << 20

// Account is one account a platform's webhooks may concern.
type Account struct {
	Account inbox.Account
	// IDs the platform names the account by in a webhook: WhatsApp the phone
	// number id; Facebook the Page id; Instagram the Instagram account id
	// (and the Page id, which some payloads carry).
	IDs         []string
	AppSecret   string // the Meta app's secret: the signature key
	VerifyToken string // what the subscription challenge must carry
}

// Delivery is a delivery status of a message the business sent.
//
// WhatsApp names each message (ExternalID). Messenger and Instagram may name
// a conversation instead: a ThreadKey with UpTo (Meta's watermark) stands for
// every message the business sent in that thread at or before UpTo; a
// ThreadKey with an ExternalID and no UpTo (Instagram's messaging_seen) for
// that message and every one the business sent before it.
type Delivery struct {
	ExternalID string
	Status     string // sent, delivered, read, failed
	At         time.Time
	ErrorCode  int
	Error      string
	ThreadKey  string    // "dm:<person>" for a Messenger/Instagram receipt
	UpTo       time.Time // the watermark; zero when the receipt names messages
}

// Sink is where webhooks go.
type Sink interface {
	// Accounts lists the accounts of ch with their webhook secrets.
	Accounts(ctx context.Context, ch inbox.ChannelKind) ([]Account, error)
	// Ingest stores items of a, skipping the external ids it already has.
	Ingest(ctx context.Context, a inbox.Account, items []inbox.Item) error
	// Delivered records delivery statuses of a's sent messages.
	Delivered(ctx context.Context, a inbox.Account, ds []Delivery) error
}

// Handler serves the webhook endpoints.
type Handler struct {
	Sink    Sink
	Log     *slog.Logger // nil = discard
	MaxBody int64        // 0 = DefaultMaxBody
}

var platforms = map[string]inbox.ChannelKind{
	"whatsapp":  inbox.ChannelWhatsApp,
	"facebook":  inbox.ChannelFacebook,
	"instagram": inbox.ChannelInstagram,
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

// ServeHTTP answers GET (verification) and POST (events) under Prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ch, ok := platforms[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, Prefix), "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	accts, err := h.Sink.Accounts(ctx, ch)
	if err != nil {
		h.log().Error("webhook: accounts", "channel", ch, "err", err)
		http.Error(w, "accounts unavailable", http.StatusServiceUnavailable)
		return
	}
	switch r.Method {
	case http.MethodGet:
		h.verify(w, r, ch, accts)
	case http.MethodPost:
		h.receive(w, r, ch, accts)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// verify answers Meta's subscription check: hub.mode=subscribe with the verify
// token configured for one of the platform's accounts gets hub.challenge back.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request, ch inbox.ChannelKind, accts []Account) {
	q := r.URL.Query()
	if q.Get("hub.mode") != "subscribe" || q.Get("hub.challenge") == "" {
		http.Error(w, "not a subscription request", http.StatusBadRequest)
		return
	}
	got := []byte(q.Get("hub.verify_token"))
	match := 0
	for _, a := range accts {
		// Every token is compared, so the time taken tells nothing of which.
		if a.VerifyToken != "" {
			match |= subtle.ConstantTimeCompare(got, []byte(a.VerifyToken))
		}
	}
	if match != 1 {
		h.log().Warn("webhook: subscription with a wrong verify token", "channel", ch)
		http.Error(w, "verify token does not match", http.StatusForbidden)
		return
	}
	h.log().Info("webhook: subscription verified", "channel", ch)
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, q.Get("hub.challenge"))
}

// signedBy returns the accounts whose app secret signed body; sig is the
// header's value ("sha256=<hex>").
func signedBy(sig string, body []byte, accts []Account) ([]Account, bool) {
	hexSum, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return nil, false
	}
	want, err := hex.DecodeString(hexSum)
	if err != nil || len(want) != sha256.Size {
		return nil, false
	}
	var out []Account
	for _, a := range accts {
		if a.AppSecret == "" {
			continue
		}
		m := hmac.New(sha256.New, []byte(a.AppSecret))
		m.Write(body)
		if hmac.Equal(m.Sum(nil), want) {
			out = append(out, a)
		}
	}
	return out, true
}

func (h *Handler) receive(w http.ResponseWriter, r *http.Request, ch inbox.ChannelKind, accts []Account) {
	limit := h.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading body", http.StatusBadRequest)
		return
	}
	sig := r.Header.Get("X-Hub-Signature-256")
	if sig == "" {
		http.Error(w, "X-Hub-Signature-256 missing", http.StatusUnauthorized)
		return
	}
	signers, wellFormed := signedBy(sig, body, accts)
	if !wellFormed {
		http.Error(w, "X-Hub-Signature-256 malformed", http.StatusUnauthorized)
		return
	}
	if len(signers) == 0 {
		h.log().Warn("webhook: signature matches no account's app secret", "channel", ch, "bytes", len(body))
		http.Error(w, "signature does not match", http.StatusForbidden)
		return
	}
	ev, err := parse(ch, body)
	if err != nil {
		// Signed by the app, yet not what Meta documents: answering an error
		// would only make Meta send it again.
		h.log().Warn("webhook: payload not understood", "channel", ch, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.store(r.Context(), ch, signers, ev); err != nil {
		// Meta retries a webhook that is not answered 200, for up to a day;
		// the stored part is not stored twice.
		h.log().Error("webhook: storing", "channel", ch, "err", err)
		http.Error(w, "storing failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// store hands each account's part of ev to the sink. Only accounts whose app
// secret signed the body may receive it: one app must not write into
// another's accounts.
func (h *Handler) store(ctx context.Context, ch inbox.ChannelKind, signers []Account, ev events) error {
	for id, part := range ev {
		a, ok := find(signers, id)
		if !ok {
			h.log().Warn("webhook: event for an account not set up here (or signed by another app)", "channel", ch, "id", id,
				"items", len(part.items), "statuses", len(part.deliveries))
			continue
		}
		if len(part.items) > 0 {
			if err := h.Sink.Ingest(ctx, a.Account, part.items); err != nil {
				return err
			}
		}
		if len(part.deliveries) > 0 {
			if err := h.Sink.Delivered(ctx, a.Account, part.deliveries); err != nil {
				return err
			}
		}
		h.log().Info("webhook: stored", "channel", ch, "account", a.Account.Name, "items", len(part.items), "statuses", len(part.deliveries), "skipped", part.skipped)
	}
	return nil
}

// find picks the signer named id, or the only signer when none is named so
// (an Instagram account whose id is not recorded in its settings).
func find(signers []Account, id string) (Account, bool) {
	for _, a := range signers {
		for _, x := range a.IDs {
			if x == id {
				return a, true
			}
		}
	}
	if len(signers) == 1 && signers[0].Account.Channel == inbox.ChannelInstagram {
		return signers[0], true
	}
	return Account{}, false
}
