package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/secrets/secretstest"
	"github.com/stormdesk/stormdesk/backend/teamclient"
)

func newTestJoin(dir string, store *secretstest.Memory, explicit bool) *JoinService {
	return &JoinService{
		log:        slog.New(slog.DiscardHandler),
		profile:    teamclient.ProfileFile{Path: filepath.Join(dir, "team.json")},
		tokens:     teamclient.Tokens{Store: store},
		explicitDB: explicit,
	}
}

func codeOf(t *testing.T, err error) (string, map[string]string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	code, params, _, ok := apperr.Decode(err.Error())
	if !ok {
		t.Fatalf("error %q is not coded", err)
	}
	return code, params
}

// getThrough opens the proxy's start URL as the window does and makes one
// bound call through it.
func callThrough(t *testing.T, start, service, method string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	base := start[:strings.Index(start, "/?")]
	res, err = c.Post(base+"/bridge/call/"+service+"/"+method, "application/json", strings.NewReader("[]"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestJoinStateWithoutATeam(t *testing.T) {
	dir := t.TempDir()
	store := secretstest.NewMemory()
	j := newTestJoin(dir, store, false)
	st, err := j.State()
	if err != nil || !st.Offer || st.Mode != "" || !st.CanJoin {
		t.Fatalf("first start: %+v, %v; want the first screen offered", st, err)
	}
	if st, err := newTestJoin(dir, store, true).State(); err != nil || st.Offer || st.CanJoin {
		t.Fatalf("started with --db: %+v, %v; want no first screen", st, err)
	}
	if _, err := j.WorkAlone(); err != nil {
		t.Fatal(err)
	}
	// A new run remembers the choice.
	if st, err := newTestJoin(dir, store, false).State(); err != nil || st.Offer || st.Mode != "alone" {
		t.Fatalf("after Work alone: %+v, %v", st, err)
	}
	if _, err := j.Join(JoinRequest{Server: "127.0.0.1:1", Code: "x", Token: "y"}); err == nil {
		t.Fatal("a code and a token together were accepted")
	} else if code, _ := codeOf(t, err); code != apperr.CodeInvalidInput {
		t.Fatalf("code %q", code)
	}
}

// TestJoinRealServer joins a real `stormdesk server` with a self-signed
// certificate using an access token, goes through the proxy, starts again
// straight into the team, is refused when the pin no longer matches, and
// leaves.
func TestJoinRealServer(t *testing.T) {
	addr, _, token, cert := startTLSServer(t)
	fp := teamclient.Fingerprint(cert.Leaf.Raw)

	store := secretstest.NewMemory()
	cfg := t.TempDir()
	j := newTestJoin(cfg, store, false)
	t.Cleanup(j.shutdown)

	probe, err := j.Probe(addr)
	if err != nil || probe.Fingerprint != fp || probe.Trusted {
		t.Fatalf("Probe = %+v, %v; want fingerprint %s, untrusted", probe, err, fp)
	}
	// Not confirmed, or confirmed wrong: refused before the token leaves this computer.
	_, err = j.Join(JoinRequest{Server: addr, Token: token})
	if code, params := codeOf(t, err); code != apperr.CodeServerUntrusted || params["fingerprint"] != fp {
		t.Fatalf("unconfirmed: %q %v", code, params)
	}
	wrong := teamclient.Fingerprint([]byte("another certificate"))
	_, err = j.Join(JoinRequest{Server: addr, Token: token, Fingerprint: wrong})
	if code, _ := codeOf(t, err); code != apperr.CodeServerCertChanged {
		t.Fatalf("wrong fingerprint: %q", code)
	}
	_, err = j.Join(JoinRequest{Server: addr, Token: "not-a-token", Fingerprint: fp})
	if code, _ := codeOf(t, err); code != apperr.CodeAuthFailed {
		t.Fatalf("wrong token: %q", code)
	}
	if store.Len() != 0 {
		t.Fatalf("a refused join stored a token")
	}

	st, err := j.Join(JoinRequest{Server: addr, Token: token, Fingerprint: strings.ToLower(strings.ReplaceAll(fp, ":", ""))})
	if err != nil {
		t.Fatal(err)
	}
	// A token join learns the role from AppService.Info, which names the
	// drafting role: an admin approves.
	if st.Mode != "team" || st.Member != "Ada" || st.Role != "approver" || st.Fingerprint != fp || st.URL == "" {
		t.Fatalf("joined: %+v", st)
	}
	if got, _ := store.Get(context.Background(), teamclient.TokenKey("https://"+addr)); got != token {
		t.Fatalf("keyring holds %q, want the token", got)
	}
	status, body := callThrough(t, st.URL, "AppService", "Info")
	var info struct {
		Result AppInfo `json:"result"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &info) != nil || info.Result.Me != "Ada" {
		t.Fatalf("Info through the proxy: %d %s", status, body)
	}

	// A second start goes straight in.
	j2 := newTestJoin(cfg, store, false)
	t.Cleanup(j2.shutdown)
	st2, err := j2.State()
	if err != nil || st2.Offer || st2.URL == "" || st2.Error != "" {
		t.Fatalf("second start: %+v, %v", st2, err)
	}
	if status, body := callThrough(t, st2.URL, "AppService", "Info"); status != http.StatusOK {
		t.Fatalf("second start, through the proxy: %d %s", status, body)
	}

	// The server's certificate is no longer the one joined with.
	p, _ := j.profile.Load()
	p.Fingerprint = wrong
	if err := j.profile.Save(p); err != nil {
		t.Fatal(err)
	}
	st3, err := newTestJoin(cfg, store, false).State()
	if err != nil || st3.URL != "" {
		t.Fatalf("changed certificate: %+v, %v; want no URL", st3, err)
	}
	if code, params, _, _ := apperr.Decode(st3.Error); code != apperr.CodeServerCertChanged || params["old"] != wrong || params["new"] != fp {
		t.Fatalf("changed certificate: error %q", st3.Error)
	}

	// Leaving from the team's page: the proxy answers it, the window goes
	// back to its own page and the proxy stops.
	reloaded := false
	j2.reload = func() { reloaded = true }
	status, body = callThrough(t, st2.URL, "JoinService", "Leave")
	var left struct {
		Result JoinState `json:"result"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &left) != nil || !left.Result.Offer || !reloaded {
		t.Fatalf("Leave through the proxy: %d %s, reloaded %v", status, body, reloaded)
	}
	if store.Len() != 0 {
		t.Fatalf("the token stayed after leaving")
	}
	if res, err := http.Get(st2.URL); err == nil {
		res.Body.Close()
		t.Fatalf("the proxy still answers after leaving: %d", res.StatusCode)
	}
	if st, err := j.Leave(); err != nil || !st.Offer || st.Mode != "" {
		t.Fatalf("Leave again: %+v, %v", st, err)
	}
}

// brokenKeyring is a keyring that does not answer.
type brokenKeyring struct{}

func (brokenKeyring) Get(context.Context, string) (string, error) { return "", secrets.ErrUnavailable }
func (brokenKeyring) Set(context.Context, string, string) error   { return secrets.ErrUnavailable }
func (brokenKeyring) Delete(context.Context, string) error        { return secrets.ErrUnavailable }

// A team desktop whose keyring does not answer is told so, coded, and can
// still leave the team.
func TestJoinWithoutAKeyring(t *testing.T) {
	dir := t.TempDir()
	j := &JoinService{log: slog.New(slog.DiscardHandler), profile: teamclient.ProfileFile{Path: filepath.Join(dir, "team.json")},
		tokens: teamclient.Tokens{Store: brokenKeyring{}}}
	// An http server on loopback needs no certificate check; nothing listens there.
	if err := j.profile.Save(teamclient.Profile{Mode: teamclient.ModeTeam, Server: "http://127.0.0.1:9", Member: "Ann"}); err != nil {
		t.Fatal(err)
	}
	st, err := j.State()
	if err != nil || st.URL != "" {
		t.Fatalf("State = %+v, %v; want no page", st, err)
	}
	if code, _, _, _ := apperr.Decode(st.Error); code != apperr.CodeKeyringUnavailable {
		t.Fatalf("State error %q, want keyring-unavailable", st.Error)
	}
	if st, err := j.Leave(); err != nil || !st.Offer {
		t.Fatalf("Leave = %+v, %v", st, err)
	}
	if p, _ := j.profile.Load(); p.Mode != teamclient.ModeUnset {
		t.Fatalf("profile after leaving: %+v", p)
	}
}

func TestInTeam(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	log := slog.New(slog.DiscardHandler)
	f, err := teamclient.DefaultProfileFile()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		mode     teamclient.Mode
		explicit bool
		want     bool
	}{
		{"nothing chosen", teamclient.ModeUnset, false, false},
		{"alone", teamclient.ModeAlone, false, false},
		{"team", teamclient.ModeTeam, false, true},
		{"team, but started with --db", teamclient.ModeTeam, true, false},
	}
	for _, tt := range tests {
		if err := f.Save(teamclient.Profile{Mode: tt.mode}); err != nil {
			t.Fatal(err)
		}
		if got := windowInTeam(log, tt.explicit); got != tt.want {
			t.Errorf("%s: windowInTeam = %v, want %v", tt.name, got, tt.want)
		}
	}
}
