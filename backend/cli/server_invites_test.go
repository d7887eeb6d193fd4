package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

var inviteCodeRE = regexp.MustCompile(`\b[a-z2-7]{5}(-[a-z2-7]{1,5}){5}\b`)

func TestServerInvites(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	run := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := Run(ctx, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}, append([]string{"server"}, args...))
		return code, out.String(), errb.String()
	}
	if code, out, errs := run("init", "--db", dsn, "--admin", "Ada"); code != ExitOK {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	steps := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"no role", []string{"invite", "add", "--db", dsn}, ExitUsage, "", "--role goes with invite add"},
		{"unknown role", []string{"invite", "add", "--role", "owner", "--db", dsn}, ExitUsage, "", "unknown role"},
		{"too long", []string{"invite", "add", "--role", "agent", "--expires", "721h", "--db", dsn}, ExitUsage, "", "at most 720h"},
		{"SQLite refused", []string{"invite", "list", "--db", "x.db"}, ExitUsage, "", "PostgreSQL URL"},
		{"revoke what", []string{"invite", "revoke", "abc", "--db", dsn}, ExitUsage, "", "number"},
		{"name of a member", []string{"invite", "add", "--role", "agent", "--name", "ada", "--db", dsn}, ExitFailure, "", "a member of that name exists"},
		{"revoke unknown", []string{"invite", "revoke", "99", "--db", dsn}, ExitFailure, "", "no open invitation 99"},
	}
	for _, st := range steps {
		code, out, errs := run(st.args...)
		if code != st.code || !strings.Contains(out, st.out) || !strings.Contains(errs, st.err) {
			t.Fatalf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", st.name, code, st.code, out, errs)
		}
	}

	code, out, errs := run("--db", dsn, "invite", "add", "--role", "approver", "--name", "Pete Lee", "--expires", "48h", "--url", "https://team.example/")
	c := inviteCodeRE.FindString(out)
	if code != ExitOK || c == "" || !strings.Contains(out, "Link: https://team.example/join?code="+c) || !strings.Contains(out, `for "Pete Lee" as approver`) {
		t.Fatalf("invite add: %d\n%s%s", code, out, errs)
	}
	code, out, _ = run("invite", "add", "--role", "agent", "--db", dsn)
	second := inviteCodeRE.FindString(out)
	if code != ExitOK || second == "" || strings.Contains(out, "Link:") {
		t.Fatalf("invite add without --url: %d\n%s", code, out)
	}
	if code, out, errs := run("invite", "revoke", "2", "--db", dsn); code != ExitOK || !strings.Contains(out, "invitation 2 revoked") {
		t.Fatalf("revoke: %d %s %s", code, out, errs)
	}

	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Once a server has started it records its address, and links name it.
	if err := s.PutSetting(ctx, workspace.SettingPublicURL, "https://desk.example:8443"); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run("invite", "add", "--role", "agent", "--db", dsn)
	if third := inviteCodeRE.FindString(out); code != ExitOK || third == "" || !strings.Contains(out, "Link: https://desk.example:8443/join?code="+third) {
		t.Fatalf("invite add after the server started: %d\n%s", code, out)
	}
	if m, _, err := s.RedeemInvite(ctx, c, "", ""); err != nil || m.Name != "Pete Lee" || m.Role != store.RoleApprover {
		t.Fatalf("the printed code redeems as %+v, %v", m, err)
	}
	if _, _, err := s.RedeemInvite(ctx, second, "Bob", ""); err == nil {
		t.Fatal("a revoked code was redeemed")
	}
	code, out, _ = run("invite", "list", "--db", dsn)
	for _, row := range []string{`(?m)^2\s+agent\s+-\s+revoked\s+server command line\s`, `(?m)^1\s+approver\s+Pete Lee\s+used\s+server command line\s.*Pete Lee\s*$`} {
		if code != ExitOK || !regexp.MustCompile(row).MatchString(out) {
			t.Fatalf("invite list: %d, no row %s in\n%s", code, row, out)
		}
	}
	if strings.Contains(out, c) {
		t.Fatal("invite list shows a code")
	}
}
