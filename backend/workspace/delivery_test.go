package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Replies sent through the real client against the fake, then Meta's status
// webhooks for them: the thread's deliveries give each reply's furthest
// status, matched to its outgoing message, and a failure's code becomes the
// stable reason the UI words (or none when Meta's code is not one we know).
func TestThreadDeliveriesFromStatusWebhooks(t *testing.T) {
	ctx := context.Background()
	e := hookSetup(t, 0)
	in, p := e.fake.Receive(waCustomer, "Olga K.", "Is my flight on time?", time.Now().Add(-time.Hour))
	if code := e.deliver(t, waAppSecret, p); code != 200 {
		t.Fatal(code)
	}
	convID, err := e.ws.Store.ConversationIDByThreadKey(ctx, e.acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := whatsapp.New(whatsapp.Config{PhoneNumberID: waPhoneID, WABAID: waWABA, Token: waToken, HTTPClient: e.fake.Client(), BaseURL: e.fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		status string
		code   int
	}
	cases := []struct {
		name       string
		steps      []step
		wantStatus string
		wantCode   int
		wantReason string
	}{
		{"sent", []step{{"sent", 0}}, "sent", 0, ""},
		{"read after delivered", []step{{"sent", 0}, {"delivered", 0}, {"read", 0}}, "read", 0, ""},
		{"late delivered keeps read", []step{{"read", 0}, {"delivered", 0}}, "read", 0, ""},
		{"window closed", []step{{"sent", 0}, {"failed", 131047}}, "failed", 131047, "window-closed"},
		{"undeliverable", []step{{"failed", 131026}}, "failed", 131026, "undeliverable"},
		{"a code we do not word", []step{{"failed", 135000}}, "failed", 135000, ""},
	}
	sentIDs := map[string]string{}
	for i, tc := range cases {
		id := fmt.Sprintf("r%d", i)
		s, err := conn.Reply(ctx, channels.Reply{ThreadKey: whatsapp.ThreadKey(waCustomer), InReplyTo: in, Text: "Yes, on time.", IdempotencyKey: id})
		if err != nil {
			t.Fatal(err)
		}
		markSent(t, e.ws, id, convID, s)
		sentIDs[id] = s.ExternalID
		msg := e.fake.Sent()[i]
		for _, st := range tc.steps {
			if code := e.deliver(t, waAppSecret, e.fake.Status(msg, st.status, time.Now(), st.code)); code != 200 {
				t.Fatalf("%s: %s answered %d", tc.name, st.status, code)
			}
		}
	}
	c, msgs, err := e.ws.Thread(ctx, convID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.ws.ThreadDeliveries(ctx, c)
	if err != nil || len(ds) != len(cases) {
		t.Fatalf("deliveries = %+v, %v", ds, err)
	}
	out := map[string]bool{}
	for _, m := range msgs {
		if m.Direction == inbox.DirectionOut {
			out[m.ExternalID] = true
		}
	}
	byReply := map[string]MessageDelivery{}
	for _, d := range ds {
		byReply[d.ReplyID] = d
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := byReply[fmt.Sprintf("r%d", i)]
			if d.Status != tc.wantStatus || d.ErrorCode != tc.wantCode || d.Reason != tc.wantReason {
				t.Errorf("delivery = %+v, want %s %d %q", d, tc.wantStatus, tc.wantCode, tc.wantReason)
			}
			if d.ExternalID != sentIDs[d.ReplyID] || !out[d.ExternalID] {
				t.Errorf("delivery %q matches no outgoing message of the thread", d.ExternalID)
			}
			if d.Status == "failed" && d.Error == "" && tc.wantReason != "" {
				t.Errorf("a failure lost Meta's words: %+v", d)
			}
		})
	}
}

// A conversation with no sent reply has no deliveries, as [] (the UI is
// never sent null).
func TestThreadDeliveriesEmpty(t *testing.T) {
	ctx := context.Background()
	e := hookSetup(t, 0)
	_, p := e.fake.Receive(waCustomer, "Olga K.", "Hello", time.Now())
	if code := e.deliver(t, waAppSecret, p); code != 200 {
		t.Fatal(code)
	}
	id, err := e.ws.Store.ConversationIDByThreadKey(ctx, e.acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := e.ws.Thread(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.ws.ThreadDeliveries(ctx, c)
	if err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("deliveries = %#v, %v", ds, err)
	}
}
