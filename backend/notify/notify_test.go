package notify

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/notify/notifytest"
)

func TestNotifyReachesTheDaemonAndReplacesByTag(t *testing.T) {
	addr := notifytest.StartBus(t)
	d := notifytest.Serve(t, addr)
	n := New("Stormdesk", addr)
	t.Cleanup(func() { n.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	steps := []struct {
		msg          Notification
		wantReplaces uint32
		wantUrgency  byte
	}{
		{Notification{Tag: "sla:1", Title: "SLA breached", Body: "Olga: where is my refund?", Urgent: true}, 0, 2},
		{Notification{Tag: "approval:r1", Title: "Approval requested", Body: "Reply to Olga"}, 0, 1},
		// Same tag again: the daemon is asked to replace notification 1, not stack a new one.
		{Notification{Tag: "sla:1", Title: "SLA breached", Body: "Olga: still waiting", Urgent: true}, 1, 2},
	}
	for i, st := range steps {
		if err := n.Notify(ctx, st.msg); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		calls := d.Calls()
		got := calls[len(calls)-1]
		want := notifytest.Call{App: "Stormdesk", Summary: st.msg.Title, Body: st.msg.Body, Replaces: st.wantReplaces, Urgency: st.wantUrgency, Timeout: -1}
		if got != want {
			t.Fatalf("step %d: daemon got %+v; want %+v", i, got, want)
		}
	}
}

func TestNotifyWithoutDaemonIsUnavailable(t *testing.T) {
	addr := notifytest.StartBus(t) // a bus, but nobody owns org.freedesktop.Notifications
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		name, addr string
	}{
		{"no daemon on the bus", addr},
		{"no bus at that address", "unix:path=" + filepath.Join(t.TempDir(), "missing")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := New("Stormdesk", tt.addr)
			defer n.Close()
			err := n.Notify(ctx, Notification{Tag: "x", Title: "hello"})
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("err = %v; want ErrUnavailable", err)
			}
		})
	}
}

func TestNotifyNeedsATitle(t *testing.T) {
	n := New("Stormdesk", "unix:path=/nonexistent")
	if err := n.Notify(context.Background(), Notification{Body: "no title"}); err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v; want a missing-title error before any connection", err)
	}
}
