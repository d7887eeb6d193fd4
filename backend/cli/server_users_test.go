package cli

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

var memberTokenRE = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

func TestServerUsers(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	run := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := Run(ctx, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}, append([]string{"server"}, args...))
		return code, out.String(), errb.String()
	}
	if code, out, errs := run("", "init", "--db", dsn, "--admin", "Ada"); code != ExitOK {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	steps := []struct {
		name, stdin string
		args        []string
		code        int
		out, err    string
	}{
		{"add an agent", "", []string{"user", "add", "Ann", "--role", "agent", "--db", dsn}, ExitOK, `member "Ann" added as agent`, ""},
		{"flags first", "pete's long passphrase\n", []string{"--db", dsn, "user", "add", "Pete", "--role", "approver", "--password"}, ExitOK, `"Pete" added as approver`, ""},
		{"short password", "short\n", []string{"user", "add", "Sam", "--role", "agent", "--password", "--db", dsn}, ExitFailure, "", "shorter than 12"},
		{"unknown role", "", []string{"user", "add", "Eve", "--role", "owner", "--db", dsn}, ExitUsage, "", "unknown role"},
		{"no role", "", []string{"user", "add", "Eve", "--db", dsn}, ExitUsage, "", "--role goes with user add"},
		{"twice", "", []string{"user", "add", "Ann", "--role", "agent", "--db", dsn}, ExitFailure, "", "Ann"},
		{"SQLite refused", "", []string{"user", "list", "--db", "x.db"}, ExitUsage, "", "PostgreSQL URL"},
		{"unknown verb", "", []string{"user", "remove", "Ann", "--db", dsn}, ExitUsage, "", `unknown command "user remove"`},
		{"the only admin stays", "", []string{"user", "disable", "Ada", "--db", dsn}, ExitFailure, "", "only enabled admin"},
		{"nor is demoted", "", []string{"user", "role", "Ada", "agent", "--db", dsn}, ExitFailure, "", "only enabled admin"},
		{"promote", "", []string{"user", "role", "Pete", "admin", "--db", dsn}, ExitOK, "Pete is now admin", ""},
		{"then Ada may go", "", []string{"user", "disable", "Ada", "--db", dsn}, ExitOK, "Ada disabled", ""},
		{"password later", "ann's long passphrase\n", []string{"user", "password", "Ann", "--db", dsn}, ExitOK, "password of Ann set", ""},
		{"missing member", "", []string{"user", "disable", "Nobody", "--db", dsn}, ExitFailure, "", "not found"},
	}
	for _, st := range steps {
		code, out, errs := run(st.stdin, st.args...)
		if code != st.code || !strings.Contains(out, st.out) || !strings.Contains(errs, st.err) {
			t.Fatalf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", st.name, code, st.code, out, errs)
		}
		if strings.Contains(out+errs, "passphrase") {
			t.Fatalf("%s: the password was printed", st.name)
		}
	}

	code, out, _ := run("", "user", "list", "--db", dsn)
	for _, row := range []string{`Ada\s+admin\s+disabled\s+no\s+1\s`, `Ann\s+agent\s+active\s+yes\s+1\s`, `Pete\s+admin\s+active\s+yes\s+1\s`} {
		if code != ExitOK || !regexp.MustCompile(row).MatchString(out) {
			t.Fatalf("user list: %d, no row %s in\n%s", code, row, out)
		}
	}

	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, m := range list {
		roles[m.Name] = string(m.Role)
		if m.Disabled {
			roles[m.Name] += "/disabled"
		}
	}
	if roles["Ada"] != "admin/disabled" || roles["Ann"] != "agent" || roles["Pete"] != "admin" || len(roles) != 3 {
		t.Fatalf("members: %v", roles)
	}
	// The stored passwords are argon2id hashes that check.
	for name, pw := range map[string]string{"Pete": "pete's long passphrase", "Ann": "ann's long passphrase"} {
		_, hash, err := s.MemberPassword(ctx, name)
		if err != nil || !strings.HasPrefix(hash, "$argon2id$") || team.VerifyPassword(hash, pw) != nil || team.VerifyPassword(hash, pw+"x") == nil {
			t.Fatalf("%s's stored password %q: %v", name, hash, err)
		}
	}

	// Tokens: add one, list both, revoke the new one by its id.
	code, out, errs := run("", "token", "add", "Ann", "--db", dsn)
	tok := memberTokenRE.FindString(out)
	if code != ExitOK || tok == "" {
		t.Fatalf("token add: %d %s %s", code, out, errs)
	}
	if _, err := s.MemberByToken(ctx, tok); err != nil {
		t.Fatalf("the new token: %v", err)
	}
	code, out, _ = run("", "token", "list", "Ann", "--db", dsn)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || len(lines) != 3 || strings.Contains(out, tok) {
		t.Fatalf("token list: %d\n%s", code, out)
	}
	ann, _ := s.MemberByName(ctx, "Ann")
	toks, _ := s.MemberTokens(ctx, ann.ID)
	var newID string
	for _, tk := range toks {
		if tk.LastUsedAt != nil { // the one MemberByToken just used
			newID = tk.ID
		}
	}
	if code, out, errs := run("", "token", "revoke", "Ann", "ffffffffffff", "--db", dsn); code != ExitFailure || !strings.Contains(errs, "has no token") {
		t.Fatalf("revoke an unknown id: %d %s %s", code, out, errs)
	}
	if code, out, errs := run("", "token", "revoke", "Ann", newID, "--db", dsn); code != ExitOK {
		t.Fatalf("revoke: %d %s %s", code, out, errs)
	}
	if _, err := s.MemberByToken(ctx, tok); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked token: %v", err)
	}
	if toks, _ := s.MemberTokens(ctx, ann.ID); len(toks) != 1 {
		t.Fatalf("after revoke: %d tokens; want Ann's first", len(toks))
	}
}

// init's --admin may be any name, "user" too: the first subcommand word decides.
func TestServerInitAdminNamedUser(t *testing.T) {
	if w, _, ok := splitMemberWord([]string{"init", "--db", "postgres://x", "--admin", "user"}); ok {
		t.Fatalf("init --admin user routed to %q", w)
	}
	if w, rest, ok := splitMemberWord([]string{"--db", "d", "token", "list", "Ann"}); !ok || w != "token" || strings.Join(rest, " ") != "--db d list Ann" {
		t.Fatalf("token list: %q %v %v", w, rest, ok)
	}
}
