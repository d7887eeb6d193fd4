package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/metahook"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Names of the webhook secrets of Meta accounts (WhatsApp, Facebook,
// Instagram), stored like every account secret (keyring, or sealed on the
// team server).
const (
	SecretAppSecret   = "app-secret"
	SecretVerifyToken = "verify-token"
)

// WebhookSink is the team server's side of Meta's webhooks
// (backend/channels/metahook): it finds the accounts and their webhook
// secrets, stores items through the ingest pipeline (which skips external
// ids it already has, so a replayed webhook stores nothing twice) and
// records delivery statuses. Changed is called after something was stored.
type WebhookSink struct {
	W       *Workspace
	Secrets SecretStore
	Changed func(ctx context.Context)
	// Authors names Messenger and Instagram senders a webhook gives by id
	// only; nil leaves them to the poll.
	Authors *WebhookAuthors
}

var _ metahook.Sink = WebhookSink{}

// webhookIDs are the ids a webhook names an account by, from its settings.
type webhookIDs struct {
	PhoneNumberID string `json:"phoneNumberId"` // WhatsApp
	PageID        string `json:"pageId"`        // Facebook, Instagram
	IGUserID      string `json:"igUserId"`      // Instagram, when recorded
}

// Accounts lists the active accounts of ch with their webhook secrets. An
// account without an app secret is listed but can match no signature.
func (s WebhookSink) Accounts(ctx context.Context, ch inbox.ChannelKind) ([]metahook.Account, error) {
	all, err := s.W.Store.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook accounts of %s: %w", ch, err)
	}
	states, err := s.W.Store.AccountStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook accounts of %s: %w", ch, err)
	}
	var out []metahook.Account
	for _, a := range all {
		if a.Channel != ch || (states[a.ID] != "" && states[a.ID] != store.AccountActive) {
			continue
		}
		raw, err := s.W.Store.AccountConfig(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("webhook account %s: %w", a.Name, err)
		}
		var ids webhookIDs
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &ids); err != nil {
				return nil, fmt.Errorf("webhook account %s: settings: %w", a.Name, err)
			}
		}
		wa := metahook.Account{Account: a}
		for _, id := range []string{ids.PhoneNumberID, ids.PageID, ids.IGUserID} {
			if id != "" {
				wa.IDs = append(wa.IDs, id)
			}
		}
		for name, dst := range map[string]*string{SecretAppSecret: &wa.AppSecret, SecretVerifyToken: &wa.VerifyToken} {
			v, err := s.Secrets.Get(ctx, secrets.Key(a.Name, name))
			if err != nil && !errors.Is(err, secrets.ErrNotFound) {
				return nil, fmt.Errorf("webhook account %s: secret %s: %w", a.Name, name, err)
			}
			*dst = v
		}
		out = append(out, wa)
	}
	return out, nil
}

// Ingest stores a webhook's items of account a.
func (s WebhookSink) Ingest(ctx context.Context, a inbox.Account, items []inbox.Item) error {
	if s.Authors != nil {
		s.Authors.fill(ctx, a, items, func(ctx context.Context) (channels.Connector, error) {
			_, conn, err := s.W.Connector(ctx, s.Secrets, a.Name)
			return conn, err
		})
	}
	res, err := s.W.Pipeline.Ingest(ctx, a, items)
	if err != nil {
		return fmt.Errorf("webhook items of %s: %w", a.Name, err)
	}
	if res.Inserted > 0 && s.Changed != nil {
		s.Changed(ctx)
	}
	return nil
}

// Delivered records delivery statuses of account a's sent messages. A
// Messenger/Instagram receipt naming a thread and a watermark (or the newest
// message seen) becomes a status of each reply sent there up to it; the
// store keeps a status only when it is further along, so a late delivery
// receipt leaves a read reply read.
func (s WebhookSink) Delivered(ctx context.Context, a inbox.Account, ds []metahook.Delivery) error {
	rows := make([]store.Delivery, 0, len(ds))
	for _, d := range ds {
		row := store.Delivery{ExternalID: d.ExternalID, Status: d.Status, At: d.At, ErrorCode: d.ErrorCode, Error: d.Error}
		if d.ThreadKey == "" {
			rows = append(rows, row)
			continue
		}
		if d.ExternalID != "" {
			rows = append(rows, row)
		}
		ids, err := s.W.Store.SentUpTo(ctx, a.ID, d.ThreadKey, d.UpTo, d.ExternalID)
		if err != nil {
			return fmt.Errorf("webhook receipt of %s: %w", a.Name, err)
		}
		for _, id := range ids {
			if id != d.ExternalID {
				row.ExternalID = id
				rows = append(rows, row)
			}
		}
	}
	n, err := s.W.Store.RecordDelivery(ctx, a.ID, rows)
	if err != nil {
		return fmt.Errorf("webhook statuses of %s: %w", a.Name, err)
	}
	if n > 0 && s.Changed != nil {
		s.Changed(ctx)
	}
	return nil
}
