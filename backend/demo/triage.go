package demo

import (
	"hash/fnv"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Triage is the workflow state a demo conversation should show, so the demo
// inbox looks like one a team has been working in rather than all-new.
type Triage struct {
	Status   inbox.Status
	Assignee string // "" = unassigned
}

// Teammates are the other agents of the demo team.
var Teammates = []string{"anna", "mikhail", "jonas"}

// TriageFor derives each thread's state from its messages: answered more than a
// day ago is closed, answered recently is pending (waiting on the customer),
// unanswered stays open. Answered threads belong to a teammate; of the open ones about
// a third go to a teammate and a sixth to me, the person running the app.
func TriageFor(a Account, now time.Time, me string) map[string]Triage {
	type last struct {
		at  time.Time
		dir inbox.Direction
	}
	lastOf := map[string]last{}
	for _, it := range a.Items {
		if l, ok := lastOf[it.ThreadKey]; !ok || it.SentAt.After(l.at) {
			lastOf[it.ThreadKey] = last{it.SentAt, it.Direction}
		}
	}
	out := make(map[string]Triage, len(lastOf))
	for key, l := range lastOf {
		h := fnv.New32a()
		h.Write([]byte(a.Account.Name + "/" + key))
		n := h.Sum32()
		t := Triage{Status: inbox.StatusOpen}
		if l.dir == inbox.DirectionOut {
			t.Status = inbox.StatusPending
			if now.Sub(l.at) > 24*time.Hour {
				t.Status = inbox.StatusClosed
			}
		}
		switch {
		case t.Status != inbox.StatusOpen || n%3 == 0:
			t.Assignee = Teammates[n%uint32(len(Teammates))]
		case n%3 == 1 && n%2 == 0:
			t.Assignee = me
		}
		out[key] = t
	}
	return out
}
