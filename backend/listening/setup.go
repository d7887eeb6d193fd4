package listening

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
)

// Setup is what the app hands a source package's Open, as channels.Setup is
// for connectors: one configured source's stored settings (JSON, never a
// secret), its secrets read from the keyring by name, and what all sources
// share. It keeps source packages free of the keyring and the store.
type Setup struct {
	Name     string          // the source's name as the person gave it, for errors
	Settings json.RawMessage // see DecodeSettings
	Secrets  map[string]string
	HTTP     *http.Client // nil = http.DefaultClient
	Log      *slog.Logger // nil = discard
}

// DecodeSettings decodes s.Settings into v; empty settings leave v as it is.
// Unknown fields are refused, so a typo in hand-written settings is an error
// instead of an option silently ignored.
func (s Setup) DecodeSettings(v any) error {
	if len(bytes.TrimSpace(s.Settings)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(s.Settings))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("listening source %s: settings: %w", s.Name, err)
	}
	return nil
}

// Opened finishes an Open: it names the source in New's error, and returns a
// nil interface then rather than one holding a nil pointer.
func Opened[S Source](s Setup, src S, err error) (Source, error) {
	if err != nil {
		return nil, fmt.Errorf("listening source %s: %w", s.Name, err)
	}
	return src, nil
}
