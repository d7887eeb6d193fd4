package webbridge

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Query and View mimic the shapes the real services take and return.
type Query struct {
	Text  string   `json:"text"`
	Limit int      `json:"limit"`
	Tags  []string `json:"tags"`
}

type View struct {
	ID    int64    `json:"id"`
	Text  string   `json:"text"`
	Words []string `json:"words"`
	When  *time.Time
}

type CalcService struct{ calls int }

func (c *CalcService) Add(a, b int64) (int64, error) { c.calls++; return a + b, nil }

func (c *CalcService) Find(id int64, q Query) (View, error) {
	if id <= 0 {
		return View{}, fmt.Errorf("store: conversation %d: %w", id, errors.New("not found"))
	}
	return View{ID: id, Text: q.Text, Words: strings.Fields(q.Text)}, nil
}

func (c *CalcService) Reset() error { return nil }

func (c *CalcService) Count() int { return 3 }

func (c *CalcService) Boom() (string, error) { panic("exploded") }

type InfoService struct{}

func (InfoService) Version() string { return "1.2.3" }

const indexHTML = `<!doctype html>
<html><head><title>x</title>
<script type="module" crossorigin src="./assets/index-abc.js"></script>
</head><body><div id="app"></div></body></html>`

// newTestServer serves a bridge; its srv.Client() sends the bridge's token as a
// bearer header, so tests of other behaviour get past the token check.
func newTestServer(t *testing.T) (*Bridge, *httptest.Server, *CalcService) {
	t.Helper()
	calc := &CalcService{}
	assets := fstest.MapFS{
		"index.html":       {Data: []byte(indexHTML)},
		"assets/index.css": {Data: []byte("body{}")},
	}
	b := New([]any{calc, InfoService{}}, assets, nil)
	srv := httptest.NewServer(b)
	t.Cleanup(func() { b.Close(); srv.Close() })
	c := srv.Client()
	c.Transport = bearer{token: b.Token(), next: c.Transport}
	return b, srv, calc
}

// bearer adds an Authorization header to every request, as a script would.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (a bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+a.token)
	return a.next.RoundTrip(r)
}

func post(t *testing.T, c *http.Client, url, body string) (int, map[string]json.RawMessage) {
	t.Helper()
	res, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("POST %s: body %q is not a JSON object: %v", url, raw, err)
	}
	return res.StatusCode, out
}

func TestCall(t *testing.T) {
	_, srv, calc := newTestServer(t)
	tests := []struct {
		name       string
		path, body string
		status     int
		result     string // JSON of "result" when status is 200
		errHas     string // substring of "error" otherwise
	}{
		{"typed args and result", "/bridge/call/CalcService/Add", `[40, 2]`, 200, `42`, ""},
		{"struct argument and result", "/bridge/call/CalcService/Find", `[7, {"text":"late parcel","limit":5}]`, 200,
			`{"id":7,"text":"late parcel","words":["late","parcel"],"When":null}`, ""},
		{"error only, nil", "/bridge/call/CalcService/Reset", `[]`, 200, `null`, ""},
		{"value without error", "/bridge/call/CalcService/Count", `[]`, 200, `3`, ""},
		{"empty body means no args", "/bridge/call/CalcService/Count", ``, 200, `3`, ""},
		{"value receiver service", "/bridge/call/InfoService/Version", `[]`, 200, `"1.2.3"`, ""},
		{"go error text", "/bridge/call/CalcService/Find", `[0, {}]`, 500, "", "store: conversation 0: not found"},
		{"panic becomes error", "/bridge/call/CalcService/Boom", `[]`, 500, "", "CalcService.Boom panicked: exploded"},
		{"unknown service", "/bridge/call/NopeService/Add", `[]`, 404, "", `unknown service "NopeService"`},
		{"unknown method", "/bridge/call/CalcService/Sub", `[]`, 404, "", "unknown method CalcService.Sub"},
		{"unexported method is not bound", "/bridge/call/CalcService/calls", `[]`, 404, "", "unknown method"},
		{"missing method in path", "/bridge/call/CalcService", `[]`, 404, "", "/bridge/call/{Service}/{Method}"},
		{"too few args", "/bridge/call/CalcService/Add", `[1]`, 400, "", "got 1 arguments, want 2"},
		{"too many args", "/bridge/call/CalcService/Count", `[1]`, 400, "", "got 1 arguments, want 0"},
		{"wrong arg type", "/bridge/call/CalcService/Add", `[1, "two"]`, 400, "", "argument 2 (int64)"},
		{"wrong field type", "/bridge/call/CalcService/Find", `[1, {"limit":"x"}]`, 400, "", "argument 2 (webbridge.Query)"},
		{"not an array", "/bridge/call/CalcService/Add", `{"a":1}`, 400, "", "arguments must be a JSON array"},
		{"malformed json", "/bridge/call/CalcService/Add", `[1,`, 400, "", "arguments must be a JSON array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, srv.Client(), srv.URL+tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d; body %s", status, tc.status, body)
			}
			if tc.status == 200 {
				if got := string(body["result"]); got != tc.result {
					t.Errorf("result %s, want %s", got, tc.result)
				}
				return
			}
			var msg string
			if err := json.Unmarshal(body["error"], &msg); err != nil || !strings.Contains(msg, tc.errHas) {
				t.Errorf("error %s, want it to contain %q", body["error"], tc.errHas)
			}
		})
	}
	if calc.calls != 1 {
		t.Errorf("Add ran %d times, want exactly once (rejected calls must not run)", calc.calls)
	}
}

func TestCallRefusals(t *testing.T) {
	_, srv, _ := newTestServer(t)
	tests := []struct {
		name   string
		method string
		ctype  string
		host   string
		origin string
		status int
	}{
		{"GET is not a call", http.MethodGet, "application/json", "", "", http.StatusMethodNotAllowed},
		{"form posts are refused", http.MethodPost, "text/plain", "", "", http.StatusUnsupportedMediaType},
		{"foreign host (DNS rebinding)", http.MethodPost, "application/json", "evil.example:80", "", http.StatusForbidden},
		{"cross-origin page", http.MethodPost, "application/json", "", "http://evil.example", http.StatusForbidden},
		{"same origin", http.MethodPost, "application/json", "", "same", http.StatusOK},
		{"localhost name", http.MethodPost, "application/json", "localhost:1234", "", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+"/bridge/call/CalcService/Count", strings.NewReader(`[]`))
			req.Header.Set("Content-Type", tc.ctype)
			if tc.host != "" {
				req.Host = tc.host
			}
			switch tc.origin {
			case "same":
				req.Header.Set("Origin", srv.URL)
			case "":
			default:
				req.Header.Set("Origin", tc.origin)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, tc.status, body)
			}
		})
	}
}

// sseReader reads "data:" payloads and ids from an event stream.
type sseReader struct {
	r *bufio.Reader
}

func (s sseReader) next(t *testing.T) (id, data string) {
	t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "id: "):
			id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		case line == "" && data != "":
			return id, data
		}
	}
}

func openEvents(t *testing.T, ctx context.Context, c *http.Client, url string, lastID string) sseReader {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: status %d, content type %q", res.StatusCode, ct)
	}
	r := sseReader{bufio.NewReader(res.Body)}
	// The stream announces itself before any event, so the subscription exists once this returns.
	if line, err := r.r.ReadString('\n'); err != nil || line != ": connected\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	return r
}

func TestEventsDelivered(t *testing.T) {
	b, srv, _ := newTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s1 := openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events", "")
	s2 := openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events", "")

	b.Emit(ctx, "inbox:changed")
	b.Emit(ctx, "sla:breach", map[string]any{"conversation": 12}, "late")

	for i, s := range []sseReader{s1, s2} {
		id, data := s.next(t)
		if id != "1" || data != `{"name":"inbox:changed","data":[]}` {
			t.Errorf("stream %d first event: id %q data %s", i, id, data)
		}
		id, data = s.next(t)
		if id != "2" || data != `{"name":"sla:breach","data":[{"conversation":12},"late"]}` {
			t.Errorf("stream %d second event: id %q data %s", i, id, data)
		}
	}
}

// TestEventsReplay covers the gap between serving the page and the page
// connecting (since=) and a reconnect after a dropped stream (Last-Event-ID).
func TestEventsReplay(t *testing.T) {
	b, srv, _ := newTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.Emit(ctx, "a")
	b.Emit(ctx, "b")
	b.Emit(ctx, "c")

	s := openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events?since=1", "")
	for _, want := range []string{"b", "c"} {
		if _, data := s.next(t); !strings.Contains(data, `"name":"`+want+`"`) {
			t.Errorf("replay since=1: got %s, want event %s", data, want)
		}
	}
	s = openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events?since=1", "2")
	if id, _ := s.next(t); id != "3" {
		t.Errorf("Last-Event-ID 2 resumed at id %s, want 3", id)
	}
	b.Emit(ctx, "d")
	if id, data := s.next(t); id != "4" || !strings.Contains(data, `"d"`) {
		t.Errorf("live event after replay: id %s data %s", id, data)
	}
}

func TestEmitUnencodableDataIsDropped(t *testing.T) {
	b, srv, _ := newTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events", "")
	b.Emit(ctx, "bad", make(chan int))
	b.Emit(ctx, "good")
	if _, data := s.next(t); !strings.Contains(data, `"good"`) {
		t.Errorf("got %s, want the good event only", data)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	b, srv, _ := newTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := openEvents(t, ctx, srv.Client(), srv.URL+"/bridge/events", "")
	b.Close()
	if _, err := io.ReadAll(s.r); err != nil {
		t.Fatalf("stream did not end cleanly after Close: %v", err)
	}
}

func get(t *testing.T, c *http.Client, url string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func TestIndexGetsShimBeforeBundle(t *testing.T) {
	b, srv, _ := newTestServer(t)
	b.Emit(context.Background(), "before-page")
	for _, p := range []string{"/", "/index.html"} {
		status, page, _ := get(t, srv.Client(), srv.URL+p)
		if status != 200 {
			t.Fatalf("GET %s: %d", p, status)
		}
		shim := strings.Index(page, `<script src="/bridge/wails-shim.js?since=1"></script>`)
		bundle := strings.Index(page, `src="./assets/index-abc.js"`)
		if shim < 0 || bundle < 0 || shim > bundle {
			t.Errorf("GET %s: shim at %d, bundle at %d; want the shim first:\n%s", p, shim, bundle, page)
		}
	}
	if status, body, _ := get(t, srv.Client(), srv.URL+"/assets/index.css"); status != 200 || body != "body{}" {
		t.Errorf("asset: %d %q", status, body)
	}
	if status, _, _ := get(t, srv.Client(), srv.URL+"/favicon.ico"); status != http.StatusNoContent {
		t.Errorf("favicon without one in the build: %d, want 204", status)
	}
	if status, _, _ := get(t, srv.Client(), srv.URL+"/assets/missing.js"); status != 404 {
		t.Errorf("missing asset: %d, want 404", status)
	}
}

func TestShimListsBoundMethods(t *testing.T) {
	b, srv, _ := newTestServer(t)
	want := []string{"webbridge.CalcService.Add", "webbridge.CalcService.Boom", "webbridge.CalcService.Count",
		"webbridge.CalcService.Find", "webbridge.CalcService.Reset", "webbridge.InfoService.Version"}
	if got := b.Methods(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Methods() = %v, want %v", got, want)
	}
	status, js, h := get(t, srv.Client(), srv.URL+"/bridge/wails-shim.js")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Fatalf("shim: %d %s", status, h.Get("Content-Type"))
	}
	list, _ := json.Marshal(want)
	if !strings.Contains(js, "var METHODS = "+string(list)+";") {
		t.Errorf("shim does not carry the method list %s", list)
	}
	// The page's id goes with every call and on its event stream (page-local events).
	for _, fn := range []string{"EventsOnMultiple", "EventsOff", "EventsOn:", "EventSource(", "'" + PageHeader + "': page", "'&page=' + page"} {
		if !strings.Contains(js, fn) {
			t.Errorf("shim lacks %s", fn)
		}
	}
	status, body, _ := get(t, srv.Client(), srv.URL+"/bridge/methods")
	if status != 200 || strings.TrimSpace(body) != string(list) {
		t.Errorf("/bridge/methods: %d %s", status, body)
	}
}

func TestIndexMissing(t *testing.T) {
	b := New(nil, fstest.MapFS{}, nil)
	srv := httptest.NewServer(b)
	defer srv.Close()
	c := srv.Client()
	c.Transport = bearer{token: b.Token(), next: c.Transport}
	status, body, _ := get(t, srv.Client(), srv.URL+"/")
	if status != 404 || !strings.Contains(body, "frontend is not built") {
		t.Errorf("GET / without a build: %d %s", status, body)
	}
	status, body, _ = get(t, srv.Client(), srv.URL+"/bridge/methods")
	if status != 200 || strings.TrimSpace(body) != "[]" {
		t.Errorf("methods with no services: %d %s", status, body)
	}
}

func TestInjectShim(t *testing.T) {
	tests := []struct {
		name, page, want string
		ok               bool
	}{
		{"before first script", `<head><SCRIPT src=a></SCRIPT></head>`, `<head><script src="/bridge/wails-shim.js?since=5"></script>` + "\n" + `<SCRIPT src=a></SCRIPT></head>`, true},
		{"no script: end of head", `<head><title>t</title></head><body>`, `<head><title>t</title><script src="/bridge/wails-shim.js?since=5"></script>` + "\n" + `</head><body>`, true},
		{"nowhere to put it", `<p>hello</p>`, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := InjectShim([]byte(tc.page), 5)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if string(got) != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"localhost:0", true},
		{"[::1]:0", true},
		{"0.0.0.0:0", false},
		{":0", false},
		{"192.0.2.1:0", false},
		{"example.com:0", false},
		{"127.0.0.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			ln, err := Listen(context.Background(), tc.addr)
			if err == nil {
				ln.Close()
			}
			if tc.addr == "[::1]:0" && err != nil && !strings.Contains(err.Error(), "loopback") {
				t.Skipf("no IPv6 loopback here: %v", err)
			}
			if (err == nil) != tc.ok {
				t.Errorf("Listen(%q) err = %v, want ok=%v", tc.addr, err, tc.ok)
			}
		})
	}
}
