package workspace

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestAccountsInCrisisNamesOnlyThoseOn: none at first (an empty list, which
// the UI reads as such), then exactly the account switched on.
func TestAccountsInCrisisNamesOnlyThoseOn(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t, time.Now())
	names, err := ws.AccountsInCrisis(ctx)
	if err != nil || names == nil || len(names) != 0 {
		t.Fatalf("before = %#v, %v; want an empty list", names, err)
	}
	accs, err := ws.Accounts(ctx)
	if err != nil || len(accs) < 2 {
		t.Fatalf("demo accounts = %d, %v", len(accs), err)
	}
	if err := ws.SetCrisisMode(ctx, accs[1].Name, true, "pr-lead"); err != nil {
		t.Fatal(err)
	}
	names, err = ws.AccountsInCrisis(ctx)
	if err != nil || !slices.Equal(names, []string{accs[1].Name}) {
		t.Fatalf("after = %v, %v; want [%s]", names, err, accs[1].Name)
	}
}

func TestAlertBurstGroupsNamesTheUnreadableTime(t *testing.T) {
	ws := openWS(t)
	ctx := context.Background()
	ok := time.Now().UTC().Format(time.RFC3339Nano)
	for _, c := range []struct{ start, at, want string }{
		{"yesterday", ok, "window start"},
		{ok, "now", "detection time"},
	} {
		_, err := ws.AlertBurstGroups(ctx, "acme", c.start, c.at, 900000)
		if err == nil || !strings.Contains(err.Error(), "burst groups of acme: "+c.want) {
			t.Errorf("AlertBurstGroups(%q, %q) = %v; want an error naming the %s", c.start, c.at, err, c.want)
		}
	}
	if _, err := ws.AlertBurstGroups(ctx, "acme", ok, ok, 900000); err != nil && strings.Contains(err.Error(), "burst groups of acme: ") {
		t.Errorf("readable times rejected: %v", err)
	}
}

// TestTriageReturnsTheConversationAsStored: each change answers with the
// conversation read back, which the list shows in place of its old row.
func TestTriageReturnsTheConversationAsStored(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t, time.Now())
	page, err := ws.Conversations(ctx, store.InboxQuery{Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("first conversation: %+v, %v", page, err)
	}
	id := page.Items[0].ID
	if _, err := ws.SetStatus(ctx, id, "archived", "Ann"); err == nil || !strings.Contains(err.Error(), `unknown status "archived"`) {
		t.Fatalf("unknown status: %v", err)
	}
	c, err := ws.SetStatus(ctx, id, inbox.StatusClosed, "Ann")
	if err != nil || c.Status != inbox.StatusClosed {
		t.Fatalf("closed: %+v, %v", c.Status, err)
	}
	if c, err = ws.Assign(ctx, id, "Bob"); err != nil || c.Assignee != "Bob" {
		t.Fatalf("assigned: %q, %v", c.Assignee, err)
	}
	if c, err = ws.AddTag(ctx, id, "refund"); err != nil || !slices.Contains(c.Tags, "refund") {
		t.Fatalf("tagged: %v, %v", c.Tags, err)
	}
	if c, err = ws.RemoveTag(ctx, id, "refund"); err != nil || slices.Contains(c.Tags, "refund") {
		t.Fatalf("untagged: %v, %v", c.Tags, err)
	}
	got, msgs, err := ws.Thread(ctx, id)
	if err != nil || got.ID != id || len(msgs) == 0 {
		t.Fatalf("thread: %d, %d messages, %v", got.ID, len(msgs), err)
	}
}

// TestSLAPolicyTextRoundTrips: the text Settings shows is accepted back as
// it is; broken text is refused.
func TestSLAPolicyTextRoundTrips(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	text, err := ws.SLAPolicyText(ctx)
	if err != nil || !strings.HasPrefix(text, "{\n  ") {
		t.Fatalf("policy text = %q, %v; want indented JSON", text, err)
	}
	if err := ws.SaveSLAPolicyText(ctx, text); err != nil {
		t.Fatalf("saving the shown text back: %v", err)
	}
	if err := ws.SaveSLAPolicyText(ctx, "{"); err == nil {
		t.Fatal("broken JSON saved")
	}
}
