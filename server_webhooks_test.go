package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// TestServerReceivesWhatsAppWebhooks: the team server serves /webhooks/
// without a member's login; a WhatsApp account saved through the server has
// its webhook secrets sealed, and they answer Meta's challenge and check
// the signature of a message, which lands in the inbox.
func TestServerReceivesWhatsAppWebhooks(t *testing.T) {
	pgtest.Require(t)
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	token := initServer(t, dsn, keyPath)
	addr, logs := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0")
	base := "http://" + addr

	const appSecret, verify = "app-secret-5e1", "verify-tok-77"
	save := `[{"name":"aurora-wa","channel":"whatsapp","brand":"Aurora Air","handle":"","settings":"{\"phoneNumberId\":\"1065\",\"wabaId\":\"1022\"}",` +
		`"secrets":{"access-token":"sys-tok","app-secret":"` + appSecret + `","verify-token":"` + verify + `"}}]`
	req, _ := http.NewRequest(http.MethodPost, base+"/bridge/call/AccountsService/Save", strings.NewReader(save))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("save: %d %s", resp.StatusCode, b)
	}

	hook := base + "/webhooks/whatsapp"
	resp, err = http.Get(hook + "?hub.mode=subscribe&hub.verify_token=" + verify + "&hub.challenge=4242")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "4242" {
		t.Fatalf("challenge: %d %q\n%s", resp.StatusCode, b, logs)
	}

	fake := whatsappfake.New("1065", "1022", "+49 30 1")
	defer fake.Close()
	wamid, p := fake.Receive("4915112345678", "Olga", "Hallo, wo ist mein Koffer?", time.Now().Add(-time.Minute))
	if code, err := whatsappfake.Deliver(context.Background(), http.DefaultClient, hook, "wrong", p); err != nil || code != 403 {
		t.Fatalf("wrong signature: %d %v", code, err)
	}
	if code, err := whatsappfake.Deliver(context.Background(), http.DefaultClient, hook, appSecret, p); err != nil || code != 200 {
		t.Fatalf("signed: %d %v\n%s", code, err, logs)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.AccountByName(context.Background(), "aurora-wa")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := st.ConversationIDByThreadKey(context.Background(), a.ID, "wa:4915112345678")
	if err != nil {
		t.Fatalf("the webhook's message is not in the inbox: %v\n%s", err, logs)
	}
	msgs, err := st.Thread(context.Background(), conv)
	if err != nil || len(msgs) != 1 || msgs[0].ExternalID != wamid {
		t.Fatalf("thread %+v %v", msgs, err)
	}
}
