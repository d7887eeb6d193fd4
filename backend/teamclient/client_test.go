package teamclient_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// joinServer answers POST /join as the contract says: one code, one name.
func joinServer(t *testing.T) (*httptest.Server, *url.URL, teamclient.Trust) {
	t.Helper()
	mux := http.NewServeMux()
	taken := map[string]bool{"Bob": true}
	mux.HandleFunc("POST /join", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Code, Name, Password string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case req.Code != "GOOD-CODE":
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": apperr.Encode(&apperr.Error{Code: "invite-invalid", Err: errors.New("invitation unknown")}).Error()})
		case taken[req.Name]:
			w.WriteHeader(http.StatusConflict)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": apperr.Encode(&apperr.Error{Code: "name-taken", Params: map[string]string{"name": req.Name}, Err: errors.New("name taken")}).Error()})
		default:
			taken[req.Name] = true
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "tok-" + req.Name, "member": map[string]string{"name": req.Name, "role": "agent"}})
		}
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"status":"ready"}`)) })
	mux.HandleFunc("POST /bridge/call/AppService/Info", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-Ann" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"missing or wrong access token"}`))
			return
		}
		_, _ = w.Write([]byte(`{"result":{"me":"Ann","role":"approver","version":"x"}}`))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlscert.New(t).TLS}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return srv, u, teamclient.Trust{Fingerprint: teamclient.Fingerprint(srv.Certificate().Raw)}
}

func TestRedeem(t *testing.T) {
	_, u, trust := joinServer(t)
	c := teamclient.NewClient(u, trust)
	defer c.Close()
	ctx := context.Background()
	tests := []struct {
		name, code, member string
		wantErr            string
	}{
		{"redeemed", "GOOD-CODE", "Ann", ""},
		{"unknown code", "BAD", "Cid", "invite-invalid"},
		{"name taken", "GOOD-CODE", "Bob", "name-taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Redeem(ctx, tt.code, tt.member, "")
			if tt.wantErr != "" {
				if got := apperr.Classify(err).Code; got != tt.wantErr {
					t.Fatalf("error %v coded %q, want %q", err, got, tt.wantErr)
				}
				// Encoded for the page, the server's code survives the wrapping.
				if code, _, _, ok := apperr.Decode(apperr.Encode(err).Error()); !ok || code != tt.wantErr {
					t.Fatalf("encoded as %q", code)
				}
				return
			}
			if err != nil || res.Token != "tok-Ann" || res.Member != (teamclient.Member{Name: "Ann", Role: "agent"}) {
				t.Fatalf("Redeem = %+v, %v", res, err)
			}
		})
	}
}

func TestCheckToken(t *testing.T) {
	_, u, trust := joinServer(t)
	c := teamclient.NewClient(u, trust)
	defer c.Close()
	m, err := c.Check(context.Background(), "tok-Ann")
	if err != nil || m != (teamclient.Member{Name: "Ann", Role: "approver"}) {
		t.Fatalf("Check = %+v, %v", m, err)
	}
	if _, err := c.Check(context.Background(), "stolen"); apperr.Classify(err).Code != apperr.CodeAuthFailed {
		t.Fatalf("wrong token: %v (code %q)", err, apperr.Classify(err).Code)
	}
	wrongPin := teamclient.NewClient(u, teamclient.Trust{Fingerprint: strings.Repeat("AB:", 31) + "AB"})
	defer wrongPin.Close()
	if _, err := wrongPin.Check(context.Background(), "tok-Ann"); apperr.Classify(err).Code != apperr.CodeServerCertChanged {
		t.Fatalf("wrong pin: %v", err)
	}
}

func TestProbe(t *testing.T) {
	srv, u, trust := joinServer(t)
	res, err := teamclient.Probe(context.Background(), u.Host, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.URL != "https://"+u.Host || res.Fingerprint != trust.Fingerprint || res.Trusted {
		t.Fatalf("probe of a self-signed server = %+v; want its fingerprint, not trusted", res)
	}
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	res, err = teamclient.Probe(context.Background(), u.String(), pool)
	if err != nil || !res.Trusted {
		t.Fatalf("probe with roots that hold the certificate = %+v, %v; want trusted", res, err)
	}
	srv.Close()
	if _, err := teamclient.Probe(context.Background(), u.Host, nil); apperr.Classify(err).Code != apperr.CodeServerUnreachable {
		t.Fatalf("closed server: %v", err)
	}
}

func TestParseServer(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"team.example.com", "https://team.example.com", true},
		{"team.example.com:8443", "https://team.example.com:8443", true},
		{"https://team.example.com/", "https://team.example.com", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://team.example.com", "", false},
		{"ftp://team.example.com", "", false},
		{"  ", "", false},
	}
	for _, tt := range tests {
		u, err := teamclient.ParseServer(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseServer(%q) error %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && u.String() != tt.want {
			t.Errorf("ParseServer(%q) = %q, want %q", tt.in, u, tt.want)
		}
		if !tt.ok && apperr.Classify(err).Code != apperr.CodeInvalidInput {
			t.Errorf("ParseServer(%q): %v not coded invalid-input", tt.in, err)
		}
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	want := teamclient.Fingerprint([]byte("x"))
	for _, in := range []string{want, strings.ToLower(want), strings.ReplaceAll(want, ":", ""), strings.ReplaceAll(want, ":", " ")} {
		if got, err := teamclient.NormalizeFingerprint(in); err != nil || got != want {
			t.Errorf("NormalizeFingerprint(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "AB:CD", strings.Repeat("ZZ", 32)} {
		if _, err := teamclient.NormalizeFingerprint(bad); err == nil {
			t.Errorf("NormalizeFingerprint(%q) accepted", bad)
		}
	}
}
