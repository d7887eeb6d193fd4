package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestPresenceServiceAnnouncesChanges: on the team server each member's
// heartbeat is recorded under their own name, a change is announced to every
// page as "presence:changed" with the conversation's viewers, and a beat that
// changes nothing announces nothing; the single-person app records nothing.
func TestPresenceServiceAnnouncesChanges(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "team.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	var got []PresenceChange
	a := newHeadlessApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, "", false, nil)
	a.ws = ws
	a.emit = func(_ context.Context, name string, data ...any) {
		if name != EventPresenceChanged || len(data) != 1 {
			t.Errorf("emitted %s %v", name, data)
			return
		}
		got = append(got, data[0].(PresenceChange))
	}
	ann := &PresenceService{app: a, as: as{&teamMember{name: "Ann", role: team.RoleAgent}}}
	bob := &PresenceService{app: a, as: as{&teamMember{name: "Bob", role: team.RoleAdmin}}}
	expect := func(what string, want ...PresenceChange) {
		t.Helper()
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s announced %+v, want %+v", what, got, want)
		}
		got = nil
	}

	if v, err := ann.Heartbeat(7, false); err != nil || !reflect.DeepEqual(v, []Viewer{{Name: "Ann"}}) {
		t.Fatalf("Ann's first heartbeat = %+v, %v", v, err)
	}
	expect("Ann opening 7",
		PresenceChange{ConversationID: 0, Viewers: []Viewer{{Name: "Ann"}}},
		PresenceChange{ConversationID: 7, Viewers: []Viewer{{Name: "Ann"}}})
	if _, err := ann.Heartbeat(7, false); err != nil {
		t.Fatal(err)
	}
	expect("Ann's renewal")
	v, err := bob.Heartbeat(7, true)
	if want := []Viewer{{Name: "Ann"}, {Name: "Bob", Typing: true}}; err != nil || !reflect.DeepEqual(v, want) {
		t.Fatalf("Bob's heartbeat = %+v, %v; want %+v", v, err, want)
	}
	expect("Bob typing in 7",
		PresenceChange{ConversationID: 0, Viewers: []Viewer{{Name: "Ann"}, {Name: "Bob"}}},
		PresenceChange{ConversationID: 7, Viewers: []Viewer{{Name: "Ann"}, {Name: "Bob", Typing: true}}})
	if on, err := ann.Online(); err != nil || !reflect.DeepEqual(on, []string{"Ann", "Bob"}) {
		t.Fatalf("Online = %v, %v", on, err)
	}
	if err := bob.Leave(7); err != nil {
		t.Fatal(err)
	}
	expect("Bob leaving 7", PresenceChange{ConversationID: 7, Viewers: []Viewer{{Name: "Ann"}}})

	alone := &PresenceService{app: &App{emit: a.emit}}
	if v, err := alone.Heartbeat(7, true); err != nil || len(v) != 0 {
		t.Fatalf("single-person Heartbeat = %v, %v", v, err)
	}
	if on, err := alone.Online(); err != nil || !reflect.DeepEqual(on, []string{workspace.AgentName()}) {
		t.Fatalf("single-person Online = %v, %v", on, err)
	}
	expect("the single-person app")
}
