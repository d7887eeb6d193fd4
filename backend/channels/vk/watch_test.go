package vk_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/vk/vkfake"
)

func TestLongPollFailedRecovery(t *testing.T) {
	t.Run("failed 2: new key, same ts", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		start := channeltest.Fetch(t, c, "")
		fake.ExpireKey()
		queueFixture(t, fake)
		before := fake.Calls("groups.getLongPollServer")
		b := channeltest.Fetch(t, c, start.Cursor)
		if len(b.Items) != 3 {
			t.Fatalf("items after key expiry = %v", ids(b.Items))
		}
		if fake.Calls("groups.getLongPollServer") != before+1 {
			t.Errorf("getLongPollServer calls %d -> %d", before, fake.Calls("groups.getLongPollServer"))
		}
	})
	t.Run("failed 1: continue from the new ts", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		start := channeltest.Fetch(t, c, "")
		queueFixture(t, fake)
		fake.LoseHistory()
		fake.QueueEvent("message_new", map[string]any{"message": map[string]any{"id": 900, "date": 1767226000, "peer_id": 7, "from_id": 7, "text": "after"}})
		b := channeltest.Fetch(t, c, start.Cursor)
		if strings.Join(ids(b.Items), ",") != "msg:7:900" {
			t.Fatalf("items = %v", ids(b.Items))
		}
	})
	t.Run("failed 3: new key and ts", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		start := channeltest.Fetch(t, c, "")
		fake.LoseKeyAndTS()
		b := channeltest.Fetch(t, c, start.Cursor)
		fake.QueueEvent("message_new", map[string]any{"message": map[string]any{"id": 901, "date": 1767226000, "peer_id": 7, "from_id": 7, "text": "x"}})
		b = channeltest.Fetch(t, c, b.Cursor)
		if strings.Join(ids(b.Items), ",") != "msg:7:901" {
			t.Fatalf("items = %v", ids(b.Items))
		}
	})
	t.Run("key refused forever", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		start := channeltest.Fetch(t, c, "")
		for range 5 {
			fake.FailNext("a_check", vkfake.Failure{Body: `{"failed":2}`})
		}
		if _, err := c.Fetch(context.Background(), start.Cursor); err == nil || !strings.Contains(err.Error(), "keeps refusing") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestWatchNotifies(t *testing.T) {
	c, fake, _ := setup(t, nil)
	start := channeltest.Fetch(t, c, "")
	w := channeltest.StartWatch(t, c, start.Cursor)
	fake.QueueEvent("message_new", map[string]any{"message": map[string]any{"id": 3, "date": 1767226000, "peer_id": 7, "from_id": 7, "text": "ping"}})
	w.Notified(t)
	// Watch must not consume events: Fetch still returns it.
	if b := channeltest.Fetch(t, c, start.Cursor); len(b.Items) != 1 {
		t.Fatalf("fetch after notify = %v", ids(b.Items))
	}
	w.Stop()
	if err := w.Ended(t); !errors.Is(err, context.Canceled) {
		t.Errorf("Watch returned %v", err)
	}
}
