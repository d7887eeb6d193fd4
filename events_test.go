package main

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// goEventNames reads the Event* constants from events.go, so a name added
// there is compared without being listed a second time here.
func goEventNames(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "events.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			for i, id := range v.Names {
				lit, ok := v.Values[i].(*ast.BasicLit)
				if !ok || !strings.HasPrefix(id.Name, "Event") {
					continue
				}
				name, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				names[strings.TrimPrefix(id.Name, "Event")] = name
			}
		}
	}
	return names
}

// TestEventNamesMatchFrontend: the UI subscribes by the names in
// frontend/src/lib/api/events.ts; a name Go emits and the UI spells
// differently would be an event nobody hears.
func TestEventNamesMatchFrontend(t *testing.T) {
	want := goEventNames(t)
	if len(want) == 0 {
		t.Fatal("no Event* constants in events.go")
	}
	src, err := os.ReadFile(filepath.Join("frontend", "src", "lib", "api", "events.ts"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(src), "export const Events = {")
	body, _, ok2 := strings.Cut(body, "} as const;")
	if !ok || !ok2 {
		t.Fatal("events.ts: no `export const Events = { ... } as const;`")
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`(\w+):\s*'([^']*)'`).FindAllStringSubmatch(body, -1) {
		got[m[1]] = m[2]
	}
	if !maps.Equal(got, want) {
		t.Errorf("events.ts Events = %v\nevents.go Event* = %v", got, want)
	}
}

// TestEventPayloadJSON: the payloads that were maps keep the JSON the UI
// already reads.
func TestEventPayloadJSON(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{ComposeDelta{ConversationID: 7, Text: "Hello "}, `{"conversationId":7,"text":"Hello "}`},
		{ReplyDelivery{ConversationID: 7, ReplyID: "r1", State: drafts.StateSent}, `{"conversationId":7,"replyId":"r1","state":"sent"}`},
	} {
		b, err := json.Marshal(c.v)
		if err != nil || string(b) != c.want {
			t.Errorf("%T: %s, %v; want %s", c.v, b, err, c.want)
		}
	}
}

// TestEmitHelpers: each helper sends its own name with its payload as the
// only argument, the shape the runtime and the web bridge hand to the page.
func TestEmitHelpers(t *testing.T) {
	type sent struct {
		name string
		data []any
	}
	var got []sent
	a := &App{emit: func(_ context.Context, name string, data ...any) { got = append(got, sent{name, data}) }}
	ctx := context.Background()
	d := ComposeDelta{ConversationID: 1, Text: "x"}
	a.emitInboxChanged(ctx)
	a.emitApprovalChanged(ctx)
	a.emitComposeDelta(ctx, d)
	want := []sent{{EventInboxChanged, nil}, {EventApprovalChanged, nil}, {EventComposeDelta, []any{d}}}
	if len(got) != len(want) {
		t.Fatalf("emitted %v, want %v", got, want)
	}
	for i := range want {
		if got[i].name != want[i].name || len(got[i].data) != len(want[i].data) || (len(want[i].data) == 1 && got[i].data[0] != want[i].data[0]) {
			t.Errorf("emit %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestStreamResetIsTheBridgesEvent: the page listens for the name the web
// bridge sends.
func TestStreamResetIsTheBridgesEvent(t *testing.T) {
	if EventStreamReset != webbridge.ResetEvent {
		t.Fatalf("EventStreamReset %q, webbridge.ResetEvent %q", EventStreamReset, webbridge.ResetEvent)
	}
}

// countingJournal records what reaches the team's journal.
type countingJournal struct{ names []string }

func (j *countingJournal) Append(_ context.Context, name string, _ ...any) (int64, error) {
	j.names = append(j.names, name)
	return int64(len(j.names)), nil
}

func (j *countingJournal) Follow(func(int64, string, []byte)) (int64, func()) { return 0, func() {} }

func (j *countingJournal) Replay(context.Context, int64, int64, func(int64, string, []byte) error) error {
	return nil
}

func (j *countingJournal) Pruned(context.Context) (int64, error) { return 0, nil }

// TestTeamEventsKeepPageLocalEventsOffTheJournal: on a team server the
// streamed draft text and a file import's progress do not go into the
// shared events table; everything else does.
func TestTeamEventsKeepPageLocalEventsOffTheJournal(t *testing.T) {
	b := webbridge.New(nil, nil, nil)
	defer b.Close()
	j := &countingJournal{}
	b.UseJournal(j)
	e := &teamEvents{}
	e.bridge.Store(b)
	a := &App{emit: e.publish}
	ctx := context.Background()
	a.emitComposeDelta(ctx, ComposeDelta{ConversationID: 1, Text: "x"})
	a.emitImportProgress(ctx, ImportProgress{File: "f.csv", Rows: 10})
	a.emitInboxChanged(ctx)
	a.emitReplyDelivered(ctx, ReplyDelivery{ConversationID: 1, ReplyID: "r", State: drafts.StateSent})
	if want := []string{EventInboxChanged, EventReplyDelivered}; !slices.Equal(j.names, want) {
		t.Fatalf("journal got %v; want %v", j.names, want)
	}
}
