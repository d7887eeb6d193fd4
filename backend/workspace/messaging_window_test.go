package workspace

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/facebook/facebookfake"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// A Messenger conversation synced from the fake Page can be answered while
// the customer's last message is under 7 days old; after that the composer is
// told why not and since when, while a comment thread has no window.
func TestSendCheckMessagingWindow(t *testing.T) {
	ctx := context.Background()
	fake := facebookfake.New("1001", "Acme Air", "user-token", "page-token")
	t.Cleanup(fake.Close)
	last := time.Now().Add(-time.Hour).Truncate(time.Second)
	fake.Messenger.Receive(graphfake.Person{ID: "9002", Name: "Karl S."}, "My bag is lost", last)
	post := fake.AddPost("Routes", last.Add(-time.Hour))
	fake.AddComment(post, "", "501", "Olga", "Refund?", last)

	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	acc, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "acme-fb", Channel: inbox.ChannelFacebook, Brand: "Acme",
		Settings: `{"pageId":"1001","baseUrl":"` + fake.URL() + `"}`, Secrets: map[string]string{"user-token": "user-token"}})
	if err != nil {
		t.Fatal(err)
	}
	_, conn, err := ws.Connector(ctx, sec, acc.Name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Pipeline.Sync(ctx, ws.Store, acc, conn, nil); err != nil {
		t.Fatal(err)
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("conversations = %+v, %v", page.Items, err)
	}
	var dm, comments inbox.Conversation
	for _, c := range page.Items {
		if c.Kind == inbox.KindDM {
			dm = c
		} else {
			comments = c
		}
	}
	if why, err := ws.NewComposer(sec).SendCheck(ctx, dm.ID); why != nil || err != nil {
		t.Fatalf("a fresh Messenger conversation is blocked: %v, %v", why, err)
	}
	cases := []struct {
		name   string
		conv   inbox.Conversation
		after  time.Duration
		closed bool
	}{
		{"human agent tag still allowed", dm, 3 * 24 * time.Hour, false},
		{"closed after 7 days", dm, 8 * 24 * time.Hour, true},
		{"comments have no window", comments, 30 * 24 * time.Hour, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			why, err := ws.messagingWindow(ctx, tc.conv, last.Add(tc.after))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.closed {
				if why != nil {
					t.Fatalf("blocked: %v", why)
				}
				return
			}
			got := apperr.Classify(why)
			want := last.Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)
			if got.Code != apperr.CodeNotAllowed || got.Params["rule"] != "messaging-window" || got.Params["closedAt"] != want {
				t.Errorf("got %s %v, want messaging-window closed at %s", got.Code, got.Params, want)
			}
		})
	}
}
