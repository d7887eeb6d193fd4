// Package keyringtest gives tests outside backend/secrets a real OS keyring
// that never touches the user's own Stormdesk entries.
package keyringtest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
)

// OrSkip returns a keyring under a service name of its own. It needs a Secret
// Service (the Makefile's test targets start a throwaway one with
// dbus-run-session and gnome-keyring-daemon); without one the test is skipped,
// except in CI, where a missing keyring would hide the secrets tests.
func OrSkip(t testing.TB) *secrets.Keyring {
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
