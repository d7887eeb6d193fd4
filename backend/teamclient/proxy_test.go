package teamclient_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

const memberToken = "member-token-0123456789"

// fakeServer is a team server as far as the proxy sees it: it records what
// reached it and streams events when the test says so.
type fakeServer struct {
	*httptest.Server
	mu        sync.Mutex
	seen      []http.Header
	paths     []string
	nextEvent chan string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{nextEvent: make(chan string)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "server_session", Value: "server-secret"})
		fmt.Fprint(w, "<html>team page</html>")
	})
	mux.HandleFunc("/bridge/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		fmt.Fprint(w, "data: first\n\n")
		fl.Flush()
		// The second event waits until the test has read the first: it can
		// only have arrived if the proxy streamed, not buffered, the answer.
		for {
			select {
			case ev := <-f.nextEvent:
				fmt.Fprintf(w, "data: %s\n\n", ev)
				fl.Flush()
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("/bridge/call/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"result":{"me":"Ann","role":"agent"}}`)
	})
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.seen = append(f.seen, r.Header.Clone())
		f.paths = append(f.paths, r.URL.Path)
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	f.TLS = &tls.Config{Certificates: []tls.Certificate{tlscert.New(t).TLS}}
	f.StartTLS()
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) last() (string, http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) == 0 {
		return "", nil
	}
	return f.paths[len(f.paths)-1], f.seen[len(f.seen)-1]
}

func (f *fakeServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

func (f *fakeServer) url(t *testing.T) *url.URL {
	u, err := url.Parse(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fakeServer) pin() string { return teamclient.Fingerprint(f.Certificate().Raw) }

func (f *fakeServer) roots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(f.Certificate())
	return p
}

// window is the desktop's window: it opens the proxy's start URL and keeps
// the cookie it is given.
type window struct {
	proxy *httptest.Server
	http  *http.Client
	start string
}

func openWindow(t *testing.T, opts teamclient.Options) *window {
	t.Helper()
	p := teamclient.New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(func() { srv.Close(); p.Close() })
	jar, _ := cookiejar.New(nil)
	w := &window{proxy: srv, http: &http.Client{Jar: jar}, start: p.StartURL(srv.Listener.Addr().String())}
	res, err := w.http.Get(w.start)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return w
}

func (w *window) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	res, err := w.http.Get(w.proxy.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// navigate opens path as the window does (a page, not a script's call).
func (w *window) navigate(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.proxy.URL+path, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	return w.do(t, req)
}

// do sends req with the window's cookies and reads the whole answer.
func (w *window) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// codedError reads the coded error of a refusal's JSON body.
func codedError(t *testing.T, body string) (string, map[string]string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("answer %q is not JSON: %v", body, err)
	}
	code, params, _, ok := apperr.Decode(e.Error)
	if !ok {
		t.Fatalf("error %q is not coded", e.Error)
	}
	return code, params
}

func TestProxyPinnedCertificateForwardsWithBearer(t *testing.T) {
	f := newFakeServer(t)
	w := openWindow(t, teamclient.Options{Server: f.url(t), Trust: teamclient.Trust{Fingerprint: f.pin()}, Token: memberToken})
	req, _ := http.NewRequest(http.MethodGet, w.proxy.URL+"/", nil)
	req.Header.Set("Origin", w.proxy.URL)
	res, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "team page") {
		t.Fatalf("page: %d %q", res.StatusCode, body)
	}
	_, port, _ := strings.Cut(w.proxy.Listener.Addr().String(), ":")
	marker := w.http.Jar.Cookies(res.Request.URL)
	if !slices.ContainsFunc(marker, func(c *http.Cookie) bool { return c.Name == teamclient.DesktopCookie+"_"+port && c.Value == "1" }) {
		t.Errorf("the page has no desktop marker cookie: %v", marker)
	}
	if sc := res.Header.Values("Set-Cookie"); len(sc) != 0 {
		t.Errorf("the server's cookie reached the window: %q", sc)
	}
	path, h := f.last()
	if path != "/" {
		t.Fatalf("server saw %q, want /", path)
	}
	if got := h.Get("Authorization"); got != "Bearer "+memberToken {
		t.Errorf("Authorization = %q, want the member's bearer token", got)
	}
	if h.Get("Cookie") != "" || h.Get("Origin") != "" {
		t.Errorf("the proxy passed on the window's cookie %q or origin %q", h.Get("Cookie"), h.Get("Origin"))
	}
}

func TestProxyRefusesChangedCertificate(t *testing.T) {
	f := newFakeServer(t)
	other := newFakeServer(t) // its own certificate, so another fingerprint
	pinned := other.pin()
	w := openWindow(t, teamclient.Options{Server: f.url(t), Trust: teamclient.Trust{Fingerprint: pinned}, Token: memberToken})
	before := f.count()
	res, body := w.get(t, "/")
	if res.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", res.StatusCode)
	}
	code, params := codedError(t, body)
	if code != apperr.CodeServerCertChanged || params["old"] != pinned || params["new"] != f.pin() {
		t.Fatalf("code %q params %v, want server-cert-changed old=%s new=%s", code, params, pinned, f.pin())
	}
	if f.count() != before {
		t.Errorf("a request reached the server over the refused connection")
	}
}

func TestProxySystemRoots(t *testing.T) {
	f := newFakeServer(t)
	tests := []struct {
		name   string
		trust  teamclient.Trust
		status int
		code   string
	}{
		// Roots stands in for the system's: a server whose chain they verify needs no pin.
		{"trusted by the roots", teamclient.Trust{Roots: f.roots()}, http.StatusOK, ""},
		{"not trusted and not pinned", teamclient.Trust{Roots: x509.NewCertPool()}, http.StatusBadGateway, apperr.CodeServerUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := openWindow(t, teamclient.Options{Server: f.url(t), Trust: tt.trust, Token: memberToken})
			res, body := w.get(t, "/")
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%s)", res.StatusCode, tt.status, body)
			}
			if tt.code != "" {
				if code, _ := codedError(t, body); code != tt.code {
					t.Fatalf("code %q, want %q", code, tt.code)
				}
			}
		})
	}
}

func TestProxyStreamsEvents(t *testing.T) {
	f := newFakeServer(t)
	w := openWindow(t, teamclient.Options{Server: f.url(t), Trust: teamclient.Trust{Fingerprint: f.pin()}, Token: memberToken})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.proxy.URL+"/bridge/events", nil)
	res, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rd := bufio.NewReader(res.Body)
	readData := func() string {
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("event stream: %v", err)
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok {
				return strings.TrimSpace(d)
			}
		}
	}
	if got := readData(); got != "first" {
		t.Fatalf("first event %q", got)
	}
	f.nextEvent <- "second"
	if got := readData(); got != "second" {
		t.Fatalf("second event %q", got)
	}
	_, h := f.last()
	if h.Get("Authorization") != "Bearer "+memberToken {
		t.Errorf("event stream without the member's token")
	}
}

func TestProxyRequiresSecret(t *testing.T) {
	f := newFakeServer(t)
	w := openWindow(t, teamclient.Options{Server: f.url(t), Trust: teamclient.Trust{Fingerprint: f.pin()}, Token: memberToken})
	addr := w.proxy.Listener.Addr().String()
	start, _ := url.Parse(w.start)
	secret := start.Query().Get("secret")
	before := f.count()
	tests := []struct {
		name   string
		method string
		url    string
		host   string
		origin string
		cookie string
		status int
	}{
		{"no secret", http.MethodGet, "http://" + addr + "/", "", "", "", http.StatusUnauthorized},
		{"wrong secret in the URL", http.MethodGet, "http://" + addr + "/?secret=nope", "", "", "", http.StatusUnauthorized},
		{"wrong cookie", http.MethodGet, "http://" + addr + "/", "", "", "nope", http.StatusUnauthorized},
		{"secret in the URL of a call", http.MethodPost, "http://" + addr + "/bridge/call/AppService/Info?secret=" + secret, "", "", "", http.StatusUnauthorized},
		{"foreign host name", http.MethodGet, "http://" + addr + "/", "evil.example:80", "", secret, http.StatusForbidden},
		{"foreign origin", http.MethodGet, "http://" + addr + "/", "", "http://evil.example", secret, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, strings.NewReader("[]"))
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.cookie != "" {
				_, port, _ := strings.Cut(addr, ":")
				req.AddCookie(&http.Cookie{Name: "stormdesk_team_" + port, Value: tt.cookie})
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
		})
	}
	if f.count() != before {
		t.Errorf("%d refused requests reached the server", f.count()-before)
	}
	// The window itself, with the cookie, gets through.
	if res, body := w.get(t, "/"); res.StatusCode != http.StatusOK {
		t.Fatalf("window: %d %s", res.StatusCode, body)
	}
}

func TestProxyUnreachableServer(t *testing.T) {
	f := newFakeServer(t)
	u, pin := f.url(t), f.pin()
	f.Close()
	w := openWindow(t, teamclient.Options{Server: u, Trust: teamclient.Trust{Fingerprint: pin}, Token: memberToken})
	req, _ := http.NewRequest(http.MethodPost, w.proxy.URL+"/bridge/call/InboxService/List", strings.NewReader("[]"))
	req.Header.Set("Content-Type", "application/json")
	res, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", res.StatusCode)
	}
	if code, _ := codedError(t, string(body)); code != apperr.CodeServerUnreachable {
		t.Fatalf("code %q, want server-unreachable", code)
	}
}

func TestProxyAnswersNotifyOnTheDesktop(t *testing.T) {
	f := newFakeServer(t)
	var got []notify.Notification
	var fail error
	w := openWindow(t, teamclient.Options{
		Server: f.url(t), Trust: teamclient.Trust{Fingerprint: f.pin()}, Token: memberToken,
		Notify: func(_ context.Context, n notify.Notification) (bool, error) {
			if fail != nil {
				return false, fail
			}
			got = append(got, n)
			return true, nil
		},
	})
	before := f.count()
	call := func() (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, w.proxy.URL+"/bridge/call/AppService/Notify",
			strings.NewReader(`[{"tag":"mention:7","title":"Bob mentioned you","body":"@Ann look","urgent":true}]`))
		req.Header.Set("Content-Type", "application/json")
		return w.do(t, req)
	}
	res, body := call()
	if res.StatusCode != http.StatusOK || strings.TrimSpace(body) != `{"result":true}` {
		t.Fatalf("notify: %d %s", res.StatusCode, body)
	}
	want := notify.Notification{Tag: "mention:7", Title: "Bob mentioned you", Body: "@Ann look", Urgent: true}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("shown %+v, want %+v", got, want)
	}
	fail = errors.New("dbus gone")
	if res, _ := call(); res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("failing notifier: status %d", res.StatusCode)
	}
	if f.count() != before {
		t.Errorf("Notify was forwarded to the server")
	}
}

func TestProxyAnswersLocalPaths(t *testing.T) {
	f := newFakeServer(t)
	w := openWindow(t, teamclient.Options{
		Server: f.url(t), Trust: teamclient.Trust{Fingerprint: f.pin()}, Token: memberToken,
		Local: map[string]http.HandlerFunc{
			"/bridge/call/JoinService/State": func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"result":{"mode":"team"}}`)
			},
		},
	})
	before := f.count()
	res, body := w.get(t, "/bridge/call/JoinService/State")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"mode":"team"`) {
		t.Fatalf("local path: %d %s", res.StatusCode, body)
	}
	if f.count() != before {
		t.Fatal("a local path was forwarded to the server")
	}
	// Without the window's cookie the local path is refused like any other.
	res2, err := http.Get(w.proxy.URL + "/bridge/call/JoinService/State")
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusUnauthorized {
		t.Fatalf("local path without the secret: %d", res2.StatusCode)
	}
}

func TestProxyShowsAPageWhenTheServerCannotBeAsked(t *testing.T) {
	f := newFakeServer(t)
	other := newFakeServer(t)
	pinned := other.pin()
	u, pin := f.url(t), f.pin()
	down := newFakeServer(t)
	downURL, downPin := down.url(t), down.pin()
	down.Close()
	tests := []struct {
		name    string
		opts    teamclient.Options
		code    string
		retries bool
		shows   []string
	}{
		{"unreachable", teamclient.Options{Server: downURL, Trust: teamclient.Trust{Fingerprint: downPin}}, apperr.CodeServerUnreachable, true,
			[]string{"The team server does not answer.", "Сервер команды не отвечает.", "Der Team-Server antwortet nicht."}},
		{"certificate changed", teamclient.Options{Server: u, Trust: teamclient.Trust{Fingerprint: pinned}}, apperr.CodeServerCertChanged, false,
			[]string{pinned, pin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Token = memberToken
			w := openWindow(t, tt.opts)
			res, body := w.navigate(t, "/")
			if res.StatusCode != http.StatusBadGateway || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.Contains(body, `data-code="`+tt.code+`"`) || strings.Contains(body, `http-equiv="refresh"`) != tt.retries {
				t.Fatalf("page for %s (retries %v):\n%s", tt.code, tt.retries, body)
			}
			for _, s := range tt.shows {
				if !strings.Contains(body, s) {
					t.Errorf("the page does not show %q:\n%s", s, body)
				}
			}
		})
	}
}
