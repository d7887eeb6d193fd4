package workspace

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// demoConversation is a workspace with the demo data and its first conversation.
func demoConversation(t *testing.T) (*Workspace, inbox.Conversation) {
	t.Helper()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(context.Background(), time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	page, err := ws.Store.Conversations(context.Background(), store.InboxQuery{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no demo conversation: %v", err)
	}
	return ws, page.Items[0]
}

// SendCheck tells the composer before approval that a demo conversation
// cannot send (naming its account, without asking the keyring), nor one of a
// disabled or removed account, and has
// nothing to say about a connected account.
func TestSendCheck(t *testing.T) {
	ctx := context.Background()
	demo, demoConv := demoConversation(t)
	demoAcc, err := demo.Store.AccountByID(ctx, demoConv.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	demoKeyring := &keyringMustNotBeAsked{}
	connected, sec, _, tgConv := telegramConversation(t)

	type sendCase struct {
		name    string
		c       *Composer
		conv    int64
		code    string
		account string
	}
	cases := []sendCase{
		{"demo account", demo.NewComposer(demoKeyring), demoConv.ID, apperr.CodeDemoAccount, demoAcc.Name},
		{"connected account", connected.NewComposer(sec), tgConv, "", ""},
	}
	// The same Telegram conversation once its account is disabled, and once removed.
	disabled, dsec, _, dConv := telegramConversation(t)
	if _, err := disabled.SetAccountEnabled(ctx, "acme-bot", false); err != nil {
		t.Fatal(err)
	}
	removed, rsec, _, rConv := telegramConversation(t)
	if _, err := removed.RemoveAccount(ctx, rsec, "acme-bot"); err != nil {
		t.Fatal(err)
	}
	cases = append(cases,
		sendCase{"disabled account", disabled.NewComposer(dsec), dConv, apperr.CodeAccountDisabled, "acme-bot"},
		sendCase{"removed account", removed.NewComposer(rsec), rConv, apperr.CodeAccountRemoved, "acme-bot"},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			why, err := tc.c.SendCheck(ctx, tc.conv)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if why != nil {
					t.Fatalf("a connected account is blocked: %v", why)
				}
				return
			}
			got := apperr.Classify(why)
			if got.Code != tc.code || got.Params["account"] != tc.account {
				t.Errorf("got %s %v, want %s naming %s", got.Code, got.Params, tc.code, tc.account)
			}
		})
	}
	if n := demoKeyring.reads.Load(); n != 0 {
		t.Errorf("the keyring was read %d times for a demo account", n)
	}
	if _, err := demo.NewComposer(demoKeyring).SendCheck(ctx, 987654); !apperr.Is(err, apperr.CodeNotFound) {
		t.Errorf("a missing conversation: %v, want not-found", err)
	}
}

// A failed demo reply marks the conversation until a newer reply replaces it.
func TestFailedSendUntilReplaced(t *testing.T) {
	ctx := context.Background()
	ws, first := demoConversation(t)
	conv := first.ID
	c := ws.NewComposer(&keyringMustNotBeAsked{})
	me := drafts.Actor{Name: "anna", Role: drafts.RoleApprover}
	r, err := c.Draft(ctx, conv, me, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailedSend(ctx, conv) {
		t.Fatal("a draft is not a failed send")
	}
	for _, s := range []drafts.Step{{Action: drafts.ActionSubmit}, {Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}} {
		if r, err = c.Step(ctx, r.ID, me, s); err != nil {
			t.Fatalf("%s: %v", s.Action, err)
		}
	}
	if _, failed, err := c.outbox.RunOnce(ctx, r.UpdatedAt.Add(time.Hour)); err != nil || failed != 1 {
		t.Fatalf("outbox failed %d replies (%v), want 1", failed, err)
	}
	if !c.FailedSend(ctx, conv) {
		t.Fatal("the failed demo reply does not mark its conversation")
	}
	if _, err := c.Draft(ctx, conv, me, "", nil); err != nil {
		t.Fatal(err)
	}
	if c.FailedSend(ctx, conv) {
		t.Error("a newer draft still leaves the conversation marked")
	}
	if c.FailedSend(ctx, 987654) {
		t.Error("a missing conversation is marked")
	}
}
