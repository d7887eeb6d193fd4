package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/keyringtest"
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

func (m *memSecrets) Delete(_ context.Context, k string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, k)
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
		{"message":{"message_id":2,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"Anna"},"date":1767225660,"text":"Hallo, noch eine Frage zur Lieferung"}}]`)); err != nil {
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
	if err := ws.ytQuota.Spend(context.Background(), "test", 1234, 0); err != nil {
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
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutSetting(context.Background(), settingYouTubeQuota, `{"day":"2001-01-01","used":9999}`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ws, err = Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if got := ws.ytQuota.Used(); got != 0 {
		t.Fatalf("a count from another day was restored: %d", got)
	}
}

// TestSaveAccountServerChangeClearsSecrets: a secret stays with the server it
// was entered for. Each case saves the account once with secrets, then again
// with other settings and the given secrets, and checks what the keyring holds.
func TestSaveAccountServerChangeClearsSecrets(t *testing.T) {
	const (
		mailBase   = `{"host":"imap.acme.test","port":993,"tls":"imaps","username":"support","from":"s@acme.test","smtpHost":"smtp.acme.test","smtpPort":465,"smtpTls":"tls"}`
		mastBase   = `{"baseUrl":"https://social.acme.test"}`
		redditBase = `{"clientId":"app","username":"acme","userAgent":"desktop:test:1.0 (by /u/acme)","authUrl":"https://www.reddit.com","apiUrl":"https://oauth.reddit.com"}`
	)
	mail := func(old, new string) string { return strings.Replace(mailBase, old, new, 1) }
	tests := []struct {
		name     string
		channel  inbox.ChannelKind
		first    string            // settings of the first save
		firstSec map[string]string // secrets of the first save
		second   string
		given    map[string]string // secrets of the second save
		want     map[string]string // keyring afterwards, by secret name
	}{
		{"mastodon: same server, other spelling", inbox.ChannelMastodon, mastBase, map[string]string{"token": "t1"},
			`{"baseUrl":"https://Social.Acme.test:443/","replyVisibility":"unlisted"}`, nil, map[string]string{"token": "t1"}},
		{"mastodon: new host", inbox.ChannelMastodon, mastBase, map[string]string{"token": "t1"},
			`{"baseUrl":"https://evil.test"}`, nil, map[string]string{}},
		{"mastodon: new port", inbox.ChannelMastodon, mastBase, map[string]string{"token": "t1"},
			`{"baseUrl":"https://social.acme.test:8443"}`, nil, map[string]string{}},
		{"mastodon: https to http", inbox.ChannelMastodon, mastBase, map[string]string{"token": "t1"},
			`{"baseUrl":"http://social.acme.test"}`, nil, map[string]string{}},
		{"mastodon: new host with a new token", inbox.ChannelMastodon, mastBase, map[string]string{"token": "t1"},
			`{"baseUrl":"https://other.test"}`, map[string]string{"token": "t2"}, map[string]string{"token": "t2"}},
		{"telegram: default server to another", inbox.ChannelTelegram, `{}`, map[string]string{"token": "t1"},
			`{"baseUrl":"https://api.telegram.org.evil.test"}`, nil, map[string]string{}},
		{"reddit: the token host moves", inbox.ChannelReddit, redditBase, map[string]string{"client-secret": "c1", "password": "p1"},
			strings.Replace(redditBase, `"authUrl":"https://www.reddit.com"`, `"authUrl":"https://evil.test"`, 1), nil, map[string]string{}},
		{"reddit: the API host moves", inbox.ChannelReddit, redditBase, map[string]string{"client-secret": "c1", "password": "p1"},
			strings.Replace(redditBase, `"apiUrl":"https://oauth.reddit.com"`, `"apiUrl":"https://evil.test"`, 1), nil, map[string]string{}},
		{"reddit: user agent only", inbox.ChannelReddit, redditBase, map[string]string{"client-secret": "c1", "password": "p1"},
			strings.Replace(redditBase, "1.0", "1.1", 1), nil, map[string]string{"client-secret": "c1", "password": "p1"}},
		{"mail: user name only", inbox.ChannelMail, mailBase, map[string]string{"password": "p1", "smtp-password": "s1"},
			mail(`"username":"support"`, `"username":"help"`), nil, map[string]string{"password": "p1", "smtp-password": "s1"}},
		{"mail: new SMTP host clears both", inbox.ChannelMail, mailBase, map[string]string{"password": "p1", "smtp-password": "s1"},
			mail("smtp.acme.test", "smtp.evil.test"), nil, map[string]string{}},
		{"mail: new IMAP port", inbox.ChannelMail, mailBase, map[string]string{"password": "p1"},
			mail(`"port":993`, `"port":1993`), nil, map[string]string{}},
		{"mail: new host, only the IMAP password given", inbox.ChannelMail, mailBase, map[string]string{"password": "p1", "smtp-password": "s1"},
			mail("imap.acme.test", "imap.new.test"), map[string]string{"password": "p2"}, map[string]string{"password": "p2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ws := openWS(t)
			sec := &memSecrets{m: map[string]string{}}
			in := AccountInput{Name: "acme", Channel: tt.channel, Settings: tt.first, Secrets: tt.firstSec}
			if _, err := ws.SaveAccount(ctx, sec, in); err != nil {
				t.Fatal(err)
			}
			in.Settings, in.Secrets = tt.second, tt.given
			if _, err := ws.SaveAccount(ctx, sec, in); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for k, v := range sec.m {
				got[strings.TrimPrefix(k, secrets.Key("acme", ""))] = v
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("keyring after the second save: %v, want %v", got, tt.want)
			}
		})
	}
}

// TestNewAccountDoesNotInheritSecrets: an account created under a name whose
// secrets are still in the keyring (an earlier account, another app run)
// starts without them.
func TestNewAccountDoesNotInheritSecrets(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{secrets.Key("acme", "token"): "left-over"}}
	if _, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "acme", Channel: inbox.ChannelMastodon, Settings: `{"baseUrl":"https://evil.test"}`}); err != nil {
		t.Fatal(err)
	}
	if v, ok := sec.m[secrets.Key("acme", "token")]; ok {
		t.Fatalf("the new account kept the left-over token %q", v)
	}
}

// refusingSecrets is a keyring that cannot delete.
type refusingSecrets struct{ memSecrets }

func (*refusingSecrets) Delete(context.Context, string) error { return secrets.ErrUnavailable }

func TestServerChangeRefusedWhenSecretsCannotBeRemoved(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &refusingSecrets{memSecrets{m: map[string]string{secrets.Key("acme", "token"): "t1"}}}
	acc, err := ws.Store.EnsureAccount(ctx, inbox.Account{Channel: inbox.ChannelMastodon, Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Store.SetAccountConfig(ctx, acc.ID, []byte(`{"baseUrl":"https://social.acme.test"}`)); err != nil {
		t.Fatal(err)
	}
	_, err = ws.SaveAccount(ctx, sec, AccountInput{Name: "acme", Channel: inbox.ChannelMastodon, Settings: `{"baseUrl":"https://evil.test"}`})
	if !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("err = %v, want the keyring's refusal", err)
	}
	if cfg, _ := ws.Store.AccountConfig(ctx, acc.ID); !strings.Contains(string(cfg), "social.acme.test") {
		t.Fatalf("settings now %s: a save that could not remove the token must not store the new server", cfg)
	}
}

// TestChangedServerGetsNoSecret is the reported attack against the real OS
// keyring: save with a token, change the base URL without one, then Test.
// The token must be gone from the keyring and the new server must see no
// request at all; a new token given with the change is kept and used.
func TestChangedServerGetsNoSecret(t *testing.T) {
	ctx := context.Background()
	sec := keyringtest.OrSkip(t)
	ws := openWS(t)
	const name, token = "acme-social", "legit-token"
	t.Cleanup(func() { _ = sec.Delete(context.Background(), secrets.Key(name, "token")) })

	legit := mastodonfake.New(token)
	defer legit.Close()
	var mu sync.Mutex
	var seen []string // Authorization headers the other server received
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"1","username":"x","acct":"x","display_name":"x","url":"http://x"}`)
	}))
	defer other.Close()
	requests := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }

	save := func(baseURL string, secretsGiven map[string]string) {
		t.Helper()
		if _, err := ws.SaveAccount(ctx, sec, AccountInput{Name: name, Channel: inbox.ChannelMastodon,
			Settings: `{"baseUrl":"` + baseURL + `"}`, Secrets: secretsGiven}); err != nil {
			t.Fatal(err)
		}
	}
	test := func() error {
		_, conn, err := ws.Connector(ctx, sec, name)
		if err != nil {
			return err
		}
		defer closeConn(conn)
		return conn.Test(ctx)
	}

	save(legit.URL, map[string]string{"token": token})
	if err := test(); err != nil {
		t.Fatalf("Test against the server the token was saved for: %v", err)
	}

	save(other.URL, nil)
	if v, err := sec.Get(ctx, secrets.Key(name, "token")); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("after the base URL changed the keyring still holds %q (%v)", v, err)
	}
	err := test()
	if err == nil || !strings.Contains(err.Error(), "enter the token again") {
		t.Fatalf("Test without a token: %v, want “enter the token again”", err)
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("the new server got %d requests (%v), want none", len(got), got)
	}

	save(other.URL+"/", map[string]string{"token": "new-token"})
	if v, err := sec.Get(ctx, secrets.Key(name, "token")); err != nil || v != "new-token" {
		t.Fatalf("token given with the change: %q, %v; want it kept", v, err)
	}
	if err := test(); err != nil {
		t.Fatalf("Test with the new token: %v", err)
	}
	if got := requests(); len(got) == 0 || got[0] != "Bearer new-token" {
		t.Fatalf("the new server saw %v, want the new token only", got)
	}
}

// keyringAccount saves a Telegram account on a fake Bot API with its token in
// a real (private) keyring, and stores the fake's one DM through the real client.
func keyringAccount(t *testing.T) (*Workspace, *secrets.Keyring, *telegramfake.Server, inbox.Account, int64) {
	t.Helper()
	ctx := context.Background()
	kr := keyringtest.OrSkip(t)
	const token = "123:tok"
	fake := telegramfake.New(token)
	t.Cleanup(fake.Close)
	if _, err := fake.Queue([]byte(`[{"message":{"message_id":7,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Jo"},"date":1767225600,"text":"Where is my parcel?"}}]`)); err != nil {
		t.Fatal(err)
	}
	ws := openWS(t)
	acc, err := ws.SaveAccount(ctx, kr, AccountInput{Name: "acme-bot", Channel: inbox.ChannelTelegram, Brand: "Acme",
		Settings: `{"baseUrl":"` + fake.URL + `"}`, Secrets: map[string]string{"token": token}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kr.Delete(ctx, secrets.Key(acc.Name, "token")) })
	_, conn, err := ws.Connector(ctx, kr, acc.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConn(conn)
	if _, err := ws.Pipeline.Sync(ctx, ws.Store, acc, conn, nil); err != nil {
		t.Fatal(err)
	}
	page, _ := ws.Store.Conversations(ctx, store.InboxQuery{})
	if len(page.Items) != 1 {
		t.Fatalf("%d conversations", len(page.Items))
	}
	return ws, kr, fake, acc, page.Items[0].ID
}

// queueOne walks an offline draft in convID to queued (supervisor_test's
// queuedReply) and returns it.
func queueOne(t *testing.T, ws *Workspace, convID int64) drafts.Reply {
	t.Helper()
	queuedReply(t, ws, &memSecrets{m: map[string]string{}}, convID)
	replies, err := ws.Store.RepliesByConversation(context.Background(), convID)
	if err != nil || len(replies) != 1 || replies[0].State != drafts.StateQueued {
		t.Fatalf("replies = %+v, %v; want one queued", replies, err)
	}
	return replies[0]
}

// failedWith runs the outbox once and checks the reply failed with code,
// without reaching the platform.
func failedWith(t *testing.T, ws *Workspace, c *Composer, fake *telegramfake.Server, r drafts.Reply, code string) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := c.outbox.RunOnce(ctx, r.UpdatedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := ws.Store.ReplyByID(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	gotCode, _, detail, _ := apperr.Decode(got.FailReason)
	if got.State != drafts.StateFailed || gotCode != code {
		t.Fatalf("reply %s, reason %q; want failed with %s", got.State, got.FailReason, code)
	}
	if !strings.Contains(detail, "acme-bot") || len(fake.Sent()) != 0 {
		t.Fatalf("detail %q, sent %+v", detail, fake.Sent())
	}
}

// TestDisabledAccountIsNeitherSyncedNorSentThrough disables an account: its
// queued reply fails with account-disabled before the platform is called,
// background sync does not start it and records no sync error, while its
// settings, secret and conversation stay and it can still be tested.
func TestDisabledAccountIsNeitherSyncedNorSentThrough(t *testing.T) {
	ctx := context.Background()
	ws, kr, fake, acc, convID := keyringAccount(t)
	c := ws.NewComposer(kr)
	r := queueOne(t, ws, convID)

	if _, err := ws.SetAccountEnabled(ctx, acc.Name, false); err != nil {
		t.Fatal(err)
	}
	failedWith(t, ws, c, fake, r, apperr.CodeAccountDisabled)

	syncer := ws.NewSyncer(kr, nil)
	defer syncer.Stop()
	if errs := syncer.StartAll(ctx); len(errs) != 0 {
		t.Fatalf("StartAll: %v", errs)
	}
	if _, running := syncer.sched.Backoff(acc.Name); running {
		t.Fatal("StartAll started the disabled account's sync")
	}
	if err := syncer.Start(ctx, acc.Name); !apperr.Is(err, apperr.CodeAccountDisabled) {
		t.Fatalf("Sync now of a disabled account: %v; want account-disabled", err)
	}
	if st, _ := ws.Store.SyncStateOf(ctx, acc.ID); st.LastError != "" {
		t.Fatalf("a disabled account shows the sync error %q", st.LastError)
	}
	statuses, err := syncer.AccountStatuses(ctx)
	if err != nil || len(statuses) != 1 || statuses[0].State != store.AccountDisabled || statuses[0].Settings == "{}" {
		t.Fatalf("statuses = %+v, %v", statuses, err)
	}
	if v, err := kr.Get(ctx, secrets.Key(acc.Name, "token")); err != nil || v != "123:tok" {
		t.Fatalf("the token of a disabled account: %q, %v", v, err)
	}
	if _, err := ws.TestAccount(ctx, kr, acc.Name); err != nil {
		t.Fatalf("test of a disabled account: %v", err)
	}

	if _, err := ws.SetAccountEnabled(ctx, acc.Name, true); err != nil {
		t.Fatal(err)
	}
	if err := syncer.Start(ctx, acc.Name); err != nil {
		t.Fatalf("sync after enabling: %v", err)
	}
	if _, running := syncer.sched.Backoff(acc.Name); !running {
		t.Fatal("the enabled account does not sync")
	}
	syncer.StopAccount(acc.Name)
	if _, running := syncer.sched.Backoff(acc.Name); running {
		t.Fatal("StopAccount left the loop running")
	}
}

// TestRemovedAccountLosesSecretsKeepsConversations removes an account: its
// token leaves the keyring, it leaves the account list, its queued reply
// fails with account-removed, its conversation stays readable, and saving
// the name again reconnects that conversation with a new token.
func TestRemovedAccountLosesSecretsKeepsConversations(t *testing.T) {
	ctx := context.Background()
	ws, kr, fake, acc, convID := keyringAccount(t)
	c := ws.NewComposer(kr)
	r := queueOne(t, ws, convID)
	syncer := ws.NewSyncer(kr, nil)
	defer syncer.Stop()
	if err := syncer.Start(ctx, acc.Name); err != nil {
		t.Fatal(err)
	}

	if _, err := ws.RemoveAccount(ctx, kr, acc.Name); err != nil {
		t.Fatal(err)
	}
	syncer.StopAccount(acc.Name)
	if _, err := kr.Get(ctx, secrets.Key(acc.Name, "token")); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("the removed account's token is still in the keyring: %v", err)
	}
	failedWith(t, ws, c, fake, r, apperr.CodeAccountRemoved)
	if statuses, err := ws.AccountStatuses(ctx); err != nil || len(statuses) != 0 {
		t.Fatalf("statuses after removal = %+v, %v", statuses, err)
	}
	if msgs, err := ws.Store.Thread(ctx, convID); err != nil || len(msgs) != 1 || msgs[0].Text != "Where is my parcel?" {
		t.Fatalf("the removed account's conversation: %+v, %v", msgs, err)
	}
	if err := syncer.Start(ctx, acc.Name); !apperr.Is(err, apperr.CodeAccountRemoved) {
		t.Fatalf("sync of a removed account: %v", err)
	}
	if _, err := ws.SetAccountEnabled(ctx, acc.Name, true); !apperr.Is(err, apperr.CodeAccountRemoved) {
		t.Fatalf("enable a removed account: %v", err)
	}
	if _, err := ws.RemoveAccount(ctx, kr, acc.Name); !apperr.Is(err, apperr.CodeAccountRemoved) {
		t.Fatalf("remove twice: %v", err)
	}

	again, err := ws.SaveAccount(ctx, kr, AccountInput{Name: acc.Name, Channel: inbox.ChannelTelegram,
		Settings: `{"baseUrl":"` + fake.URL + `"}`, Secrets: map[string]string{"token": "123:tok"}})
	if err != nil || again.ID != acc.ID {
		t.Fatalf("save the removed name again: %+v, %v", again, err)
	}
	statuses, err := ws.AccountStatuses(ctx)
	if err != nil || len(statuses) != 1 || statuses[0].State != store.AccountActive {
		t.Fatalf("statuses after adding it again = %+v, %v", statuses, err)
	}
	if page, _ := ws.Store.Conversations(ctx, store.InboxQuery{AccountID: acc.ID}); len(page.Items) != 1 || page.Items[0].ID != convID {
		t.Fatalf("conversations of the account added again: %+v", page.Items)
	}
}

// TestTestAccountInputAgainstDovecot tests a mail account from a form against
// a real Dovecot: a wrong password is auth-failed, the right one connects,
// and neither stores the account or its password.
func TestTestAccountInputAgainstDovecot(t *testing.T) {
	ctx := context.Background()
	srv := dovecot.Start(t)
	ws := openWS(t)
	kr := keyringtest.OrSkip(t)
	settings := fmt.Sprintf(`{"host":%q,"port":%d,"tls":"plain","username":%q,"from":"help@acme.test","smtpHost":"127.0.0.1","smtpPort":2525,"smtpTls":"plain"}`,
		srv.Host, srv.Port, srv.User)
	in := AccountInput{Name: "acme-mail", Channel: inbox.ChannelMail, Settings: settings, Secrets: map[string]string{"password": "wrong"}}

	_, err := ws.TestAccountInput(ctx, kr, in)
	if !apperr.Is(err, apperr.CodeAuthFailed) || apperr.Classify(err).Params["account"] != "acme-mail" {
		t.Fatalf("wrong password: %v; want auth-failed for acme-mail", err)
	}
	in.Secrets["password"] = srv.Password
	perms, err := ws.TestAccountInput(ctx, kr, in)
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	// Mail tokens carry no platform permissions: empty lists, sent as [] not null.
	if perms.Granted == nil || perms.Missing == nil || len(perms.Granted)+len(perms.Missing) != 0 {
		t.Fatalf("mail test answered permissions %#v, want empty lists", perms)
	}
	if accounts, _ := ws.Store.Accounts(ctx); len(accounts) != 0 {
		t.Fatalf("testing stored %+v", accounts)
	}
	if _, err := kr.Get(ctx, secrets.Key("acme-mail", "password")); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("testing wrote the password to the keyring: %v", err)
	}
	if _, err := ws.TestAccountInput(ctx, kr, AccountInput{Name: "acme-mail", Channel: inbox.ChannelMail, Settings: settings}); !apperr.Is(err, apperr.CodeSecretMissing) {
		t.Fatalf("no password for a new account: %v; want secret-missing", err)
	}
	if _, err := ws.TestAccountInput(ctx, kr, AccountInput{Name: "acme-mail", Channel: inbox.ChannelMail, Settings: `{"host":""}`}); !apperr.Is(err, apperr.CodeInvalidInput) {
		t.Fatalf("bad settings: %v; want invalid-input", err)
	}

	// A stored account tested with the password left empty uses the stored
	// one, unless the form points it at another server.
	if _, err := ws.SaveAccount(ctx, kr, in); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kr.Delete(ctx, secrets.Key("acme-mail", "password")) })
	in.Secrets = nil
	if _, err := ws.TestAccountInput(ctx, kr, in); err != nil {
		t.Fatalf("stored account, same server, password kept: %v", err)
	}
	in.Settings = strings.Replace(settings, fmt.Sprintf(`"port":%d`, srv.Port), fmt.Sprintf(`"port":%d`, srv.TLSPort), 1)
	if _, err := ws.TestAccountInput(ctx, kr, in); !apperr.Is(err, apperr.CodeSecretMissing) {
		t.Fatalf("stored account moved to another port: %v; want secret-missing (the stored password is not sent there)", err)
	}
}

// TestAccountStatusesCarryTheSchedulersNextAttempt lets an account's
// background sync fail (its Bot API refuses connections) and checks that the
// status the UI lists carries the running loop's own next attempt.
func TestAccountStatusesCarryTheSchedulersNextAttempt(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	closed := httptest.NewServer(http.NotFoundHandler())
	url := closed.URL
	closed.Close() // nothing listens there any more
	if _, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "acme-bot", Channel: inbox.ChannelTelegram,
		Settings: `{"baseUrl":"` + url + `"}`, Secrets: map[string]string{"token": "123:tok"}}); err != nil {
		t.Fatal(err)
	}
	syncer := ws.NewSyncer(sec, nil)
	defer syncer.Stop()
	before := time.Now()
	if err := syncer.Start(ctx, "acme-bot"); err != nil {
		t.Fatal(err)
	}
	var st AccountStatus
	deadline := time.Now().Add(20 * time.Second)
	for {
		statuses, err := syncer.AccountStatuses(ctx)
		if err != nil || len(statuses) != 1 {
			t.Fatalf("statuses = %+v, %v", statuses, err)
		}
		if st = statuses[0]; st.Retry.Failures >= 1 && st.Retry.NextAttempt != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no backoff reported: %+v", st.Retry)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The first wait is the scheduler's minimum backoff (5 s) from the failure.
	if st.Retry.NextAttempt.Before(before.Add(5*time.Second)) || st.Retry.LastError == "" {
		t.Fatalf("retry = %+v; want a next attempt at least 5 s after the start, with the error", st.Retry)
	}
	if plain, _ := ws.AccountStatuses(ctx); plain[0].Retry.NextAttempt != nil {
		t.Fatal("without the scheduler there is no next attempt to report")
	}
}
