package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestDeliveryStatusMovesForwardOnly: statuses reach the sent reply they
// belong to, a replayed or late one changes nothing, a failure keeps Meta's
// error, and a status that arrives before the outbox recorded the send is
// kept for it.
func TestDeliveryStatusMovesForwardOnly(t *testing.T) {
	ctx := context.Background()
	s, conv, account := deliveryFixture(t)
	at := rt0.Add(time.Hour)
	// "sent" arrives before the outbox has marked the reply sent.
	if n, err := s.RecordDelivery(ctx, account, []Delivery{{ExternalID: "wamid.1", Status: DeliverySent, At: at}}); err != nil || n != 1 {
		t.Fatalf("first status: %d %v", n, err)
	}
	newStoredReply(t, s, "r1", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	out := &inbox.Item{ExternalID: "wamid.1", ThreadKey: "status:m1", Kind: inbox.KindComment, Direction: inbox.DirectionOut, Text: "hi", SentAt: at}
	if err := s.MarkSent(ctx, "r1", at, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionSent, ExternalID: "wamid.1"}, at)
	}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		d       Delivery
		changed int
		want    string
	}{
		{Delivery{ExternalID: "wamid.1", Status: DeliveryDelivered, At: at.Add(time.Minute)}, 1, DeliveryDelivered},
		{Delivery{ExternalID: "wamid.1", Status: DeliveryDelivered, At: at.Add(time.Minute)}, 0, DeliveryDelivered}, // replay
		{Delivery{ExternalID: "wamid.1", Status: DeliveryRead, At: at.Add(2 * time.Minute)}, 1, DeliveryRead},
		{Delivery{ExternalID: "wamid.1", Status: DeliverySent, At: at}, 0, DeliveryRead}, // late
	}
	for i, st := range steps {
		n, err := s.RecordDelivery(ctx, account, []Delivery{st.d})
		if err != nil || n != st.changed {
			t.Fatalf("step %d: changed %d, %v; want %d", i, n, err, st.changed)
		}
		ds, err := s.ReplyDeliveries(ctx, conv)
		if err != nil || ds["r1"].Status != st.want {
			t.Fatalf("step %d: deliveries %+v %v, want %s", i, ds, err, st.want)
		}
	}
	fail := Delivery{ExternalID: "wamid.1", Status: DeliveryFailed, At: at.Add(3 * time.Minute), ErrorCode: 131026, Error: "Message undeliverable"}
	if _, err := s.RecordDelivery(ctx, account, []Delivery{fail}); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.ReplyDeliveries(ctx, conv)
	if got := ds["r1"]; got.Status != DeliveryFailed || got.ErrorCode != 131026 || got.Error != "Message undeliverable" || !got.At.Equal(fail.At) {
		t.Fatalf("failed: %+v", got)
	}
	// A receipt without a time, or from the far future, is dated when recorded.
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	for i, at := range []time.Time{{}, time.Unix(0, 0), now.AddDate(50, 0, 0)} {
		id := fmt.Sprintf("wamid.undated.%d", i)
		if _, err := s.RecordDelivery(ctx, account, []Delivery{{ExternalID: id, Status: DeliveryRead, At: at}}); err != nil {
			t.Fatal(err)
		}
		var got int64
		if err := s.db.QueryRowContext(ctx, `SELECT at FROM delivery_status WHERE external_id = ?`, id).Scan(&got); err != nil || got != now.UnixMilli() {
			t.Errorf("receipt dated %v stored at %v (%v), want when recorded", at, time.UnixMilli(got).UTC(), err)
		}
	}
	if _, err := s.RecordDelivery(ctx, account, []Delivery{{ExternalID: "wamid.2", Status: "seen"}}); err == nil {
		t.Error("an unknown status was stored")
	}
}

// TestSentUpTo: a Messenger/Instagram watermark covers the replies sent in
// that conversation at or before it, never a reply still queued, one sent
// after it, or one in another conversation; a message id (Instagram's seen)
// stands for that reply's send time.
func TestSentUpTo(t *testing.T) {
	ctx := context.Background()
	s, conv, account := deliveryFixture(t)
	at := rt0.Add(time.Hour)
	for i, id := range []string{"r1", "r2"} {
		newStoredReply(t, s, id, conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
		sent := at.Add(time.Duration(i) * time.Minute)
		mid := "m_out_" + id
		out := &inbox.Item{ExternalID: mid, ThreadKey: "status:m1", Kind: inbox.KindComment, Direction: inbox.DirectionOut, Text: "hi", SentAt: sent}
		if err := s.MarkSent(ctx, id, sent, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionSent, ExternalID: mid}, sent)
		}); err != nil {
			t.Fatal(err)
		}
	}
	newStoredReply(t, s, "r3", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue) // queued, not sent
	cases := []struct {
		name    string
		thread  string
		upTo    time.Time
		through string
		want    []string
	}{
		{"before any", "status:m1", at.Add(-time.Second), "", nil},
		{"exactly the first", "status:m1", at, "", []string{"m_out_r1"}},
		{"between", "status:m1", at.Add(30 * time.Second), "", []string{"m_out_r1"}},
		{"after both", "status:m1", at.Add(time.Hour), "", []string{"m_out_r1", "m_out_r2"}},
		{"another thread", "dm:9002", at.Add(time.Hour), "", nil},
		{"through the second", "status:m1", time.Time{}, "m_out_r2", []string{"m_out_r1", "m_out_r2"}},
		{"through the first", "status:m1", time.Time{}, "m_out_r1", []string{"m_out_r1"}},
		{"through an unknown id", "status:m1", at.Add(time.Hour), "m_nope", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.SentUpTo(ctx, account, tc.thread, tc.upTo, tc.through)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// deliveryFixture is replyFixture with the conversation's account.
func deliveryFixture(t *testing.T) (*Store, int64, int64) {
	t.Helper()
	s, conv := replyFixture(t)
	var account int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT account_id FROM conversations WHERE id = ?`, conv).Scan(&account); err != nil {
		t.Fatal(err)
	}
	return s, conv, account
}
