package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

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
