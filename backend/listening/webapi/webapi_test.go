package webapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
)

func get(srv *httptest.Server) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) { return Get(ctx, srv.URL, "/x", nil, nil) }
}

func TestDoClassifiesAnswers(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		code   string
		tries  int
	}{
		{"refused credentials", 401, `{"error": "invalid_token", "message": "expired"}`, apperr.CodeAuthFailed, 1},
		{"forbidden", 403, `{"error": "forbidden"}`, apperr.CodeNotAllowed, 1},
		{"server down", 503, `<html>down</html>`, apperr.CodeUnreachable, 3},
		{"bad request", 400, `{"message": "bad"}`, apperr.CodeInternal, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tries := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tries++
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body)
			}))
			defer srv.Close()
			sl := &channeltest.Sleeps{}
			call := Caller{Platform: "x", Retry: channels.Retry{Sleep: sl.Sleep}, Message: JSONMessage}
			var out any
			_, err := call.Do(t.Context(), true, get(srv), &out)
			if got := apperr.Classify(err).Code; got != c.code || tries != c.tries {
				t.Fatalf("code %s after %d tries (err %v), want %s after %d", got, tries, err, c.code, c.tries)
			}
		})
	}
}

func TestDoTransportAndContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	url := srv.URL
	srv.Close()
	sl := &channeltest.Sleeps{}
	call := Caller{Platform: "x", Retry: channels.Retry{Sleep: sl.Sleep}}
	var out any
	_, err := call.Do(t.Context(), true, func(ctx context.Context) (*http.Request, error) { return Get(ctx, url, "/", nil, nil) }, &out)
	if !errors.Is(err, channels.ErrTransport) || apperr.Classify(err).Code != apperr.CodeUnreachable || len(sl.Waits()) != 2 {
		t.Fatalf("closed server: %v, waits %v", err, sl.Waits())
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := call.Do(ctx, true, func(ctx context.Context) (*http.Request, error) { return Get(ctx, url, "/", nil, nil) }, &out); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestDoRateLimitWaits(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tries := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tries++
		if tries == 1 {
			w.Header().Set("X-Reset", "12")
			w.WriteHeader(429)
			return
		}
		_, _ = io.WriteString(w, `{"ok": true}`)
	}))
	defer srv.Close()
	sl := &channeltest.Sleeps{}
	call := Caller{Platform: "x", Retry: channels.Retry{Sleep: sl.Sleep}, Now: func() time.Time { return now },
		ResetWait: func(h http.Header, _ time.Time) time.Duration {
			d, _ := time.ParseDuration(h.Get("X-Reset") + "s")
			return d
		}}
	var out struct{ OK bool }
	if _, err := call.Do(t.Context(), true, get(srv), &out); err != nil || !out.OK || len(sl.Waits()) != 1 || sl.Waits()[0] != 12*time.Second {
		t.Fatalf("err %v, out %v, waits %v", err, out, sl.Waits())
	}
}

func TestMalformedAndOversizedAnswers(t *testing.T) {
	body := `{"hits": [`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
	defer srv.Close()
	call := Caller{Platform: "x"}
	var out any
	if _, err := call.Do(t.Context(), true, get(srv), &out); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "HTTP 200") {
		t.Fatalf("cut off: %v", err)
	}
	body = `"` + strings.Repeat("a", MaxAnswer) + `"`
	if _, err := call.Do(t.Context(), true, get(srv), &out); !errors.Is(err, ErrMalformed) {
		t.Fatalf("oversized: %v", err)
	}
}

func TestTerms(t *testing.T) {
	got := Terms([]string{` acme `, `"acme air"`, "", `  "" `, "acme\tair"}, true)
	want := []string{"acme", `"acme air"`, `"acme	air"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("terms %q", got)
	}

}
