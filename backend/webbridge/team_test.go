package webbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// members is an Authorizer over a fixed token table; "broken" makes it fail
// to decide, as a database outage would.
type members struct {
	byToken map[string]Member
}

func (m *members) Authorize(_ context.Context, token string) (Member, error) {
	if token == "broken" {
		return Member{}, errors.New("database unreachable")
	}
	if mem, ok := m.byToken[token]; ok {
		return mem, nil
	}
	return Member{}, ErrRefused
}

// warnings records the team's warnings.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) Warn(msg string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, fmt.Sprint(msg, args))
}

func newTeamServer(t *testing.T, https bool, ready func(context.Context) error) (*httptest.Server, *warnings) {
	t.Helper()
	auth := &members{byToken: map[string]Member{"ada-token": {ID: 1, Name: "Ada", Role: "admin"}}}
	assets := fstest.MapFS{"index.html": {Data: []byte(indexHTML)}}
	b := New([]any{&CalcService{}}, assets, nil)
	log := &warnings{}
	team := b.Team(TeamOptions{Auth: auth, Ready: ready, HTTPS: https, Log: log})
	srv := httptest.NewServer(team)
	t.Cleanup(func() { team.Close(); srv.Close() })
	return srv, log
}

func TestTeamAuthorization(t *testing.T) {
	srv, log := newTeamServer(t, false, nil)
	tests := []struct {
		name    string
		method  string
		path    string
		host    string
		headers map[string]string
		status  int
	}{
		{"no token", http.MethodPost, "/bridge/call/CalcService/Add", "", nil, 401},
		{"unknown token", http.MethodPost, "/bridge/call/CalcService/Add", "", map[string]string{"Authorization": "Bearer eve-token"}, 401},
		{"empty bearer", http.MethodPost, "/bridge/call/CalcService/Add", "", map[string]string{"Authorization": "Bearer "}, 401},
		{"undecidable token", http.MethodPost, "/bridge/call/CalcService/Add", "", map[string]string{"Authorization": "Bearer broken"}, 503},
		{"unknown token in the URL", http.MethodGet, "/?token=eve-token", "", nil, 401},
		{"member's bearer", http.MethodPost, "/bridge/call/CalcService/Add", "", map[string]string{"Authorization": "Bearer ada-token"}, 200},
		{"member's cookie", http.MethodGet, "/", "", map[string]string{"Cookie": cookieName(strings.TrimPrefix(srv.URL, "http://")) + "=ada-token"}, 200},
		{"a network host name is fine", http.MethodPost, "/bridge/call/CalcService/Add", "stormdesk.example.com", map[string]string{"Authorization": "Bearer ada-token"}, 200},
		{"the page of another site", http.MethodPost, "/bridge/call/CalcService/Add", "", map[string]string{"Authorization": "Bearer ada-token", "Origin": "https://evil.example"}, 403},
		{"the member's token in the URL: cookie and redirect", http.MethodGet, "/?token=ada-token", "", nil, 303},
		{"health needs no token", http.MethodGet, "/healthz", "", nil, 200},
		{"readiness needs no token", http.MethodGet, "/readyz", "", nil, 200},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := io.Reader(nil)
			if tt.method == http.MethodPost {
				body = strings.NewReader("[1,2]")
			}
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, body)
			req.Header.Set("Content-Type", "application/json")
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			}
			if tt.status == 303 {
				c := res.Cookies()
				if len(c) != 1 || c[0].Value != "ada-token" || c[0].Secure || res.Header.Get("Location") != "/" {
					t.Fatalf("start URL: cookies %+v, location %q", c, res.Header.Get("Location"))
				}
			}
		})
	}
	if len(log.msgs) != 1 || !strings.Contains(log.msgs[0], "database unreachable") {
		t.Fatalf("warnings %q; want the one undecidable token's", log.msgs)
	}
}

// A page that was let in before and whose token has since been revoked is told
// so in a coded error its UI words in the user's language (with "Sign in
// again"); a database outage is not a revocation and says to try again.
func TestTeamRefusalIsCoded(t *testing.T) {
	srv, _ := newTeamServer(t, false, nil)
	tests := []struct {
		name, cookie string
		status       int
		code         string
	}{
		{"revoked token", "eve-token", 401, apperr.CodeTokenRefused},
		{"undecidable token", "broken", 503, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/bridge/call/CalcService/Add", strings.NewReader("[1,2]"))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Cookie", cookieName(strings.TrimPrefix(srv.URL, "http://"))+"="+tt.cookie)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Error string }
			err = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if err != nil || res.StatusCode != tt.status {
				t.Fatalf("status %d (%v); want %d", res.StatusCode, err, tt.status)
			}
			code, _, _, ok := apperr.Decode(body.Error)
			if code != tt.code || ok != (tt.code != "") {
				t.Fatalf("error %q: code %q; want %q", body.Error, code, tt.code)
			}
		})
	}
}

func TestTeamOverHTTPS(t *testing.T) {
	srv, _ := newTeamServer(t, true, nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(srv.URL + "/?token=ada-token")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if c := res.Cookies(); len(c) != 1 || !c[0].Secure || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie over HTTPS: %+v; want Secure, HttpOnly, SameSite=Strict", c)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for origin, want := range map[string]int{"https://" + host: 200, "http://" + host: 403} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/bridge/call/CalcService/Add", strings.NewReader("[1,2]"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer ada-token")
		req.Header.Set("Origin", origin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("origin %s: %d, want %d", origin, res.StatusCode, want)
		}
	}
}

func TestTeamReadiness(t *testing.T) {
	var mu sync.Mutex
	var reason error
	srv, _ := newTeamServer(t, false, func(context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		return reason
	})
	get := func(path string) (int, string) {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"ready"`) {
		t.Fatalf("ready: %d %s", code, body)
	}
	mu.Lock()
	reason = errors.New("database unreachable")
	mu.Unlock()
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, `"reason":"database unreachable"`) {
		t.Fatalf("not ready: %d %s; want 503 with the reason", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz while not ready: %d; want 200", code)
	}
}
