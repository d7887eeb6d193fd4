package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Secret describes one secret a channel needs, for setup forms and the CLI.
type Secret struct {
	Name     string `json:"name"` // stored under secrets.Key(account, Name)
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// Setup is what the registry hands a connector package's Open: one account's
// stored settings, a way to read its secrets, and what all connectors share.
// It keeps connector packages free of the keyring and the store.
type Setup struct {
	Account  inbox.Account
	Settings json.RawMessage // the stored, non-secret settings; see DecodeSettings
	// Secrets holds the account's secrets by Secret.Name, read by the
	// registry before Open; an optional secret that is not stored is "".
	Secrets map[string]string
	HTTP    *http.Client // shared; its timeout is above every long-poll wait
	Log     *slog.Logger // already tagged with the account
	// SentAt looks up when a stored message of this account was sent, for
	// platform rules with time windows; nil when the caller has no store.
	SentAt func(ctx context.Context, externalID string) (time.Time, bool, error)
}

// Open builds a connector from a Setup; every connector package has one.
type Open func(Setup) (Connector, error)

// DecodeSettings decodes s.Settings into v, refusing unknown fields so a typo
// in hand-written settings is an error instead of a silently ignored option.
func (s Setup) DecodeSettings(v any) error {
	dec := json.NewDecoder(bytes.NewReader(s.Settings))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("account %s: settings: %w", s.Account.Name, err)
	}
	return nil
}

// Opened finishes an Open: it names the account in New's error, and returns a
// nil interface then rather than one holding a nil pointer.
func (s Setup) Opened(c Connector, err error) (Connector, error) {
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", s.Account.Name, err)
	}
	return c, nil
}
