package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// The single-person desktop has no team: no members, and every change is
// refused with a coded not-allowed (rule team-only).
func TestTeamServiceAlone(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)
	s := &TeamService{app: a}
	if list, err := s.Members(); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("Members alone: %v, %v; want an empty list", list, err)
	}
	calls := map[string]error{
		"Invite":       func() error { _, err := s.Invite("agent", "", 0); return err }(),
		"Invites":      func() error { _, err := s.Invites(); return err }(),
		"RevokeInvite": s.RevokeInvite(1),
		"SetRole":      s.SetRole("Ann", "admin"),
		"SetDisabled":  s.SetDisabled("Ann", true),
	}
	for name, err := range calls {
		code, params, _, ok := apperr.Decode(errText(err))
		if !ok || code != apperr.CodeNotAllowed || params["rule"] != "team-only" {
			t.Errorf("%s alone: %v; want not-allowed team-only", name, err)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// joinOver redeems code at the server by hand, as the desktop's Join screen does.
func joinOver(t *testing.T, base, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/join", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestTeamMembersOverTheServer: an admin invites, the invitee joins through
// POST /join and is listed; an agent may not invite; the last admin stays.
func TestTeamMembersOverTheServer(t *testing.T) {
	pgtest.Require(t)
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	adminToken := initServer(t, dsn, keyPath)
	addr, _ := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0")
	base := "http://" + addr
	admin := teamClient{t, base, "Ada", adminToken}

	var inv InviteCode
	admin.must(&inv, "TeamService/Invite", "agent", "", 24)
	if inv.Code == "" || inv.Link != base+"/join?code="+inv.Code {
		t.Fatalf("invite %+v; want a code and a link to %s/join", inv, base)
	}
	status, out := joinOver(t, base, `{"code":"`+inv.Code+`","name":"Ann","password":"ann's long passphrase"}`)
	token, _ := out["token"].(string)
	if status != http.StatusOK || token == "" || out["member"].(map[string]any)["role"] != "agent" {
		t.Fatalf("join: %d %v", status, out)
	}
	if status, out := joinOver(t, base, `{"code":"`+inv.Code+`","name":"Bob"}`); status != http.StatusUnauthorized {
		t.Fatalf("the code again: %d %v; want 401", status, out)
	}
	ann := teamClient{t, base, "Ann", token}
	var info AppInfo
	ann.must(&info, "AppService/Info")
	if info.Me != "Ann" {
		t.Fatalf("the joined member's token acts as %q", info.Me)
	}

	var members []MemberInfo
	ann.must(&members, "TeamService/Members") // reading the list is everyone's
	if len(members) != 2 || members[1].Name != "Ann" || !members[1].PasswordSet || !members[1].Me || members[0].Me {
		t.Fatalf("members as Ann: %+v", members)
	}
	for _, c := range []struct {
		method string
		args   []any
	}{
		{"TeamService/Invite", []any{"admin", "", 0}},
		{"TeamService/Invites", nil},
		{"TeamService/SetRole", []any{"Ann", "admin"}},
		{"TeamService/SetDisabled", []any{"Ada", true}},
		{"TeamService/RevokeInvite", []any{inv.ID}},
	} {
		if status, body := ann.call(c.method, c.args...); refusedCode(status, body) != apperr.CodeRoleRequired {
			t.Errorf("%s as an agent: %d %s; want 403 role-required", c.method, status, body)
		}
	}

	if status, body := admin.call("TeamService/SetRole", "Ada", "agent"); !strings.Contains(body, "last-admin") || status == http.StatusOK {
		t.Fatalf("demoting the only admin: %d %s; want not-allowed last-admin", status, body)
	}
	var open InviteCode
	admin.must(&open, "TeamService/Invite", "approver", "Pete Lee", 0)
	admin.must(nil, "TeamService/RevokeInvite", open.ID)
	if status, _ := joinOver(t, base, `{"code":"`+open.Code+`"}`); status != http.StatusUnauthorized {
		t.Fatalf("a revoked code: %d; want 401", status)
	}
	var invites []InviteInfo
	admin.must(&invites, "TeamService/Invites")
	if len(invites) != 2 || invites[0].State != "revoked" || invites[1].State != "used" || invites[1].UsedBy != "Ann" || invites[1].CreatedBy != "Ada" {
		t.Fatalf("invites: %+v", invites)
	}

	admin.must(nil, "TeamService/SetDisabled", "Ann", true)
	if status, body := ann.call("AppService/Info"); refusedCode(status, body) != apperr.CodeMemberDisabled {
		t.Fatalf("a disabled member's call: %d %s", status, body)
	}
	admin.must(nil, "TeamService/SetDisabled", "Ann", false)
	admin.must(nil, "TeamService/SetRole", "Ann", "approver")
	ann.must(&info, "AppService/Info")
	if info.Role != "approver" {
		t.Fatalf("Ann after the role change: %+v", info)
	}
}
