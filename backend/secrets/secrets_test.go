package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// keyringOrSkip returns a keyring under a unique service name. It needs a real
// Secret Service (make test starts one with dbus-run-session and
// gnome-keyring-daemon); without one it skips, except in CI where it fails.
func keyringOrSkip(t *testing.T) *Keyring {
	t.Helper()
	k := NewKeyring(fmt.Sprintf("stormdesk-test-%d", time.Now().UnixNano()))
	if err := k.Set(context.Background(), "probe", "x"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no OS keyring in CI: %v", err)
		}
		t.Skipf("no OS keyring here: %v", err)
	}
	t.Cleanup(func() { _ = k.Delete(context.Background(), "probe") })
	return k
}

func TestKeyringRoundTrip(t *testing.T) {
	ctx := context.Background()
	k := keyringOrSkip(t)
	tests := []struct{ key, value string }{
		{Key("acme-mail", "password"), "p@ss wörd"},
		{Key("север-vk", "token"), "vk1.a.токен-😀"},
		{Key("acme-mail", "smtp-password"), ""},
	}
	for _, tt := range tests {
		if err := k.Set(ctx, tt.key, tt.value); err != nil {
			t.Fatalf("Set %q: %v", tt.key, err)
		}
	}
	for _, tt := range tests {
		got, err := k.Get(ctx, tt.key)
		if err != nil || got != tt.value {
			t.Fatalf("Get %q = %q, %v; want %q", tt.key, got, err, tt.value)
		}
	}
	if err := k.Set(ctx, tests[0].key, "rotated"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(ctx, tests[0].key); got != "rotated" {
		t.Fatalf("after replace: %q", got)
	}
	for _, tt := range tests {
		if err := k.Delete(ctx, tt.key); err != nil {
			t.Fatal(err)
		}
		if _, err := k.Get(ctx, tt.key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
		}
	}
	if err := k.Delete(ctx, "never-stored"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
}

// TestUnavailableKeyringIsAClearError runs a Get in a child process whose
// session bus does not exist, as on a headless machine without a keyring.
func TestUnavailableKeyringIsAClearError(t *testing.T) {
	if os.Getenv("STORMDESK_KEYRING_CHILD") == "1" {
		_, err := NewKeyring("stormdesk-test").Get(context.Background(), Key("acme", "password"))
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "Secret Service") {
			fmt.Printf("unexpected error: %v\n", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestUnavailableKeyringIsAClearError$")
	cmd.Env = append(os.Environ(), "STORMDESK_KEYRING_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
