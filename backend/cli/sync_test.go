package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/spamcorpus"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// requireKeyring skips without an OS keyring, except in CI where it fails.
func requireKeyring(t *testing.T) {
	t.Helper()
	k := secrets.NewKeyring(workspace.KeyringService)
	if err := k.Set(context.Background(), "probe/cli-test", "x"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no OS keyring in CI: %v", err)
		}
		t.Skipf("no OS keyring: %v", err)
	}
	_ = k.Delete(context.Background(), "probe/cli-test")
}

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}, args)
	return out.String(), errb.String(), code
}

// TestAccountAddAndSyncMail sets up a mail account with its password in the
// OS keyring and syncs real mail from a real Dovecot through the command, twice.
func TestAccountAddAndSyncMail(t *testing.T) {
	requireKeyring(t)
	srv := dovecot.New(t)
	msgs := spamcorpus.Load(t, 300)
	srv.WriteMessages("INBOX", msgs...)
	srv.Start()
	db := filepath.Join(t.TempDir(), "sd.db")
	name := fmt.Sprintf("acme-mail-%d", time.Now().UnixNano())
	t.Cleanup(func() {
		_ = secrets.NewKeyring(workspace.KeyringService).Delete(context.Background(), secrets.Key(name, "password"))
	})

	settings := fmt.Sprintf(`{"host":%q,"port":%d,"tls":"plain","username":%q,"from":"help@acme.test","smtpHost":"127.0.0.1","smtpPort":2525,"smtpTls":"plain"}`,
		srv.Host, srv.Port, srv.User)
	out, errOut, code := run(t, srv.Password+"\n", "account", "add", name, "--db", db, "--channel", "mail", "--brand", "Acme", "--settings", settings, "--secrets", "password")
	if code != ExitOK {
		t.Fatalf("account add: exit %d: %s %s", code, out, errOut)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(srv.Password)) {
		t.Fatal("the password was written into the database file")
	}

	out, errOut, code = run(t, "", "sync", "--db", db, "--account", name)
	if code != ExitOK || !strings.Contains(out, fmt.Sprintf("%d fetched, %d new messages", len(msgs), len(msgs))) {
		t.Fatalf("first sync: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	out, _, code = run(t, "", "sync", "--db", db, "--account", name)
	if code != ExitOK || !strings.Contains(out, "0 fetched, 0 new messages") {
		t.Fatalf("second sync: exit %d: %s", code, out)
	}
	list, _, _ := run(t, "", "account", "list", "--db", db)
	if !strings.Contains(list, name) || !strings.Contains(list, fmt.Sprint(len(msgs))) {
		t.Fatalf("account list:\n%s", list)
	}
}

func TestAccountAddRejectsBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sd.db")
	tests := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unknown channel", "", []string{"--channel", "fax", "--settings", "{}"}, "unknown channel"},
		{"unknown setting", "", []string{"--channel", "mail", "--settings", `{"hots":"x"}`}, "unknown field"},
		{"unknown secret", "x\n", []string{"--channel", "telegram", "--settings", "{}", "--secrets", "password"}, `no secret "password"`},
		{"secret missing on stdin", "", []string{"--channel", "telegram", "--settings", "{}", "--secrets", "token"}, "ended before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := run(t, tt.stdin, append([]string{"account", "add", "x", "--db", db}, tt.args...)...)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want usage error containing %q", code, errOut, tt.want)
			}
		})
	}
}
