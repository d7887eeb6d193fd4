package main

import (
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/team"
)

func (na *noteApp) eventsSince(n int) []string {
	na.mu.Lock()
	defer na.mu.Unlock()
	return slices.Clone(na.events[n:])
}

func (na *noteApp) eventCount() int {
	na.mu.Lock()
	defer na.mu.Unlock()
	return len(na.events)
}

func (na *noteApp) composeAs(name string, role team.Role) *ComposeService {
	var who as
	if name != "" {
		who = as{&teamMember{name: name, role: role}}
	}
	return &ComposeService{app: na.App, as: who}
}

// TestTeamChangesReachOtherPages: on the team server every change a member
// makes to a conversation (status, tags, a reply drafted and moved through
// its steps) is announced, so the other members' pages show it without a
// reload; the window alone is sent no event for its own status, tag or
// draft edit (its page shows those already, a second refresh would only
// redo the work).
func TestTeamChangesReachOtherPages(t *testing.T) {
	na := newNoteApp(t, "Ann", "Pete")
	pete := na.as("Pete")
	inboxSteps := []struct {
		name string
		do   func(*InboxService) error
	}{
		{"close", func(s *InboxService) error { _, err := s.SetStatus(na.conv, "closed"); return err }},
		{"reopen", func(s *InboxService) error { _, err := s.SetStatus(na.conv, "open"); return err }},
		{"tag", func(s *InboxService) error { _, err := s.AddTag(na.conv, "billing"); return err }},
		{"untag", func(s *InboxService) error { _, err := s.RemoveTag(na.conv, "billing"); return err }},
		{"spam", func(s *InboxService) error {
			_, err := s.Triage([]int64{na.conv}, TriageRequest{Action: "spam"})
			return err
		}},
		{"snooze", func(s *InboxService) error {
			_, err := s.Triage([]int64{na.conv}, TriageRequest{Action: "snooze", Until: "2099-01-01T00:00:00Z"})
			return err
		}},
	}
	for _, st := range inboxSteps {
		n := na.eventCount()
		if err := st.do(pete); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := na.eventsSince(n); !slices.Contains(got, EventInboxChanged) {
			t.Errorf("%s on the team server: events %v, want %s", st.name, got, EventInboxChanged)
		}
	}
	alone := &InboxService{app: na.App}
	for _, st := range inboxSteps[:4] {
		n := na.eventCount()
		if err := st.do(alone); err != nil {
			t.Fatalf("%s alone: %v", st.name, err)
		}
		if got := na.eventsSince(n); slices.Contains(got, EventInboxChanged) {
			t.Errorf("%s in the window alone: events %v, want no %s", st.name, got, EventInboxChanged)
		}
	}

	// A reply drafted, edited and submitted by Pete: each step names the
	// reply and its state for the others' composers.
	composer := na.composeAs("Pete", team.RoleAgent)
	n := na.eventCount()
	list, err := composer.DraftForGroup([]int64{na.conv}, "We are on it.")
	if err != nil || len(list) != 1 {
		t.Fatalf("DraftForGroup = %+v, %v", list, err)
	}
	r := list[0]
	if got := na.replyChanges(n); !slices.Equal(got, []ReplyChange{{ConversationID: na.conv, ReplyID: r.ID, State: drafts.StateDraft}}) {
		t.Errorf("after drafting: reply:changed %+v", got)
	}
	for _, step := range []struct {
		action drafts.Action
		want   drafts.State
	}{{drafts.ActionEdit, drafts.StateDraft}, {drafts.ActionSubmit, drafts.StateSubmitted}, {drafts.ActionWithdraw, drafts.StateDraft}} {
		n := na.eventCount()
		got, err := composer.Step(ComposeStep{ReplyID: r.ID, Action: string(step.action), Text: "We are on it, " + string(step.action) + "."})
		if err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
		if got.State != step.want {
			t.Fatalf("%s: state %s, want %s", step.action, got.State, step.want)
		}
		if ch := na.replyChanges(n); !slices.Equal(ch, []ReplyChange{{ConversationID: na.conv, ReplyID: r.ID, State: step.want}}) {
			t.Errorf("%s: reply:changed %+v, want one naming the reply in state %s", step.action, ch, step.want)
		}
	}
	// A refused step changes nothing and announces nothing.
	n = na.eventCount()
	if _, err := composer.Step(ComposeStep{ReplyID: r.ID, Action: string(drafts.ActionApprove)}); err == nil {
		t.Errorf("an agent approved on the team server")
	}
	if ch := na.replyChanges(n); len(ch) != 0 {
		t.Errorf("a refused step announced %+v", ch)
	}

	// The window alone announces no reply change: only its own page shows the composer.
	solo := na.composeAs("", "")
	n = na.eventCount()
	if _, err := solo.Step(ComposeStep{ReplyID: r.ID, Action: string(drafts.ActionEdit), Text: "alone"}); err != nil {
		t.Fatal(err)
	}
	if ch := na.replyChanges(n); len(ch) != 0 {
		t.Errorf("the window alone announced %+v", ch)
	}
}

// replyChanges are the reply:changed payloads emitted since event n.
func (na *noteApp) replyChanges(n int) []ReplyChange {
	na.mu.Lock()
	defer na.mu.Unlock()
	var out []ReplyChange
	for i, name := range na.events[n:] {
		if name == EventReplyChanged {
			out = append(out, na.payloads[n+i].(ReplyChange))
		}
	}
	return out
}
