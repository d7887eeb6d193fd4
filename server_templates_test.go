package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestServerSendsAWhatsAppTemplate: on the team server, a member lists a
// WhatsApp account's templates through the bridge, drafts a template reply in
// a conversation whose window closed (a value missing is refused with a
// code), submits, approves and queues it, and the server's outbox sends it
// to the Cloud API once.
func TestServerSendsAWhatsAppTemplate(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	token := initServer(t, dsn, keyPath)
	addr, logs := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0")
	base := "http://" + addr

	fake := whatsappfake.New("1065", "1022", "+49 30 1")
	defer fake.Close()
	fake.AddToken("sys-tok", graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging, whatsapp.PermManagement}})
	fake.AddTemplate(whatsappfake.Template{Name: "bag_found", Language: "de", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Hallo {{1}}, Ihr Koffer ist in {{2}} angekommen."},
	}})

	bridge := func(method string, args any, out any) (int, string) {
		t.Helper()
		b, _ := json.Marshal(args)
		req, _ := http.NewRequest(http.MethodPost, base+"/bridge/call/"+method, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == 200 && out != nil {
			var env struct {
				Result json.RawMessage `json:"result"`
			}
			if err := json.Unmarshal(body, &env); err != nil || json.Unmarshal(env.Result, out) != nil {
				t.Fatalf("%s: %v in %s", method, err, body)
			}
		}
		return resp.StatusCode, string(body)
	}
	must := func(method string, args any, out any) {
		t.Helper()
		if code, body := bridge(method, args, out); code != 200 {
			t.Fatalf("%s: %d %s\n%s", method, code, body, logs)
		}
	}

	const appSecret = "app-secret-5e1"
	settings := `{"phoneNumberId":"1065","wabaId":"1022","baseUrl":"` + fake.URL() + `"}`
	must("AccountsService/Save", []any{map[string]any{"name": "aurora-wa", "channel": "whatsapp", "brand": "Aurora Air", "handle": "", "settings": settings,
		"secrets": map[string]string{"access-token": "sys-tok", "app-secret": appSecret, "verify-token": "v"}}}, nil)
	// Test connection of the stored account answers with the token's
	// permissions over the bridge, both lists sent as arrays.
	var perms json.RawMessage
	must("AccountsService/Test", []any{"aurora-wa"}, &perms)
	if got := string(perms); got != `{"granted":["whatsapp_business_management","whatsapp_business_messaging"],"missing":[]}` {
		t.Fatalf("test connection answered %s", got)
	}
	_, p := fake.Receive("4915112345678", "Olga", "Hallo, wo ist mein Koffer?", time.Now().Add(-30*time.Hour))
	if code, err := whatsappfake.Deliver(ctx, http.DefaultClient, base+"/webhooks/whatsapp", appSecret, p); err != nil || code != 200 {
		t.Fatalf("webhook: %d %v\n%s", code, err, logs)
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.AccountByName(ctx, "aurora-wa")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := st.ConversationIDByThreadKey(ctx, a.ID, "wa:4915112345678")
	if err != nil {
		t.Fatal(err)
	}

	var list []workspace.MessageTemplate
	must("ComposeService/Templates", []any{conv}, &list)
	if len(list) != 1 || list[0].Name != "bag_found" || list[0].BodyVars != 2 {
		t.Fatalf("templates %+v", list)
	}
	code, body := bridge("ComposeService/DraftTemplate", []any{conv, drafts.ReplyTemplate{Name: "bag_found", Language: "de", Header: []string{}, Body: []string{"Olga"}}}, nil)
	if code == 200 || !strings.Contains(body, apperr.Marker) || !strings.Contains(body, `\"code\":\"`+apperr.CodeTemplateParams) && !strings.Contains(body, `"code":"`+apperr.CodeTemplateParams) {
		t.Fatalf("a missing value: %d %s", code, body)
	}
	var r drafts.Reply
	must("ComposeService/DraftTemplate", []any{conv, drafts.ReplyTemplate{Name: "bag_found", Language: "de", Header: []string{}, Body: []string{"Olga", "Berlin"}}}, &r)
	for _, a := range []drafts.Action{drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue} {
		must("ComposeService/Step", []any{ComposeStep{ReplyID: r.ID, Action: string(a), Text: r.Text, Checklist: []string{}}}, &r)
	}
	deadline := time.Now().Add(40 * time.Second)
	for {
		got, err := st.ReplyByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == drafts.StateSent {
			break
		}
		if got.State == drafts.StateFailed || time.Now().After(deadline) {
			t.Fatalf("reply %s (%s)\n%s", got.State, got.FailReason, logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].Type != "template" || sent[0].Text != "bag_found" || strings.Join(sent[0].Params, "|") != "Olga|Berlin" {
		t.Fatalf("Meta received %+v", sent)
	}
}
