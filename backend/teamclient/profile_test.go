package teamclient_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/teamclient"
)

func TestProfileFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	f, err := teamclient.DefaultProfileFile()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(filepath.Dir(f.Path)) != "stormdesk" || filepath.Base(f.Path) != "team.json" {
		t.Fatalf("profile at %s, want stormdesk/team.json", f.Path)
	}
	p, err := f.Load()
	if err != nil || p.Mode != teamclient.ModeUnset {
		t.Fatalf("no file: %+v, %v; want the unset profile", p, err)
	}
	want := teamclient.Profile{Mode: teamclient.ModeTeam, Server: "https://team.example.com", Fingerprint: "AB:CD", Member: "Ann", Role: "agent", JoinedAt: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := f.Load()
	if err != nil || got != want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	raw, _ := os.ReadFile(f.Path)
	for _, secret := range []string{"token", "password"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the profile file mentions %q: %s", secret, raw)
		}
	}
	if err := os.WriteFile(f.Path, []byte(`{"mode":"maybe"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Load(); err == nil {
		t.Fatal("an unknown mode was accepted")
	}
}

// TestTokensInKeyring needs a real Secret Service (see docs/testing.md: the
// dbus-run-session wrapper); without one it skips, except in CI.
func TestTokensInKeyring(t *testing.T) {
	k := secrets.NewKeyring(fmt.Sprintf("stormdesk-test-%d", time.Now().UnixNano()))
	ctx := context.Background()
	if err := k.Set(ctx, "probe", "x"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no OS keyring in CI: %v", err)
		}
		t.Skipf("no OS keyring here: %v", err)
	}
	t.Cleanup(func() { _ = k.Delete(ctx, "probe") })
	tokens := teamclient.Tokens{Store: k}
	a, b := "https://a.example.com", "https://b.example.com:8443"
	if err := tokens.Set(ctx, a, "token-a"); err != nil {
		t.Fatal(err)
	}
	if err := tokens.Set(ctx, b, "token-b"); err != nil {
		t.Fatal(err)
	}
	if got, err := tokens.Get(ctx, a); err != nil || got != "token-a" {
		t.Fatalf("Get a = %q, %v", got, err)
	}
	if err := tokens.Delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.Get(ctx, a); err == nil {
		t.Fatal("the token of a team left is still there")
	}
	if got, err := tokens.Get(ctx, b); err != nil || got != "token-b" {
		t.Fatalf("leaving one team touched another's token: %q, %v", got, err)
	}
	_ = tokens.Delete(ctx, b)
}
