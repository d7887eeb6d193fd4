package workspace

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
)

// keyringMustNotBeAsked counts reads of account secrets (drafting may look
// for an LLM key): a demo account must be refused before the keyring, which
// may not even run.
type keyringMustNotBeAsked struct{ reads atomic.Int32 }

func (k *keyringMustNotBeAsked) Get(_ context.Context, key string) (string, error) {
	if strings.HasPrefix(key, "account/") {
		k.reads.Add(1)
	}
	return "", errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no keyring")
}

func (k *keyringMustNotBeAsked) Set(context.Context, string, string) error {
	return errors.New("no keyring")
}

// TestDemoAccountReplyFailsWithItsCode walks a reply on demo data through
// approval and checks the outbox records a demo-account failure the window
// can translate, without asking the keyring.
func TestDemoAccountReplyFailsWithItsCode(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no demo conversation: %v", err)
	}
	conv := page.Items[0]
	sec := &keyringMustNotBeAsked{}
	c := ws.NewComposer(sec)
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleApprover}
	r, err := c.Draft(ctx, conv.ID, agent, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []drafts.Step{{Action: drafts.ActionSubmit}, {Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}} {
		if r, err = c.Step(ctx, r.ID, agent, s); err != nil {
			// A demo thread in crisis needs a second person; the first conversation is not one.
			t.Fatalf("%s: %v", s.Action, err)
		}
	}
	if _, failed, err := c.outbox.RunOnce(ctx, r.UpdatedAt.Add(time.Hour)); err != nil || failed != 1 {
		t.Fatalf("outbox failed %d replies (%v), want 1", failed, err)
	}
	got, err := ws.Store.ReplyByID(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, params, detail, ok := apperr.Decode(got.FailReason)
	if got.State != drafts.StateFailed || !ok || code != apperr.CodeDemoAccount || params["account"] == "" || detail == "" {
		t.Fatalf("reply %s failed with %q; want a demo-account code naming the account", got.State, got.FailReason)
	}
	if n := sec.reads.Load(); n != 0 {
		t.Errorf("the keyring was read %d times for a demo account", n)
	}
}

// TestMissingSecretHasItsCode checks the "enter the token again" refusal
// carries secret-missing with the secret's name, for the window's next step.
func TestMissingSecretHasItsCode(t *testing.T) {
	ctx := context.Background()
	ws, _, _, _ := telegramConversation(t)
	accounts, err := ws.Store.Accounts(ctx)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("accounts: %v", err)
	}
	empty := &memSecrets{m: map[string]string{}}
	_, _, err = ws.Connector(ctx, empty, accounts[0].Name)
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.CodeSecretMissing || e.Params["secret"] != "token" || e.Params["account"] != accounts[0].Name {
		t.Fatalf("Connector without a token: %v (%+v), want secret-missing for the token", err, e)
	}
}
