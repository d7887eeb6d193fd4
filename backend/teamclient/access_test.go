package teamclient_test

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/testutil/proctest"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// refusingServer answers as the team server does for a member it no longer
// lets in: the path's last part says which refusal.
func refusingServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/Revoked"), r.URL.Path == "/revoked":
			w.Header().Set("WWW-Authenticate", `Bearer realm="stormdesk"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"sign in with a member token"}`)
		case strings.HasSuffix(r.URL.Path, "/Disabled"), r.URL.Path == "/":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"error":%q}`, apperr.Encode(apperr.MemberDisabled(errors.New("member Ann is disabled"))).Error())
		case strings.HasSuffix(r.URL.Path, "/Approve"):
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"error":%q}`, apperr.Encode(apperr.RoleRequired("agent", "approve", "approver", errors.New("refused"))).Error())
		default:
			fmt.Fprint(w, `{"result":"ok"}`)
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlscert.New(t).TLS}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestProxySaysWhenTheServerNoLongerLetsTheMemberIn(t *testing.T) {
	srv := refusingServer(t)
	u, _ := url.Parse(srv.URL)
	logs := &proctest.Buffer{}
	w := openWindow(t, teamclient.Options{
		Server: u, Trust: teamclient.Trust{Fingerprint: teamclient.Fingerprint(srv.Certificate().Raw)}, Token: memberToken,
		Log: slog.New(slog.NewTextHandler(logs, nil)),
	})
	tests := []struct {
		name, path string
		status     int
		code       string
		lost       bool // logged as the member's access refused
	}{
		{"revoked or expired token", "/bridge/call/InboxService/Revoked", http.StatusUnauthorized, apperr.CodeTokenRefused, true},
		{"disabled member", "/bridge/call/InboxService/Disabled", http.StatusForbidden, apperr.CodeMemberDisabled, true},
		{"event stream of a disabled member", "/bridge/events/Disabled", http.StatusForbidden, apperr.CodeMemberDisabled, true},
		{"one action refused", "/bridge/call/ComposeService/Approve", http.StatusForbidden, apperr.CodeRoleRequired, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := strings.Count(logs.String(), "team access refused")
			res, body := w.get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if code, _ := codedError(t, body); code != tt.code {
				t.Fatalf("code %q, want %q", code, tt.code)
			}
			logged := strings.Count(logs.String(), "team access refused") > before
			if logged != tt.lost {
				t.Errorf("logged as access refused: %v, want %v\n%s", logged, tt.lost, logs.String())
			}
			if tt.lost && !strings.Contains(logs.String(), "code="+tt.code) {
				t.Errorf("the log does not name %s:\n%s", tt.code, logs.String())
			}
		})
	}
}

func TestProxyOffersToJoinAgainOnTheTeamPage(t *testing.T) {
	srv := refusingServer(t)
	u, _ := url.Parse(srv.URL)
	w := openWindow(t, teamclient.Options{Server: u, Trust: teamclient.Trust{Fingerprint: teamclient.Fingerprint(srv.Certificate().Raw)}, Token: memberToken})
	tests := []struct {
		path, code string
		status     int
		shows      []string
	}{
		{"/", apperr.CodeMemberDisabled, http.StatusForbidden, []string{"Your access to this team was disabled.", "Ваш доступ к команде отключён.", "Erneut beitreten"}},
		{"/revoked", apperr.CodeTokenRefused, http.StatusUnauthorized, []string{"revoked or has expired", "Подключиться заново", "Join again"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			res, body := w.navigate(t, tt.path)
			if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.Contains(body, `data-code="`+tt.code+`"`) || !strings.Contains(body, `data-action="join-again"`) ||
				!strings.Contains(body, "/bridge/call/JoinService/Leave") || strings.Contains(body, `http-equiv="refresh"`) {
				t.Fatalf("want a page coded %s with a Join again button that leaves the team, no retrying:\n%s", tt.code, body)
			}
			for _, s := range tt.shows {
				if !strings.Contains(body, s) {
					t.Errorf("the page does not show %q", s)
				}
			}
		})
	}
}
