package workspace

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/metahook"
)

// Messenger and Instagram receipts, posted signed as Meta posts them, move
// the delivery status of the replies sent in that conversation: by mids, by
// a watermark covering every reply sent before it, or (Instagram) by the
// newest message seen; never backwards, and a replay changes nothing.
func TestWebhookReceiptsUpdateTheReplies(t *testing.T) {
	const secret = "page-app-secret"
	karl := graphfake.Person{ID: "9002", Name: "Karl Schmidt", Username: "karl.s", FollowsBusiness: true}
	type step struct {
		name string
		hook func(dms *graphfake.Inbox, mid []string, sent []time.Time) map[string]any
		want [3]string // status of r0, r1, r2 ("" none)
		// kept: a status stored for a message no reply has (yet): the outbox
		// may record the send after Meta reported it, as with WhatsApp.
		kept bool
	}
	between := func(a, b time.Time) time.Time { return a.Add(b.Sub(a) / 2) }
	messenger := []step{
		{"delivery by mids", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.DeliveryWebhook(karl.ID, mid[:1], sent[0].Add(time.Second))
		}, [3]string{"delivered", "", ""}, false},
		{"delivery without mids: the watermark", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.DeliveryWebhook(karl.ID, nil, between(sent[1], sent[2]))
		}, [3]string{"delivered", "delivered", ""}, false},
		{"read up to the first", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.ReadWebhook(karl.ID, between(sent[0], sent[1]))
		}, [3]string{"read", "delivered", ""}, false},
		{"a late delivery does not undo read", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.DeliveryWebhook(karl.ID, mid, sent[2].Add(time.Second))
		}, [3]string{"read", "delivered", "delivered"}, false},
		{"read up to the last", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.ReadWebhook(karl.ID, sent[2])
		}, [3]string{"read", "read", "read"}, false},
		{"an old read watermark replayed", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.ReadWebhook(karl.ID, between(sent[0], sent[1]))
		}, [3]string{"read", "read", "read"}, false},
	}
	instagram := []step{
		{"seen the second: it and the first read", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.SeenWebhook(karl.ID, mid[1])
		}, [3]string{"read", "read", ""}, false},
		{"seen a message that is not a reply", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.SeenWebhook(karl.ID, "m_unknown")
		}, [3]string{"read", "read", ""}, true},
		{"read watermark after the last", func(d *graphfake.Inbox, mid []string, sent []time.Time) map[string]any {
			return d.ReadWebhook(karl.ID, sent[2].Add(time.Second))
		}, [3]string{"read", "read", "read"}, false},
	}
	cases := []struct {
		dmFake
		steps []step
	}{
		{dmFakes[0], messenger},
		{dmFakes[1], instagram},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			_, dms, ws, sec, acc := tc.setup(t, secret)
			at := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			dms.Receive(karl, "My bag is lost", at)
			changed := 0
			srv := httptest.NewServer(&metahook.Handler{Sink: WebhookSink{W: ws, Secrets: sec, Changed: func(context.Context) { changed++ }}})
			t.Cleanup(srv.Close)
			url := srv.URL + metahook.Prefix + tc.name
			postSigned(t, url, secret, pageDM(tc.object, tc.entryID, karl.ID, "m_hook_1", "My bag is lost", at))
			thread := "dm:" + karl.ID
			conv, err := ws.Store.ConversationIDByThreadKey(ctx, acc.ID, thread)
			if err != nil {
				t.Fatal(err)
			}

			// Three replies sent through the real client against the fake,
			// recorded sent a minute apart as the outbox records them.
			_, conn, err := ws.Connector(ctx, sec, acc.Name)
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{"r0", "r1", "r2"}
			var mids []string
			var sentAt []time.Time
			for i, id := range ids {
				s, err := conn.Reply(ctx, channels.Reply{ThreadKey: thread, Text: "Looking into it", IdempotencyKey: id})
				if err != nil {
					t.Fatal(err)
				}
				s.SentAt = at.Add(time.Duration(i+1) * time.Minute)
				markSentIn(t, ws, id, conv, thread, s)
				mids, sentAt = append(mids, s.ExternalID), append(sentAt, s.SentAt)
			}
			if got := dms.Sent(); len(got) != 3 || got[2].ID != mids[2] {
				t.Fatalf("the fake holds %+v, want the three replies", got)
			}

			var last [3]string
			for _, st := range tc.steps {
				before := changed
				postSigned(t, url, secret, st.hook(dms, mids, sentAt))
				ds, err := ws.Store.ReplyDeliveries(ctx, conv)
				if err != nil {
					t.Fatal(err)
				}
				for i, id := range ids {
					if ds[id].Status != st.want[i] {
						t.Errorf("%s: %s is %q, want %q", st.name, id, ds[id].Status, st.want[i])
					}
				}
				// The live update (the same as WhatsApp statuses') fires
				// only when a status moved.
				if moves := st.want != last || st.kept; moves != (changed > before) {
					t.Errorf("%s: changed %d → %d, a status moved: %v", st.name, before, changed, moves)
				}
				last = st.want
			}
			// The thread answers the statuses by the sent message's id, which
			// is how the UI puts them under the outgoing messages.
			c, err := ws.Store.ConversationByID(ctx, conv)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ws.ThreadDeliveries(ctx, c)
			if err != nil || len(got) != 3 {
				t.Fatalf("thread deliveries %+v %v", got, err)
			}
			for _, d := range got {
				if d.ExternalID != mids[map[string]int{"r0": 0, "r1": 1, "r2": 2}[d.ReplyID]] {
					t.Errorf("delivery %+v names another message", d)
				}
			}
		})
	}
}
