package teamclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Mode is what the person chose on the first screen.
type Mode string

const (
	// ModeUnset: nothing chosen yet; the window shows the first screen.
	ModeUnset Mode = ""
	// ModeAlone: the single-person app on this computer's database.
	ModeAlone Mode = "alone"
	// ModeTeam: the window shows the team server's page through the proxy.
	ModeTeam Mode = "team"
)

// Profile is the desktop's choice and, in a team, how to reach the server.
// It holds nothing secret: the member's token is in the OS keyring.
type Profile struct {
	Mode Mode `json:"mode"`
	// Server is the team server's base URL (https://host:port).
	Server string `json:"server,omitempty"`
	// Fingerprint pins the server's leaf certificate ("" when the system's
	// roots trust it).
	Fingerprint string    `json:"fingerprint,omitempty"`
	Member      string    `json:"member,omitempty"`
	Role        string    `json:"role,omitempty"`
	JoinedAt    time.Time `json:"joinedAt,omitzero"`
}

// ProfileFile reads and writes the profile as JSON at Path.
type ProfileFile struct {
	Path string
}

// DefaultProfileFile is stormdesk/team.json under the user's config
// directory (XDG_CONFIG_HOME on Linux).
func DefaultProfileFile() (ProfileFile, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ProfileFile{}, fmt.Errorf("team profile: %w", err)
	}
	return ProfileFile{Path: filepath.Join(dir, "stormdesk", "team.json")}, nil
}

// Load returns the stored profile; a missing file is the unset profile.
func (f ProfileFile) Load() (Profile, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, nil
	}
	if err != nil {
		return Profile{}, fmt.Errorf("read team profile: %w", err)
	}
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return Profile{}, fmt.Errorf("read team profile %s: %w", filepath.Base(f.Path), err)
	}
	switch p.Mode {
	case ModeUnset, ModeAlone, ModeTeam:
	default:
		return Profile{}, fmt.Errorf("read team profile: unknown mode %q", p.Mode)
	}
	return p, nil
}

// Save writes p atomically (a temporary file renamed over the old one), so a
// crash never leaves half a profile.
func (f ProfileFile) Save(p Profile) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return fmt.Errorf("save team profile: %w", err)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("save team profile: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".team-*.json")
	if err != nil {
		return fmt.Errorf("save team profile: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save team profile: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save team profile: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("save team profile: %w", err)
	}
	return nil
}

// SecretStore is the part of the OS keyring the desktop needs
// (secrets.Keyring).
type SecretStore interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// TokenKey names the keyring entry of the member token for server, one per
// server so leaving one team never touches another's token.
func TokenKey(server string) string { return "team/" + server + "/token" }

// Tokens keeps member tokens in a SecretStore.
type Tokens struct {
	Store SecretStore
}

// Get returns the token for server.
func (t Tokens) Get(ctx context.Context, server string) (string, error) {
	tok, err := t.Store.Get(ctx, TokenKey(server))
	if err != nil {
		return "", fmt.Errorf("team token for %s: %w", server, err)
	}
	return tok, nil
}

// Set stores the token for server.
func (t Tokens) Set(ctx context.Context, server, token string) error {
	if err := t.Store.Set(ctx, TokenKey(server), token); err != nil {
		return fmt.Errorf("store team token for %s: %w", server, err)
	}
	return nil
}

// Delete forgets the token for server.
func (t Tokens) Delete(ctx context.Context, server string) error {
	if err := t.Store.Delete(ctx, TokenKey(server)); err != nil {
		return fmt.Errorf("forget team token for %s: %w", server, err)
	}
	return nil
}
