package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestAccountDisableEnableRemove drives the account commands over one
// database and the OS keyring: a disabled account is listed as such and
// refuses to sync; a removed one leaves the list and its token the keyring.
func TestAccountDisableEnableRemove(t *testing.T) {
	requireKeyring(t)
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "sd.db")
	name := fmt.Sprintf("acme-bot-%d", time.Now().UnixNano())
	kr := secrets.NewKeyring(workspace.KeyringService)
	t.Cleanup(func() { _ = kr.Delete(ctx, secrets.Key(name, "token")) })

	if out, errOut, code := run(t, "123:tok\n", "account", "add", name, "--db", db, "--channel", "telegram", "--settings", `{"baseUrl":"http://127.0.0.1:9/"}`, "--secrets", "token"); code != ExitOK {
		t.Fatalf("account add: exit %d: %s %s", code, out, errOut)
	}
	steps := []struct {
		args      []string
		code      int
		out, list string // what stdout and then `account list` must contain
	}{
		{[]string{"disable", name}, ExitOK, "disabled", "disabled"},
		{[]string{"enable", name}, ExitOK, "enabled", "active"},
		{[]string{"disable", "no-such-account"}, ExitFailure, "", "active"},
	}
	for _, s := range steps {
		out, errOut, code := run(t, "", append([]string{"account"}, append(s.args, "--db", db)...)...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Fatalf("account %v: exit %d, stdout %q, stderr %q", s.args, code, out, errOut)
		}
		list, _, _ := run(t, "", "account", "list", "--db", db)
		if !strings.Contains(list, name) || !strings.Contains(list, s.list) {
			t.Fatalf("after %v, account list:\n%s", s.args, list)
		}
	}

	run(t, "", "account", "disable", name, "--db", db)
	if _, errOut, code := run(t, "", "sync", "--db", db, "--account", name); code == ExitOK || !strings.Contains(errOut, "disabled") {
		t.Fatalf("sync of a disabled account: exit %d, stderr %q", code, errOut)
	}

	if out, errOut, code := run(t, "", "account", "remove", name, "--db", db); code != ExitOK || !strings.Contains(out, "removed") {
		t.Fatalf("account remove: exit %d: %s %s", code, out, errOut)
	}
	if _, err := kr.Get(ctx, secrets.Key(name, "token")); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("the removed account's token is still in the keyring: %v", err)
	}
	if list, _, _ := run(t, "", "account", "list", "--db", db); strings.Contains(list, name) {
		t.Fatalf("a removed account is listed:\n%s", list)
	}
	if _, errOut, code := run(t, "", "account", "remove", name, "--db", db); code != ExitFailure || !strings.Contains(errOut, "already removed") {
		t.Fatalf("remove twice: exit %d, stderr %q", code, errOut)
	}
}
