package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/secrets/secretstest"
)

// keyringOrSkip returns a keyring under a unique service name. It needs a real
// Secret Service (make test starts one with dbus-run-session and
// gnome-keyring-daemon); without one it skips, except in CI where it fails.
func keyringOrSkip(t *testing.T) *secrets.Keyring {
	t.Helper()
	k := secrets.NewKeyring(fmt.Sprintf("stormdesk-test-%d", time.Now().UnixNano()))
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
	secretstest.RoundTrip(t, keyringOrSkip(t))
}

// TestUnavailableKeyringIsAClearError runs a Get in a child process whose
// session bus does not exist, as on a headless machine without a keyring.
func TestUnavailableKeyringIsAClearError(t *testing.T) {
	if os.Getenv("STORMDESK_KEYRING_CHILD") == "1" {
		_, err := secrets.NewKeyring("stormdesk-test").Get(context.Background(), secrets.Key("acme", "password"))
		if !errors.Is(err, secrets.ErrUnavailable) || !strings.Contains(err.Error(), "Secret Service") {
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
