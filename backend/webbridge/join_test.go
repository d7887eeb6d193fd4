package webbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// cheapParams keep argon2id fast in tests; the hashing itself is
// backend/team's to test.
var cheapParams = team.Params{Memory: 64, Time: 1, Threads: 1}

// joinServer is the bridge in team mode redeeming invitations against a
// real store, as the team server wires it (root server.go).
func joinServer(t *testing.T, limit *LoginLimit) (*Team, *workspace.Workspace) {
	t.Helper()
	return joinServerAt(t, filepath.Join(t.TempDir(), "team.db"), func(*store.Store) *LoginLimit { return limit })
}

// joinServerAt is joinServer on the database at dsn, its limit made from
// the instance's store.
func joinServerAt(t *testing.T, dsn string, limit func(*store.Store) *LoginLimit) (*Team, *workspace.Workspace) {
	t.Helper()
	ctx := context.Background()
	ws, err := workspace.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	tm := New([]any{&WhoService{}}, nil, nil).Team(TeamOptions{
		Auth:       &switchable{},
		LoginLimit: limit(ws.Store),
		Join: func(ctx context.Context, in JoinRequest) (JoinResult, error) {
			m, tok, err := ws.RedeemInvite(ctx, in.Code, in.Name, in.Password, cheapParams)
			if err != nil {
				return JoinResult{}, err
			}
			return JoinResult{Token: tok, Member: Member{ID: m.ID, Name: m.Name, Role: string(m.Role)}}, nil
		},
	})
	return tm, ws
}

func postJoin(tm *Team, body, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "http://team.example:8443/join", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	w := httptest.NewRecorder()
	tm.ServeHTTP(w, req)
	return w
}

func TestJoinRedeemsAnInvitation(t *testing.T) {
	ctx := context.Background()
	tm, ws := joinServer(t, nil)
	newCode := func(role store.Role, name string) string {
		t.Helper()
		_, code, err := ws.Store.CreateInvite(ctx, role, name, "Ada", 0)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	ann, fixed, other := newCode(store.RoleAgent, ""), newCode(store.RoleApprover, "Pete Lee"), newCode(store.RoleAgent, "")

	steps := []struct {
		name, body, origin string
		status             int
		code               string // the coded error's code
	}{
		{"not JSON", `code=x`, "", 400, apperr.CodeInvalidInput},
		{"no code", `{"name":"Ann"}`, "", 400, apperr.CodeInvalidInput},
		{"another site", fmt.Sprintf(`{"code":%q,"name":"Ann"}`, ann), "https://evil.example", 403, ""},
		{"short password", fmt.Sprintf(`{"code":%q,"name":"Ann","password":"short"}`, ann), "", 400, apperr.CodeInvalidInput},
		{"no name", fmt.Sprintf(`{"code":%q}`, ann), "", 400, apperr.CodeInvalidInput},
		{"redeemed", fmt.Sprintf(`{"code":%q,"name":"Ann","password":"a long passphrase"}`, ann), "http://team.example:8443", 200, ""},
		{"used", fmt.Sprintf(`{"code":%q,"name":"Bob"}`, ann), "", 401, apperr.CodeInviteInvalid},
		{"unknown", `{"code":"nope","name":"Bob"}`, "", 401, apperr.CodeInviteInvalid},
		{"name taken", fmt.Sprintf(`{"code":%q,"name":"ann"}`, other), "", 409, apperr.CodeNameTaken},
		{"fixed name", fmt.Sprintf(`{"code":%q}`, fixed), "", 200, ""},
	}
	for _, st := range steps {
		w := postJoin(tm, st.body, st.origin)
		var out struct {
			Error  string `json:"error"`
			Token  string `json:"token"`
			Member Member `json:"member"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		if w.Code != st.status {
			t.Fatalf("%s: %d %s; want %d", st.name, w.Code, w.Body, st.status)
		}
		if st.code != "" {
			if code, _, _, ok := apperr.Decode(out.Error); !ok || code != st.code {
				t.Fatalf("%s: error %q; want code %s", st.name, out.Error, st.code)
			}
		}
		if st.status != 200 {
			continue
		}
		m, err := ws.Store.MemberByToken(ctx, out.Token)
		if err != nil || m.Name != out.Member.Name || string(m.Role) != out.Member.Role {
			t.Fatalf("%s: token names %+v, %v; answer said %+v", st.name, m, err, out.Member)
		}
		if c := w.Result().Cookies(); len(c) != 1 || c[0].Value != out.Token || !c[0].HttpOnly {
			t.Fatalf("%s: cookie %+v", st.name, c)
		}
	}
	if _, _, err := ws.Store.MemberPassword(ctx, "Ann"); err != nil {
		t.Fatalf("Ann's password was not stored: %v", err)
	}
	// The refusals before "redeemed" left the code usable; "name taken" left other usable.
	if w := postJoin(tm, fmt.Sprintf(`{"code":%q,"name":"Bea"}`, other), ""); w.Code != 200 {
		t.Fatalf("the code a taken name was refused with: %d %s", w.Code, w.Body)
	}
}

func TestJoinOneCodeTwiceAtOnce(t *testing.T) {
	ctx := context.Background()
	tm, ws := joinServer(t, nil)
	_, code, err := ws.Store.CreateInvite(ctx, store.RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = postJoin(tm, fmt.Sprintf(`{"code":%q,"name":"Racer %d"}`, code, i), "").Code
		}()
	}
	close(start)
	wg.Wait()
	members, err := ws.Store.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ok, refused := 0, 0
	for _, s := range statuses {
		switch s {
		case 200:
			ok++
		case 401:
			refused++
		}
	}
	if ok != 1 || refused != 1 || len(members) != 1 {
		t.Fatalf("statuses %v, %d members; want one 200, one 401, one member", statuses, len(members))
	}
}

func TestJoinIsRateLimited(t *testing.T) {
	now := time.Unix(5000, 0)
	byAddr := team.NewLimiter(2, 15*time.Second)
	byAddr.Now = func() time.Time { return now }
	limits := &LoginLimit{ByName: MemoryLimit{team.NewLimiter(5, time.Minute)}, ByAddress: MemoryLimit{byAddr}}
	tm, _ := joinServer(t, limits)
	for i, want := range []int{401, 401, 429} {
		w := postJoin(tm, `{"code":"guess","name":"Eve"}`, "")
		if w.Code != want {
			t.Fatalf("attempt %d: %d; want %d", i, w.Code, want)
		}
		if want == 429 {
			var out struct{ Error string }
			_ = json.Unmarshal(w.Body.Bytes(), &out)
			code, params, _, _ := apperr.Decode(out.Error)
			if w.Header().Get("Retry-After") != "15" || code != apperr.CodeLoginLimited || params["retryAfter"] != "15" {
				t.Fatalf("limited: Retry-After %q, body %s; want 15 s, login-limited", w.Header().Get("Retry-After"), w.Body)
			}
		}
	}
	now = now.Add(15 * time.Second)
	if w := postJoin(tm, `{"code":"guess","name":"Eve"}`, ""); w.Code != 401 {
		t.Fatalf("15 s later: %d; want 401 again", w.Code)
	}
}

func TestJoinPageOpensFromTheLink(t *testing.T) {
	tm, _ := joinServer(t, nil)
	tests := []struct{ lang, want string }{
		{"de-DE,de;q=0.9,en;q=0.8", "Dem Team beitreten"},
		{"ru", "Присоединиться к команде"},
		{"fr-FR, en;q=0.5", "Join the team"},
		{"", "Join the team"},
	}
	for _, tc := range tests {
		req := httptest.NewRequest(http.MethodGet, `http://team.example:8443/join?code="><script>x</script>`, nil)
		req.Header.Set("Accept-Language", tc.lang)
		w := httptest.NewRecorder()
		tm.ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, tc.want) {
			t.Fatalf("%q: %d %s; want the page in %q", tc.lang, w.Code, w.Header().Get("Content-Type"), tc.want)
		}
		if strings.Contains(body, "<script>x</script>") || !strings.Contains(body, `value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"`) {
			t.Fatalf("the code is not escaped into the form:\n%s", body)
		}
	}
}

// TestJoinAttemptsCountedForTheWholeTeam: two instances on one database
// counting in it (as the team server does) share one budget per address:
// guesses spread over both are refused once the address's attempts are
// spent, not after twice as many.
func TestJoinAttemptsCountedForTheWholeTeam(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "team.db")
	inDB := func(st *store.Store) *LoginLimit {
		return &LoginLimit{ByName: &store.AttemptLimit{Store: st, Burst: 5, Refill: time.Minute},
			ByAddress: &store.AttemptLimit{Store: st, Burst: 3, Refill: time.Hour}}
	}
	a, _ := joinServerAt(t, dsn, inDB)
	b, _ := joinServerAt(t, dsn, inDB)
	for i, want := range []int{401, 401, 401, 429, 429} {
		tm := []*Team{a, b}[i%2]
		if w := postJoin(tm, `{"code":"guess","name":"Eve"}`, ""); w.Code != want {
			t.Fatalf("guess %d (instance %d): %d %s; want %d", i, i%2, w.Code, w.Body, want)
		}
	}
}
