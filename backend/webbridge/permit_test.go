package webbridge

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/team"
)

// WhoService answers with the member its value was bound to.
type WhoService struct{ who string }

func (s *WhoService) Who() string { return s.who }

func (s *WhoService) Sum(a, b int64) int64 { return a + b }

// switchable is an Authorizer whose members can be disabled while streams are open.
type switchable struct {
	mu       sync.Mutex
	disabled map[string]bool
}

func (s *switchable) Authorize(_ context.Context, tok string) (Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	roles := map[string]string{"ann": "agent", "ada": "admin"}
	role, ok := roles[tok]
	switch {
	case !ok:
		return Member{}, ErrRefused
	case s.disabled[tok]:
		return Member{}, fmt.Errorf("%s: %w", tok, ErrDisabled)
	}
	return Member{Name: tok, Role: role}, nil
}

func TestTeamCallsRunAsTheMember(t *testing.T) {
	auth := &switchable{disabled: map[string]bool{}}
	b := New([]any{&WhoService{who: "nobody"}}, nil, nil)
	var permitted []string
	tm := b.Team(TeamOptions{
		Auth: auth,
		Permit: func(_ context.Context, m Member, c Call) error {
			permitted = append(permitted, fmt.Sprintf("%s %s.%s %v", m.Name, c.Service, c.Method, c.Args))
			if c.Method == "Sum" && m.Role != "admin" {
				return errors.New("stormdesk-error:{\"code\":\"role-required\"}")
			}
			return nil
		},
		ServicesFor:   func(m Member, _ string) []any { return []any{&WhoService{who: m.Name}} },
		StreamRecheck: 10 * time.Millisecond,
	})
	srv := httptest.NewServer(tm)
	t.Cleanup(func() { tm.Close(); srv.Close() })
	call := func(tok, method, args string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/bridge/call/WhoService/"+method, strings.NewReader(args))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Result any    `json:"result"`
			Error  string `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, fmt.Sprint(out.Result) + out.Error
	}
	tests := []struct {
		tok, method, args string
		status            int
		body              string
	}{
		{"ann", "Who", "[]", 200, "ann"},
		{"ada", "Who", "[]", 200, "ada"},
		{"ada", "Sum", "[2,3]", 200, "5"},
		{"ann", "Sum", "[2,3]", 403, "role-required"},
	}
	for _, tt := range tests {
		if status, body := call(tt.tok, tt.method, tt.args); status != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("%s %s: %d %s; want %d %s", tt.tok, tt.method, status, body, tt.status, tt.body)
		}
	}
	if want := "ann WhoService.Sum [2 3]"; !strings.Contains(strings.Join(permitted, "\n"), want) {
		t.Errorf("Permit saw %q; want %q among them", permitted, want)
	}

	// Ann's open stream ends once she is disabled; Ada's stays.
	open := func(tok string) chan struct{} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bridge/events", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("stream of %s: %v %v", tok, resp, err)
		}
		ended := make(chan struct{})
		go func() {
			defer close(ended)
			defer resp.Body.Close()
			for sc := bufio.NewScanner(resp.Body); sc.Scan(); {
			}
		}()
		return ended
	}
	annStream, adaStream := open("ann"), open("ada")
	auth.mu.Lock()
	auth.disabled["ann"] = true
	auth.mu.Unlock()
	select {
	case <-annStream:
	case <-time.After(10 * time.Second):
		t.Fatal("the disabled member's stream stayed open")
	}
	select {
	case <-adaStream:
		t.Fatal("another member's stream ended")
	default:
	}
	if status, body := call("ann", "Who", "[]"); status != 403 || !strings.Contains(body, "member-disabled") {
		t.Fatalf("disabled member's call: %d %s", status, body)
	}
}

func TestLoginLimits(t *testing.T) {
	b := New([]any{&WhoService{}}, nil, nil)
	now := time.Unix(5000, 0)
	byName, byAddr := team.NewLimiter(2, time.Minute), team.NewLimiter(3, time.Minute)
	byName.Now = func() time.Time { return now }
	byAddr.Now = func() time.Time { return now }
	limits := &LoginLimit{ByName: MemoryLimit{byName}, ByAddress: MemoryLimit{byAddr}}
	tm := b.Team(TeamOptions{
		Auth: &switchable{},
		Login: func(_ context.Context, name, pw string) (LoginResult, error) {
			if strings.EqualFold(name, "Ann") && pw == "right" {
				return LoginResult{Token: "ann", ExpiresAt: now.Add(time.Hour), Member: Member{Name: "Ann", Role: "agent"}}, nil
			}
			return LoginResult{}, ErrRefused
		},
		LoginLimit:        limits,
		TrustForwardedFor: true,
	})
	login := func(name, pw, from string) *http.Response {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(fmt.Sprintf(`{"name":%q,"password":%q}`, name, pw)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "203.0.113.9, "+from) // the first entry is the client's to invent
		w := httptest.NewRecorder()
		tm.ServeHTTP(w, req)
		return w.Result()
	}
	steps := []struct {
		name, pw, from string
		status         int
		retryAfter     string
	}{
		{"Ann", "wrong", "10.0.0.1", 401, ""},
		{"ann", "right", "10.0.0.2", 200, ""}, // success forgives the name's misses
		{"Ann", "wrong", "10.0.0.1", 401, ""},
		{"Ann", "wrong", "10.0.0.1", 401, ""},
		{"Ann", "right", "10.0.0.4", 429, "60"}, // the name has tried twice since
		{"Bob", "x", "10.0.0.1", 429, "60"},     // 10.0.0.1 has tried three times
		{"Bob", "x", "10.0.0.5", 401, ""},
	}
	for i, st := range steps {
		resp := login(st.name, st.pw, st.from)
		if resp.StatusCode != st.status || resp.Header.Get("Retry-After") != st.retryAfter {
			t.Fatalf("step %d (%s from %s): %d Retry-After %q; want %d %q", i, st.name, st.from, resp.StatusCode, resp.Header.Get("Retry-After"), st.status, st.retryAfter)
		}
		if st.status == 200 {
			if c := resp.Cookies(); len(c) != 1 || c[0].Value != "ann" || !c[0].HttpOnly {
				t.Fatalf("login cookie: %+v", c)
			}
		}
	}
	now = now.Add(time.Minute)
	if resp := login("Ann", "right", "10.0.0.6"); resp.StatusCode != 200 {
		t.Fatalf("a minute later: %d", resp.StatusCode)
	}
}
