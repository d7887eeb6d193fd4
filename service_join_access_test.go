package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/secrets/secretstest"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// TestJoinWithCodeUntilAccessEnds joins a real `stormdesk server` with an
// invitation code (the desktop's POST /join), works through the proxy, and
// then loses access twice: disabled by an admin (403 member-disabled) and,
// enabled again, with its token revoked (the proxy's coded token-refused).
func TestJoinWithCodeUntilAccessEnds(t *testing.T) {
	pgtest.Require(t)
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	admin := initServer(t, dsn, keyPath)
	addr, _ := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0")
	server := "http://" + addr

	var invite InviteCode
	teamClient{t, server, "Ada", admin}.must(&invite, "TeamService/Invite", "agent", "Cy", 24)
	j := newTestJoin(t.TempDir(), secretstest.NewMemory(), false)
	t.Cleanup(j.shutdown)
	st, err := j.Join(JoinRequest{Server: server, Code: invite.Code, Name: "Cy", Password: "a long passphrase for Cy"})
	if err != nil || st.URL == "" || st.Member != "Cy" || st.Role != "agent" {
		t.Fatalf("join with the code: %+v, %v", st, err)
	}
	if _, err := newTestJoin(t.TempDir(), secretstest.NewMemory(), false).Join(JoinRequest{Server: server, Code: invite.Code, Name: "Cy2"}); !apperr.Is(err, apperr.CodeInviteInvalid) {
		t.Fatalf("the code a second time: %v, want invite-invalid", err)
	}

	tests := []struct {
		name   string
		change func(t *testing.T)
		status int
		code   string
	}{
		{"joined", func(*testing.T) {}, http.StatusOK, ""},
		{"disabled", func(t *testing.T) {
			teamClient{t, server, "Ada", admin}.must(nil, "TeamService/SetDisabled", "Cy", true)
		}, http.StatusForbidden, apperr.CodeMemberDisabled},
		{"enabled again", func(t *testing.T) {
			teamClient{t, server, "Ada", admin}.must(nil, "TeamService/SetDisabled", "Cy", false)
		}, http.StatusOK, ""},
		{"token revoked", func(t *testing.T) { revokeTokens(t, dsn, "Cy") }, http.StatusUnauthorized, apperr.CodeTokenRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change(t)
			status, body := callThrough(t, st.URL, "AppService", "Info")
			if status != tt.status {
				t.Fatalf("Info through the proxy: %d %s, want %d", status, body, tt.status)
			}
			if tt.code == "" {
				return
			}
			var e struct{ Error string }
			_ = json.Unmarshal([]byte(body), &e)
			if code, _, _, _ := apperr.Decode(e.Error); code != tt.code {
				t.Fatalf("Info through the proxy: %s, want coded %s", body, tt.code)
			}
		})
	}
}

var tokenIDRE = regexp.MustCompile(`(?m)^([0-9a-f]{12})\s`)

// revokeTokens revokes every token of member as an admin does, on the server's shell.
func revokeTokens(t *testing.T, dsn, member string) {
	t.Helper()
	run := func(args ...string) string {
		var out, errOut bytes.Buffer
		if code := cli.Run(context.Background(), cli.Env{Stdout: &out, Stderr: &errOut}, append(args, "--db", dsn)); code != cli.ExitOK {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return out.String()
	}
	list := run("server", "token", "list", member)
	ids := tokenIDRE.FindAllStringSubmatch(list, -1)
	if len(ids) == 0 {
		t.Fatalf("no token of %s listed:\n%s", member, list)
	}
	for _, id := range ids {
		run("server", "token", "revoke", member, id[1])
	}
}
