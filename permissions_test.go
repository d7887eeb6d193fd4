package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// Every bound method has a ruling: a method added without one is refused to
// everyone, and this says which to rule on.
func TestEveryBoundMethodHasAnAction(t *testing.T) {
	b := webbridge.New((&App{}).services(), nil, nil)
	var bound []string
	for _, full := range b.Methods() {
		name := full[strings.Index(full, ".")+1:] // drop the package
		bound = append(bound, name)
		if name == "ComposeService.Step" {
			continue // ruled by the step's action
		}
		if _, ok := methodActions[name]; !ok {
			t.Errorf("%s has no entry in methodActions", name)
		}
	}
	for name := range methodActions {
		if !slices.Contains(bound, name) {
			t.Errorf("methodActions names %s, which is not bound", name)
		}
	}
	for _, a := range []drafts.Action{drafts.ActionEdit, drafts.ActionSubmit, drafts.ActionWithdraw, drafts.ActionApprove,
		drafts.ActionReject, drafts.ActionSelfReview, drafts.ActionQueue, drafts.ActionRetry, drafts.ActionDiscard} {
		if _, ok := stepActions[a]; !ok {
			t.Errorf("compose step %q has no action", a)
		}
	}
}

// teamClient calls the team server as one member, the way a script (curl)
// would: a bearer token and a JSON body, no page involved.
type teamClient struct {
	t     *testing.T
	base  string
	name  string
	token string
}

func (c teamClient) call(svcMethod string, args ...any) (int, string) {
	c.t.Helper()
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, c.base+"/bridge/call/"+svcMethod, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// must calls and decodes the result, failing the test on any refusal.
func (c teamClient) must(out any, svcMethod string, args ...any) {
	c.t.Helper()
	status, body := c.call(svcMethod, args...)
	if status != http.StatusOK {
		c.t.Fatalf("%s as %s: %d %s", svcMethod, c.name, status, body)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(body), &struct {
			Result any `json:"result"`
		}{out}); err != nil {
			c.t.Fatalf("%s: %v in %s", svcMethod, err, body)
		}
	}
}

// refusedCode is the apperr code of a 403 body ("" when not refused so).
func refusedCode(status int, body string) string {
	if status != http.StatusForbidden {
		return ""
	}
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal([]byte(body), &e)
	code, _, _, _ := apperr.Decode(e.Error)
	return code
}

// TestTeamPermissions runs the real rules on a real server: every role tries
// every kind of action, and approves and sends replies in and out of crisis
// mode, its own and a colleague's, each call sent by hand with its token.
func TestTeamPermissions(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	adminToken := initServer(t, dsn, keyPath)
	addr, logs := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0", "--demo")
	base := "http://" + addr

	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clients := map[team.Role]teamClient{team.RoleAdmin: {t, base, "Ada", adminToken}}
	for _, m := range []struct {
		name string
		role store.Role
	}{{"Ann", store.RoleAgent}, {"Pete", store.RoleApprover}} {
		mem, err := st.CreateMember(ctx, m.name, m.role)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := st.IssueMemberToken(ctx, mem.ID)
		if err != nil {
			t.Fatal(err)
		}
		clients[team.Role(m.role)] = teamClient{t, base, m.name, tok}
	}
	admin, agent := clients[team.RoleAdmin], clients[team.RoleAgent]

	// The demo data: two accounts with conversations, one put in crisis mode.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var accounts []string
	convs := map[string][]int64{}
	deadline := time.Now().Add(60 * time.Second)
	for len(accounts) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no demo data\n%s", logs.String())
		}
		rows, err := conn.Query(ctx, `SELECT a.name, c.id FROM conversations c JOIN accounts a ON a.id = c.account_id ORDER BY a.id, c.id`)
		if err != nil {
			t.Fatal(err)
		}
		accounts, convs = nil, map[string][]int64{}
		for rows.Next() {
			var name string
			var id int64
			if err := rows.Scan(&name, &id); err != nil {
				t.Fatal(err)
			}
			if convs[name] == nil {
				accounts = append(accounts, name)
			}
			convs[name] = append(convs[name], id)
		}
		rows.Close()
		if len(accounts) < 2 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	calm, crisisAcc := accounts[0], accounts[1]
	admin.must(nil, "CrisisService/SetCrisisMode", calm, false)
	admin.must(nil, "CrisisService/SetCrisisMode", crisisAcc, true)

	var policies string
	admin.must(&policies, "SLAService/Policies")

	// Role x action, for the calls that are not reply steps.
	actions := []struct {
		action team.Action
		call   func(c teamClient) (int, string)
	}{
		{team.ActRead, func(c teamClient) (int, string) { return c.call("InboxService/Stats") }},
		{team.ActWork, func(c teamClient) (int, string) {
			return c.call("InboxService/SaveView", "view of "+c.name, map[string]any{})
		}},
		{team.ActModerate, func(c teamClient) (int, string) { return c.call("InboxService/Moderate", -1, "hide", false) }},
		{team.ActCrisisMode, func(c teamClient) (int, string) { return c.call("CrisisService/SetCrisisMode", crisisAcc, true) }},
		{team.ActAccounts, func(c teamClient) (int, string) { return c.call("AccountsService/SetEnabled", "no-such-account", true) }},
		{team.ActPolicies, func(c teamClient) (int, string) { return c.call("SLAService/SavePolicies", policies) }},
	}
	for _, role := range team.Roles() {
		for _, a := range actions {
			t.Run(fmt.Sprintf("%s/%s", role, a.action), func(t *testing.T) {
				status, body := a.call(clients[role])
				allowed := team.Allows(role, a.action)
				code := refusedCode(status, body)
				switch {
				case allowed && status == http.StatusForbidden:
					t.Fatalf("refused: %s", body)
				case !allowed && code != apperr.CodeRoleRequired:
					t.Fatalf("not refused with role-required: %d %s", status, body)
				}
			})
		}
	}

	// Replies: author x approver role x crisis. Each case drafts in a
	// conversation of its own, submits as the author, then approves (and,
	// when that passes, queues) as the member of the role.
	next := map[string]int{}
	draft := func(author teamClient, account string) drafts.Reply {
		t.Helper()
		ids := convs[account]
		if next[account] >= len(ids) {
			t.Fatalf("account %s has too few conversations", account)
		}
		id := ids[next[account]]
		next[account]++
		var list []drafts.Reply
		author.must(&list, "ComposeService/DraftForGroup", []int64{id}, "We are looking into it; thank you for your patience.")
		if len(list) != 1 {
			t.Fatalf("drafted %d replies", len(list))
		}
		var r drafts.Reply
		author.must(&r, "ComposeService/Step", ComposeStep{ReplyID: list[0].ID, Action: "submit"})
		return r
	}
	for _, crisis := range []bool{false, true} {
		for _, role := range team.Roles() {
			for _, own := range []bool{false, true} {
				name := fmt.Sprintf("crisis=%v/%s/own=%v", crisis, role, own)
				t.Run(name, func(t *testing.T) {
					approver := clients[role]
					author := agent
					if own {
						author = approver
					} else if role == team.RoleAgent {
						author = clients[team.RoleApprover]
					}
					acc := calm
					if crisis {
						acc = crisisAcc
					}
					r := draft(author, acc)
					if r.Approval.TwoPerson != crisis || r.Author != author.name {
						t.Fatalf("reply %+v: want crisis %v by %s", r.Approval, crisis, author.name)
					}
					offered := offeredSteps(t, approver, r)
					status, body := approver.call("ComposeService/Step", ComposeStep{ReplyID: r.ID, Action: "approve"})
					code := refusedCode(status, body)
					// The page offers approving exactly when the server allows it.
					if slices.Contains(offered, drafts.ActionApprove) != (status == http.StatusOK) {
						t.Errorf("%s is offered %v; approving answered %d", role, offered, status)
					}
					switch {
					case !team.Allows(role, team.ActApprove):
						if code != apperr.CodeRoleRequired {
							t.Fatalf("agent's approval: %d %s; want 403 role-required", status, body)
						}
					case crisis && own:
						if code != apperr.CodeNotAllowed || !strings.Contains(body, "second-person") {
							t.Fatalf("own crisis reply approved: %d %s; want 403 second-person", status, body)
						}
					default:
						if status != http.StatusOK {
							t.Fatalf("approval refused: %d %s", status, body)
						}
						var audit []drafts.AuditEntry
						admin.must(&audit, "ComposeService/Audit", r.ID)
						last := audit[len(audit)-1]
						if last.Action != drafts.ActionApprove || last.Who != approver.name || audit[0].Who != author.name {
							t.Fatalf("audit %+v: want created by %s, approved by %s", audit, author.name, approver.name)
						}
						approver.must(nil, "ComposeService/Step", ComposeStep{ReplyID: r.ID, Action: "queue"})
					}
					if status == http.StatusOK {
						return
					}
					// Refused: nothing happened to the reply, and the agent cannot send it either.
					var replies []drafts.Reply
					admin.must(&replies, "ComposeService/Replies", r.ConversationID)
					for _, x := range replies {
						if x.ID == r.ID && x.State != drafts.StateSubmitted {
							t.Fatalf("refused approval changed the reply: %s", x.State)
						}
					}
				})
			}
		}
	}
	// An agent cannot send a reply someone else approved.
	r := draft(agent, calm)
	clients[team.RoleApprover].must(nil, "ComposeService/Step", ComposeStep{ReplyID: r.ID, Action: "approve"})
	if status, body := agent.call("ComposeService/Step", ComposeStep{ReplyID: r.ID, Action: "queue"}); refusedCode(status, body) != apperr.CodeRoleRequired {
		t.Fatalf("agent queued a reply: %d %s", status, body)
	}
	if offered := offeredSteps(t, agent, r); slices.Contains(offered, drafts.ActionQueue) {
		t.Errorf("the agent is offered %v on an approved reply", offered)
	}

	// Me and Info name the member, not the server's OS user, with their
	// workflow role (an admin approves as an approver; the page's approval
	// notices follow Info.Role).
	var me drafts.Actor
	agent.must(&me, "ComposeService/Me")
	var info, adminInfo AppInfo
	clients[team.RoleApprover].must(&info, "AppService/Info")
	admin.must(&adminInfo, "AppService/Info")
	if me.Name != "Ann" || me.Role != drafts.RoleAgent || info.Me != "Pete" || info.Role != "approver" || adminInfo.Me != "Ada" || adminInfo.Role != "approver" {
		t.Fatalf("Me %+v, Info %s/%s, admin's Info %s/%s", me, info.Me, info.Role, adminInfo.Me, adminInfo.Role)
	}
	// Info's actions are what the server permits each role, so the page
	// offers nothing it would refuse.
	for _, role := range team.Roles() {
		var got AppInfo
		clients[role].must(&got, "AppService/Info")
		var want []string
		for _, act := range team.Actions() {
			if team.Allows(role, act) {
				want = append(want, string(act))
			}
		}
		if !got.Team || !slices.Equal(got.Actions, want) {
			t.Errorf("%s's Info: team %v, actions %v, want %v", role, got.Team, got.Actions, want)
		}
	}

	t.Run("password login", func(t *testing.T) {
		pete, err := st.MemberByName(ctx, "Pete")
		if err != nil {
			t.Fatal(err)
		}
		hash, err := team.HashPassword("pete's long passphrase", team.Params{Memory: 1024, Time: 1, Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetMemberPassword(ctx, pete.ID, hash); err != nil {
			t.Fatal(err)
		}
		login := func(name, pw string) (int, http.Header, string) {
			body, _ := json.Marshal(map[string]string{"name": name, "password": pw})
			resp, err := http.Post(base+"/login", "application/json", strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header, string(b)
		}
		status, _, body := login("Pete", "pete's long passphrase")
		var res webbridge.LoginResult
		if err := json.Unmarshal([]byte(body), &res); status != 200 || err != nil || res.Member.Role != "approver" || len(res.Token) != 64 {
			t.Fatalf("login: %d %s", status, body)
		}
		session := teamClient{t, base, "Pete", res.Token}
		var me drafts.Actor
		session.must(&me, "ComposeService/Me")
		if me.Name != "Pete" || me.Role != drafts.RoleApprover {
			t.Fatalf("session acts as %+v", me)
		}
		// Wrong passwords, and names that do not exist, read the same; then the name is held back.
		for i := range 5 {
			status, _, body := login("Pete", fmt.Sprintf("wrong guess %d!", i))
			if status != http.StatusUnauthorized || !strings.Contains(body, apperr.CodeLoginFailed) {
				t.Fatalf("wrong password %d: %d %s", i, status, body)
			}
		}
		status, hdr, body := login("Pete", "pete's long passphrase")
		if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(body, apperr.CodeLoginLimited) {
			t.Fatalf("6th attempt: %d %v %s; want 429 with Retry-After", status, hdr, body)
		}
		if status, _, body := login("Nobody", "whatever it is"); status != http.StatusUnauthorized || !strings.Contains(body, apperr.CodeLoginFailed) {
			t.Fatalf("unknown name: %d %s", status, body)
		}
	})

	t.Run("disabled member", func(t *testing.T) {
		// An open event stream of the member, then an admin disables them.
		req, _ := http.NewRequest(http.MethodGet, base+"/bridge/events", nil)
		req.Header.Set("Authorization", "Bearer "+agent.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("event stream: %v %v", resp, err)
		}
		defer resp.Body.Close()
		ended := make(chan struct{})
		go func() {
			defer close(ended)
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
			}
		}()
		ann, err := st.MemberByName(ctx, "Ann")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetMemberDisabled(ctx, ann.ID, true); err != nil {
			t.Fatal(err)
		}
		status, body := agent.call("InboxService/Stats")
		if refusedCode(status, body) != apperr.CodeMemberDisabled {
			t.Fatalf("disabled member's call: %d %s; want 403 member-disabled", status, body)
		}
		select {
		case <-ended:
		case <-time.After(30 * time.Second):
			t.Fatal("the disabled member's event stream stayed open")
		}
	})
}

// TestSinglePersonMayDoEverything: the person at a single-person desktop is
// offered every action (nobody else could do them); Info says it is no team.
func TestSinglePersonMayDoEverything(t *testing.T) {
	var want []string
	for _, act := range team.Actions() {
		want = append(want, string(act))
	}
	if got := (as{}).actions(); !slices.Equal(got, want) {
		t.Errorf("single-person actions %v, want %v", got, want)
	}
	agent := as{me: &teamMember{name: "Ann", role: team.RoleAgent}}
	if got := agent.actions(); !slices.Equal(got, []string{string(team.ActRead), string(team.ActWork)}) {
		t.Errorf("agent's actions %v", got)
	}
}

// offeredSteps is what c's page offers on reply r (its Allowed in the
// conversation's replies, as c reads them).
func offeredSteps(t *testing.T, c teamClient, r drafts.Reply) []drafts.Action {
	t.Helper()
	var replies []drafts.Reply
	c.must(&replies, "ComposeService/Replies", r.ConversationID)
	for _, x := range replies {
		if x.ID == r.ID {
			return x.Allowed
		}
	}
	t.Fatalf("%s does not see reply %s", c.name, r.ID)
	return nil
}
