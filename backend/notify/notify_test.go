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

// TestNotifyBodyShowsAsTyped: customers' text in a body (a mail name with
// its address, a subject with tags or "&") reaches a daemon that reads body
// markup escaped, so it shows as typed and never as a link or an image; a
// plain daemon gets it as it is. Invalid UTF-8, which D-Bus refuses, is
// replaced instead of losing the notification.
func TestNotifyBodyShowsAsTyped(t *testing.T) {
	const body = "Ann <ann@example.com>: R&D <a href=\"https://evil.example\">refund</a> <img src=\"file:///etc/passwd\"> \xff"
	tests := []struct {
		name string
		caps []string
		want string
	}{
		{"markup daemon", []string{"body", "body-markup"},
			"Ann &lt;ann@example.com&gt;: R&amp;D &lt;a href=\"https://evil.example\"&gt;refund&lt;/a&gt; &lt;img src=\"file:///etc/passwd\"&gt; \uFFFD"},
		{"plain daemon", []string{"body"},
			"Ann <ann@example.com>: R&D <a href=\"https://evil.example\">refund</a> <img src=\"file:///etc/passwd\"> \uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := notifytest.StartBus(t)
			d := notifytest.ServeCaps(t, addr, tt.caps...)
			n := New("Stormdesk", addr)
			t.Cleanup(func() { n.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for range 2 { // the capabilities asked once serve the second too
				if err := n.Notify(ctx, Notification{Tag: "sla:7", Title: "SLA <breached> \xfe", Body: body}); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range d.Calls() {
				if c.Body != tt.want || c.Summary != "SLA <breached> \uFFFD" {
					t.Errorf("daemon got summary %q, body %q; want body %q", c.Summary, c.Body, tt.want)
				}
			}
		})
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
