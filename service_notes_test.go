package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
)

// noteApp is a started app on a fresh SQLite file with one conversation and
// the members names; emitted events are recorded.
type noteApp struct {
	*App
	conv    int64
	mu      sync.Mutex
	sent    []NoteMention
	changed int      // inbox:changed events
	events  []string // every event's name, in order
	// payloads[i] is events[i]'s payload (nil without one)
	payloads []any
}

func newNoteApp(t *testing.T, members ...string) *noteApp {
	t.Helper()
	na := &noteApp{App: NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)}
	na.emit = func(_ context.Context, name string, data ...any) {
		na.mu.Lock()
		defer na.mu.Unlock()
		na.events = append(na.events, name)
		var p any
		if len(data) > 0 {
			p = data[0]
		}
		na.payloads = append(na.payloads, p)
		switch name {
		case EventTeamMention:
			na.sent = append(na.sent, data[0].(NoteMention))
		case EventInboxChanged:
			na.changed++
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	na.startup(ctx)
	t.Cleanup(func() { cancel(); na.shutdown(context.Background()) })
	ws, err := na.workspace()
	if err != nil {
		t.Fatalf("workspace: %v", err)
	}
	for _, m := range members {
		if _, err := ws.Store.CreateMember(ctx, m, store.RoleAgent); err != nil {
			t.Fatal(err)
		}
	}
	acc, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelMastodon, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.SaveItems(ctx, acc.ID, []inbox.Item{{ExternalID: "m1", ThreadKey: "t1", Kind: inbox.KindDM, Direction: inbox.DirectionIn,
		Text: "where is my order?", SentAt: time.Now().Add(-time.Hour), Author: inbox.Author{ExternalID: "c1", Handle: "@c1"}}}); err != nil {
		t.Fatal(err)
	}
	page, err := (&InboxService{app: na.App}).Conversations(ConversationQuery{Limit: 10})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("conversations = %v, %v", page.Items, err)
	}
	na.conv = page.Items[0].ID
	return na
}

func (na *noteApp) as(name string) *InboxService {
	return &InboxService{app: na.App, as: as{&teamMember{name: name, role: team.RoleAgent}}}
}

func (na *noteApp) inboxChanged() int {
	na.mu.Lock()
	defer na.mu.Unlock()
	return na.changed
}

func (na *noteApp) mentions() []NoteMention {
	na.mu.Lock()
	defer na.mu.Unlock()
	return slices.Clone(na.sent)
}

// TestNoteMentionsReachTheMember: on the team server a note's @mentions of
// members are recorded, each mentioned member is told once (not the author,
// not a disabled member, not a name that is no member), and only that
// member's Mentions lists the note until they read it.
func TestNoteMentionsReachTheMember(t *testing.T) {
	na := newNoteApp(t, "Ann", "Ann Lee", "Pete Lee", "Gone")
	ws, _ := na.workspace()
	ms, _ := ws.Store.Members(context.Background())
	for _, m := range ms {
		if m.Name == "Gone" {
			if err := ws.Store.SetMemberDisabled(context.Background(), m.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}

	people, err := na.as("Pete Lee").Assignees()
	if want := []string{"Ann", "Ann Lee", "Pete Lee"}; err != nil || !slices.Equal(people, want) {
		t.Fatalf("team Assignees = %v, %v; want the enabled members %v", people, err, want)
	}

	body := "@ann lee call back, @Pete Lee knows. @Gone and @Bob " + strings.Repeat("x", 200)
	n, err := na.as("Pete Lee").AddNote(na.conv, body)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(n.Mentions, []string{"Ann Lee"}) {
		t.Errorf("note mentions %v, want only Ann Lee (the author, a disabled member and a stranger are not)", n.Mentions)
	}
	sent := na.mentions()
	if len(sent) != 1 {
		t.Fatalf("team:mention events = %+v, want one", sent)
	}
	e := sent[0]
	if e.Member != "Ann Lee" || e.ConversationID != na.conv || e.NoteID != n.ID || e.Author != "Pete Lee" ||
		!strings.HasPrefix(e.Excerpt, "@ann lee call back") || len([]rune(e.Excerpt)) != mentionExcerpt || !strings.HasSuffix(e.Excerpt, "…") {
		t.Errorf("event = %+v", e)
	}

	annLee, ann := na.as("Ann Lee"), na.as("Ann")
	if got, err := annLee.Mentions(); err != nil || len(got) != 1 || got[0].NoteID != n.ID || got[0].ReadAt != nil {
		t.Fatalf("Ann Lee's mentions = %+v, %v", got, err)
	}
	if got, err := ann.Mentions(); err != nil || len(got) != 0 {
		t.Errorf("Ann (a shorter name) is listed: %+v, %v", got, err)
	}
	// Ann cannot mark Ann Lee's mention read.
	if err := ann.MarkMentionsRead([]int64{n.ID}); err != nil {
		t.Fatal(err)
	}
	if got, _ := annLee.Mentions(); got[0].ReadAt != nil {
		t.Errorf("another member's call marked the mention read")
	}
	if err := annLee.MarkMentionsRead([]int64{n.ID}); err != nil {
		t.Fatal(err)
	}
	if got, _ := annLee.Mentions(); got[0].ReadAt == nil {
		t.Errorf("MarkMentionsRead left the mention unread")
	}

	th, err := ann.Thread(na.conv)
	if err != nil || len(th.Notes) != 1 || !slices.Equal(th.Notes[0].Mentions, []string{"Ann Lee"}) {
		t.Errorf("thread notes = %+v, %v", th.Notes, err)
	}
}

// TestTeamAssignmentReachesOtherPages: on the team server an assignment, a
// bulk assignment, its undo and a note tell every page the inbox changed;
// the window, alone, is not sent an event for its own change.
func TestTeamAssignmentReachesOtherPages(t *testing.T) {
	na := newNoteApp(t, "Ann", "Pete")
	pete := na.as("Pete")
	steps := []struct {
		name string
		do   func() error
	}{
		{"assign", func() error { _, err := pete.Assign(na.conv, "Ann"); return err }},
		{"bulk assign", func() error {
			res, err := pete.Triage([]int64{na.conv}, TriageRequest{Action: "assign", Assignee: "Pete"})
			if err == nil {
				_, err = pete.Undo(res.UndoID)
			}
			return err
		}},
		{"note", func() error { _, err := pete.AddNote(na.conv, "called"); return err }},
	}
	for _, st := range steps {
		before := na.inboxChanged()
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if na.inboxChanged() == before {
			t.Errorf("%s: no inbox:changed on the team server", st.name)
		}
	}
	if c, err := na.as("Ann").Thread(na.conv); err != nil || c.Conversation.Assignee != "Ann" {
		t.Errorf("after the undo the assignee is %q (%v), want Ann", c.Conversation.Assignee, err)
	}

	// Only members are assigned to on the team server: a typo or a disabled
	// member is refused with a coded rule, alone and in bulk.
	for _, name := range []string{"Anne", "ann"} {
		if _, err := pete.Assign(na.conv, name); !apperr.Is(err, apperr.CodeNotAllowed) || !strings.Contains(err.Error(), "assignee-not-member") {
			t.Errorf("Assign(%q) = %v; want not-allowed, rule assignee-not-member", name, err)
		}
		if _, err := pete.Triage([]int64{na.conv}, TriageRequest{Action: "assign", Assignee: name}); !apperr.Is(err, apperr.CodeNotAllowed) {
			t.Errorf("bulk assign to %q = %v; want not-allowed", name, err)
		}
	}
	if _, err := pete.Assign(na.conv, ""); err != nil {
		t.Errorf("unassigning: %v", err)
	}

	alone := &InboxService{app: na.App}
	before := na.inboxChanged()
	if _, err := alone.Assign(na.conv, "Zed"); err != nil {
		t.Fatal(err)
	}
	if _, err := alone.AddNote(na.conv, "alone"); err != nil {
		t.Fatal(err)
	}
	if got := na.inboxChanged(); got != before {
		t.Errorf("the window was sent %d inbox:changed for its own changes", got-before)
	}
}

// TestSinglePersonNotes: the desktop alone offers the person at it first,
// then whoever conversations are assigned to; a note records mentions of
// those names (not of its author, not of unknown names) and tells no page.
func TestSinglePersonNotes(t *testing.T) {
	na := newNoteApp(t)
	svc := &InboxService{app: na.App}
	me := svc.agentName()
	if _, err := svc.Assign(na.conv, "Zed"); err != nil {
		t.Fatal(err)
	}
	people, err := svc.Assignees()
	if want := []string{me, "Zed"}; err != nil || !slices.Equal(people, want) {
		t.Errorf("Assignees = %v, %v; want %v", people, err, want)
	}
	n, err := svc.AddNote(na.conv, "@"+me+" and @zed, not @Bob")
	if err != nil || !slices.Equal(n.Mentions, []string{"Zed"}) {
		t.Errorf("note = %+v, %v; want a mention of Zed only", n, err)
	}
	if len(na.mentions()) != 0 {
		t.Errorf("events: %+v", na.mentions())
	}
	if got, err := svc.Mentions(); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Mentions = %#v, %v; want an empty list", got, err)
	}
}
