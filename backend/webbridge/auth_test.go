package webbridge

import (
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTokenRequired covers who gets in: every endpoint, the page included,
// needs this run's token, by URL (swapped for a cookie), cookie or bearer header.
func TestTokenRequired(t *testing.T) {
	b, srv, calc := newTestServer(t)
	token := b.Token()
	u, _ := url.Parse(srv.URL)
	cookie := cookieName(u.Host)

	type want struct {
		status   int
		location string // for redirects
	}
	tests := []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		want    want
	}{
		{"no token: call", http.MethodPost, "/bridge/call/CalcService/Add", nil, want{status: 401}},
		{"no token: events", http.MethodGet, "/bridge/events", nil, want{status: 401}},
		{"no token: index", http.MethodGet, "/", nil, want{status: 401}},
		{"no token: shim", http.MethodGet, "/bridge/wails-shim.js", nil, want{status: 401}},
		{"no token: methods", http.MethodGet, "/bridge/methods", nil, want{status: 401}},
		{"no token: asset", http.MethodGet, "/assets/index.css", nil, want{status: 401}},
		{"wrong token in URL", http.MethodGet, "/?token=" + strings.Repeat("0", 64), nil, want{status: 401}},
		{"token prefix in URL", http.MethodGet, "/?token=" + token[:32], nil, want{status: 401}},
		{"wrong bearer: call", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Authorization": "Bearer nope"}, want{status: 401}},
		{"wrong cookie: call", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=nope"}, want{status: 401}},
		{"wrong bearer beats a right cookie", http.MethodPost, "/bridge/call/CalcService/Add",
			map[string]string{"Authorization": "Bearer nope", "Cookie": cookie + "=" + token}, want{status: 401}},
		{"cookie of another port", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookiePrefix + "_1=" + token}, want{status: 401}},
		{"basic auth is not bearer", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Authorization": "Basic " + token}, want{status: 401}},
		{"token in URL on a call", http.MethodPost, "/bridge/call/CalcService/Add?token=" + token, nil, want{status: 400}},

		{"token in URL: cookie and redirect", http.MethodGet, "/?token=" + token, nil, want{status: 303, location: "/"}},
		{"token in URL keeps path and other params", http.MethodGet, "/index.html?x=1&token=" + token, nil, want{status: 303, location: "/index.html?x=1"}},
		{"token in URL never redirects off the server", http.MethodGet, "//evil.example/?token=" + token, nil, want{status: 303, location: "/"}},

		{"cookie: call", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=" + token}, want{status: 200}},
		{"cookie: events", http.MethodGet, "/bridge/events", map[string]string{"Cookie": cookie + "=" + token}, want{status: 200}},
		{"cookie: index", http.MethodGet, "/", map[string]string{"Cookie": cookie + "=" + token}, want{status: 200}},
		{"bearer: call", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Authorization": "Bearer " + token}, want{status: 200}},
		{"bearer, any case: call", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Authorization": "bearer " + token}, want{status: 200}},
		{"bearer: events", http.MethodGet, "/bridge/events", map[string]string{"Authorization": "Bearer " + token}, want{status: 200}},

		{"Origin null", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Authorization": "Bearer " + token, "Origin": "null"}, want{status: 403}},
		{"Origin null with cookie", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=" + token, "Origin": "null"}, want{status: 403}},
		{"foreign origin", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=" + token, "Origin": "http://evil.example"}, want{status: 403}},
		{"other loopback port as origin", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=" + token, "Origin": "http://127.0.0.1:1"}, want{status: 403}},
		{"same origin", http.MethodPost, "/bridge/call/CalcService/Add", map[string]string{"Cookie": cookie + "=" + token, "Origin": srv.URL}, want{status: 200}},
	}
	// A plain client: no bearer transport, no cookie jar, redirects not followed.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	accepted := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var body io.Reader
			if tc.method == http.MethodPost {
				body = strings.NewReader(`[1, 2]`)
			}
			req, err := http.NewRequestWithContext(ctx, tc.method, srv.URL+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tc.want.status {
				got, _ := io.ReadAll(res.Body)
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, tc.want.status, got)
			}
			if tc.want.status == 200 && strings.HasPrefix(tc.path, "/bridge/call/") {
				accepted++
			}
			switch tc.want.status {
			case 401:
				got, _ := io.ReadAll(res.Body)
				if !strings.Contains(string(got), "token") || len(got) > 200 {
					t.Errorf("401 body %q: want a short message about the token", got)
				}
				if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q, want Bearer", res.Header.Get("WWW-Authenticate"))
				}
				if len(res.Cookies()) > 0 {
					t.Errorf("a refused request got a cookie: %v", res.Cookies())
				}
			case 303:
				if loc := res.Header.Get("Location"); loc != tc.want.location {
					t.Errorf("Location %q, want %q", loc, tc.want.location)
				}
				checkSessionCookie(t, res, cookie, token)
			}
		})
	}
	if calc.calls != accepted {
		t.Errorf("Add ran %d times, want %d: a refused call must not run", calc.calls, accepted)
	}
}

func checkSessionCookie(t *testing.T, res *http.Response, name, token string) {
	t.Helper()
	cs := res.Cookies()
	if len(cs) != 1 {
		t.Fatalf("cookies %v, want exactly one", cs)
	}
	c := cs[0]
	if c.Name != name || c.Value != token || c.Path != "/" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie %+v: want %s=<token>; Path=/; HttpOnly; SameSite=Strict", c, name)
	}
	if c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("cookie %+v outlives the browser session; the token is valid for one run only", c)
	}
}

// TestBrowserFlow follows what a browser does with the printed address: the
// token URL ends on the page without the token, and the cookie alone then
// opens the page, the calls and the event stream.
func TestBrowserFlow(t *testing.T) {
	b, srv, _ := newTestServer(t)
	u, _ := url.Parse(srv.URL)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}

	start := b.StartURL(u.Host)
	if !strings.HasPrefix(start, srv.URL+"/?token=") {
		t.Fatalf("StartURL = %q, want %s/?token=…", start, srv.URL)
	}
	res, err := browser.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "wails-shim.js") {
		t.Fatalf("opening the start URL: %d %s", res.StatusCode, page)
	}
	if res.Request.URL.RawQuery != "" || res.Request.URL.Path != "/" {
		t.Errorf("ended on %s, want the page without the token", res.Request.URL)
	}
	if rp := res.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("Referrer-Policy %q, want no-referrer", rp)
	}
	status, body := post(t, browser, srv.URL+"/bridge/call/CalcService/Add", `[2, 3]`)
	if status != 200 || string(body["result"]) != "5" {
		t.Errorf("call with the cookie: %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := openEvents(t, ctx, browser, srv.URL+"/bridge/events", "")
	b.Emit(ctx, "inbox:changed")
	if _, data := s.next(t); !strings.Contains(data, "inbox:changed") {
		t.Errorf("event over the cookie-authorised stream: %s", data)
	}
}

func TestTokenIsFreshAndLong(t *testing.T) {
	a, b := New(nil, nil, nil), New(nil, nil, nil)
	raw, err := hex.DecodeString(a.Token())
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: want 256 bits in hex (%v)", a.Token(), err)
	}
	if a.Token() == b.Token() {
		t.Fatal("two bridges share a token")
	}
}
