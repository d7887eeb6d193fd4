package demo

import (
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestTriageFor(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	counts := map[inbox.Status]int{}
	mine := 0
	for _, a := range Generate(now, 1) {
		tr := TriageFor(a, now, "me")
		last := map[string]inbox.Item{}
		for _, it := range a.Items {
			if l, ok := last[it.ThreadKey]; !ok || it.SentAt.After(l.SentAt) {
				last[it.ThreadKey] = it
			}
		}
		if len(tr) != len(last) {
			t.Fatalf("%s: %d triage entries for %d threads", a.Account.Name, len(tr), len(last))
		}
		for key, it := range last {
			got := tr[key]
			counts[got.Status]++
			if got.Assignee == "me" {
				mine++
			}
			if it.Direction == inbox.DirectionIn && got.Status != inbox.StatusOpen {
				t.Errorf("%s/%s: last message is the customer's but status is %s", a.Account.Name, key, got.Status)
			}
			if it.Direction == inbox.DirectionOut && got.Status == inbox.StatusOpen {
				t.Errorf("%s/%s: answered thread left open", a.Account.Name, key)
			}
			if got.Status != inbox.StatusOpen && got.Assignee == "" {
				t.Errorf("%s/%s: answered thread has no assignee", a.Account.Name, key)
			}
		}
	}
	for _, st := range []inbox.Status{inbox.StatusOpen, inbox.StatusPending, inbox.StatusClosed} {
		if counts[st] == 0 {
			t.Errorf("no %s conversations in the demo (counts %v)", st, counts)
		}
	}
	if mine == 0 {
		t.Error("no conversation is assigned to the current agent")
	}
}
