package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// memSecrets keeps secrets in memory; the real keyring is tested in backend/secrets.
type memSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (m *memSecrets) Get(_ context.Context, k string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[k]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (m *memSecrets) Set(_ context.Context, k, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[k] = v
	return nil
}

func openWS(t *testing.T) *Workspace {
	t.Helper()
	ws, err := Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// TestSavedTelegramAccountSyncsInBackground saves a bot account the way the
// settings screen does and checks the background sync stores what the
// (fake) Bot API serves, through the real Telegram client.
func TestSavedTelegramAccountSyncsInBackground(t *testing.T) {
	ctx := context.Background()
	const token = "123:secret-token"
	fake := telegramfake.New(token)
	defer fake.Close()
	if _, err := fake.Queue([]byte(`[
		{"message":{"message_id":1,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"Anna"},"date":1767225600,"text":"Worst service ever, my order is lost again 😡"}},
		{"message":{"message_id":2,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"Anna"},"date":1767225660,"text":"Hallo? Niemand da?"}}]`)); err != nil {
		t.Fatal(err)
	}
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	acc, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "acme-bot", Channel: inbox.ChannelTelegram, Brand: "Acme",
		Settings: `{"baseUrl":"` + fake.URL + `"}`, Secrets: map[string]string{"token": token}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := ws.Store.AccountConfig(ctx, acc.ID)
	if strings.Contains(string(cfg), token) {
		t.Fatal("the token was stored in the database")
	}

	var mu sync.Mutex
	var events []ingest.Event
	syncer := ws.NewSyncer(sec, func(e ingest.Event) { mu.Lock(); events = append(events, e); mu.Unlock() })
	if errs := syncer.StartAll(ctx); len(errs) > 0 {
		t.Fatal(errs)
	}
	defer syncer.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, _ := ws.Store.Stats(ctx)
		if st.Messages == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("background sync stored %d messages, want 2", st.Messages)
		}
		time.Sleep(20 * time.Millisecond)
	}
	statuses, err := ws.AccountStatuses(ctx)
	if err != nil || len(statuses) != 1 || statuses[0].Sync.Fetched != 2 || statuses[0].Sync.Cursor == "" {
		t.Fatalf("statuses = %+v, %v", statuses, err)
	}
	page, _ := ws.Store.Conversations(ctx, storeQueryAll())
	if len(page.Items) != 1 || page.Items[0].NegativeCount != 1 {
		t.Fatalf("conversations = %+v; want one DM whose complaint the shipped model scored negative", page.Items)
	}
	msgs, _ := ws.Store.Thread(ctx, page.Items[0].ID)
	if len(msgs) != 2 || msgs[0].Text != "Worst service ever, my order is lost again 😡" || msgs[1].Sentiment == inbox.SentimentUnknown {
		t.Fatalf("thread = %+v", msgs)
	}
}

func TestSaveAccountRejectsBadInput(t *testing.T) {
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	tests := []struct {
		name string
		in   AccountInput
		want string
	}{
		{"no name", AccountInput{Channel: inbox.ChannelTelegram}, "needs a name"},
		{"import channel", AccountInput{Name: "x", Channel: inbox.ChannelImport}, "choose a channel"},
		{"bad settings", AccountInput{Name: "x", Channel: inbox.ChannelMail, Settings: `{"port":"nine"}`}, "settings"},
		{"unknown secret", AccountInput{Name: "x", Channel: inbox.ChannelTelegram, Secrets: map[string]string{"password": "p"}}, "no secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ws.SaveAccount(context.Background(), sec, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if accs, _ := ws.Store.Accounts(context.Background()); len(accs) != 0 {
		t.Fatalf("rejected input created accounts: %+v", accs)
	}
}

func storeQueryAll() store.InboxQuery { return store.InboxQuery{} }

// TestYouTubeQuotaSurvivesRestart: units spent today are restored on the
// next open; a count saved on another day is not.
func TestYouTubeQuotaSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	ws, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.ytQuota.Spend("test", 1234, 0); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	ws, err = Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ws.ytQuota.Used(); got != 1234 {
		t.Fatalf("after reopening: %d units used, want 1234", got)
	}
	ws.Close()
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "youtube-quota.json"), []byte(`{"day":"2001-01-01","used":9999}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err = Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if got := ws.ytQuota.Used(); got != 0 {
		t.Fatalf("a count from another day was restored: %d", got)
	}
}
