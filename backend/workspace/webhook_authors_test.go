package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/facebook/facebookfake"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/instagram/instagramfake"
	"github.com/stormdesk/stormdesk/backend/channels/metahook"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// pageDM is a Messenger or Instagram messaging webhook as Meta sends it: the
// sender by page-scoped id only.
func pageDM(object, entryID, sender, mid, text string, at time.Time) map[string]any {
	return map[string]any{"object": object, "entry": []map[string]any{{
		"id": entryID, "time": at.Unix(),
		"messaging": []map[string]any{{
			"sender": map[string]string{"id": sender}, "recipient": map[string]string{"id": entryID},
			"timestamp": at.UnixMilli(), "message": map[string]any{"mid": mid, "text": text},
		}},
	}}}
}

func postSigned(t *testing.T, url, secret string, p any) {
	t.Helper()
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", whatsappfake.Sign(body, secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %d", resp.StatusCode)
	}
}

// dmFake is a Messenger or Instagram account at its Graph API fake.
type dmFake struct {
	name    string
	channel inbox.ChannelKind
	object  string // the webhook's object
	entryID string // the id its webhooks' entries name
	// start starts the fake and gives its inbox and the account's settings
	// pointing at it.
	start func() (*graphfake.Base, *graphfake.Inbox, string)
}

var dmFakes = []dmFake{
	{"facebook", inbox.ChannelFacebook, "page", "1001", func() (*graphfake.Base, *graphfake.Inbox, string) {
		f := facebookfake.New("1001", "Acme Air", "user-token", "page-token")
		return f.Base, f.Messenger, `{"pageId":"1001","baseUrl":"` + f.URL() + `"}`
	}},
	{"instagram", inbox.ChannelInstagram, "instagram", "17841400000000001", func() (*graphfake.Base, *graphfake.Inbox, string) {
		f := instagramfake.New("1001", "17841400000000001", "acme.air", "user-token", "page-token")
		return f.Base, f.DMs, `{"pageId":"1001","igUserId":"17841400000000001","baseUrl":"` + f.URL() + `"}`
	}},
}

// setup starts the fake and stores its account, with the webhook's app
// secret, the way Settings does, on the engine under test.
func (f dmFake) setup(t *testing.T, appSecret string) (*graphfake.Base, *graphfake.Inbox, *Workspace, *memSecrets, inbox.Account) {
	t.Helper()
	fake, dms, settings := f.start()
	t.Cleanup(fake.Close)
	ws := openAtDSN(t, sharedDSN(t))
	sec := &memSecrets{m: map[string]string{}}
	acc, err := ws.SaveAccount(context.Background(), sec, AccountInput{Name: "acme-" + f.name, Channel: f.channel, Brand: "Acme", Settings: settings,
		Secrets: map[string]string{"user-token": "user-token", SecretAppSecret: appSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return fake, dms, ws, sec, acc
}

// profileCalls counts the User Profile API calls the fake served for id.
func profileCalls(b *graphfake.Base, id string) int {
	n := 0
	for _, c := range b.Calls() {
		if c == "GET /"+id {
			n++
		}
	}
	return n
}

// A Messenger or Instagram DM that arrives by webhook is stored with the
// sender's name from the User Profile API, asked once per sender; a sender
// whose profile cannot be read is stored under the id, and the message is
// kept.
func TestWebhookDMsNameTheirAuthors(t *testing.T) {
	const secret = "page-app-secret"
	karl := graphfake.Person{ID: "9002", Name: "Karl Schmidt", Username: "karl.s", FollowsBusiness: true}
	cases := []struct {
		dmFake
		wantName   string
		wantHandle string
	}{
		{dmFakes[0], "Karl Schmidt", "Karl Schmidt"},
		{dmFakes[1], "Karl Schmidt", "@karl.s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fake, dms, ws, sec, acc := tc.setup(t, secret)
			at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
			dms.Receive(karl, "My bag is lost", at)
			authors := &WebhookAuthors{}
			srv := httptest.NewServer(&metahook.Handler{Sink: WebhookSink{W: ws, Secrets: sec, Authors: authors}})
			t.Cleanup(srv.Close)
			url := srv.URL + metahook.Prefix + tc.name

			author := func(personID string) inbox.Author {
				t.Helper()
				id, err := ws.Store.ConversationIDByThreadKey(ctx, acc.ID, "dm:"+personID)
				if err != nil {
					t.Fatalf("conversation of %s: %v", personID, err)
				}
				msgs, err := ws.Store.Thread(ctx, id)
				if err != nil || len(msgs) == 0 {
					t.Fatalf("thread of %s: %v %v", personID, msgs, err)
				}
				return msgs[len(msgs)-1].Author
			}

			// Known sender: named at once, and asked for once for two messages.
			postSigned(t, url, secret, pageDM(tc.object, tc.entryID, karl.ID, "m_hook_1", "Hello?", at))
			postSigned(t, url, secret, pageDM(tc.object, tc.entryID, karl.ID, "m_hook_2", "Anyone?", at.Add(time.Second)))
			if a := author(karl.ID); a.DisplayName != tc.wantName || a.Handle != tc.wantHandle || a.ExternalID != karl.ID {
				t.Errorf("author = %+v, want %q %q", a, tc.wantName, tc.wantHandle)
			}
			if n := profileCalls(fake, karl.ID); n != 1 {
				t.Errorf("profile of %s read %d times, want once (cached per sender)", karl.ID, n)
			}

			// A sender whose profile Meta will not give (unknown to the Page):
			// the message is stored under the id; the failure is not retried
			// for each message.
			postSigned(t, url, secret, pageDM(tc.object, tc.entryID, "7777", "m_hook_3", "Hi", at))
			postSigned(t, url, secret, pageDM(tc.object, tc.entryID, "7777", "m_hook_4", "Hi again", at.Add(time.Second)))
			if a := author("7777"); a.DisplayName != "7777" {
				t.Errorf("unreadable profile: author = %+v, want the id", a)
			}
			if n := profileCalls(fake, "7777"); n != 1 {
				t.Errorf("an unreadable profile was asked %d times, want once", n)
			}

			// Without a lookup (nil Authors) the id stays, as before.
			plain := httptest.NewServer(&metahook.Handler{Sink: WebhookSink{W: ws, Secrets: sec}})
			t.Cleanup(plain.Close)
			dms.Receive(graphfake.Person{ID: "8008", Name: "Olga K.", Username: "olga"}, "Refund?", at)
			postSigned(t, plain.URL+metahook.Prefix+tc.name, secret, pageDM(tc.object, tc.entryID, "8008", "m_hook_5", "Refund?", at))
			if a := author("8008"); a.DisplayName != "8008" || strings.Contains(strings.Join(fake.Calls(), " "), "/8008") {
				t.Errorf("no lookup configured, yet author = %+v", a)
			}
		})
	}
}

// A long-running server keeps about a TTL's worth of senders: expired ones
// leave as new ones are stored, live ones stay.
func TestWebhookAuthorCacheDropsExpiredSenders(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	wa := &WebhookAuthors{Now: func() time.Time { return now }}
	key := func(i int) authorKey { return authorKey{account: 1, person: strconv.Itoa(i)} }
	for i := 0; i < authorCacheSweepAt; i++ {
		wa.store(key(i), cachedAuthor{until: now.Add(time.Hour)})
	}
	now = now.Add(2 * time.Hour)
	wa.store(key(-1), cachedAuthor{until: now.Add(time.Hour)})
	if len(wa.cache) != 1 {
		t.Fatalf("cache holds %d senders after the others expired, want 1", len(wa.cache))
	}
	if _, ok := wa.cached(key(-1)); !ok {
		t.Fatal("the live sender was dropped")
	}
}
