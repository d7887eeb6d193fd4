package store

import (
	"context"
	"errors"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestAccountByID(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	tg := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	got, err := s.AccountByID(ctx, tg.ID)
	if err != nil || got.ID != tg.ID || got.Name != "acme-tg" || got.Channel != inbox.ChannelTelegram || !got.CreatedAt.Equal(tg.CreatedAt) {
		t.Fatalf("AccountByID(%d) = %+v, %v; want %+v", tg.ID, got, err, tg)
	}
	if _, err := s.AccountByID(ctx, tg.ID+100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AccountByID(missing) = %v; want ErrNotFound", err)
	}
}

func TestAccountDisableAndRemove(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	other := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	if err := s.SetAccountConfig(ctx, acc.ID, []byte(`{"baseUrl":"https://api.example.org"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveBatch(ctx, acc.ID, []inbox.Item{item("m1", "t1", inbox.DirectionIn, 0, "hello")}, SyncState{Cursor: "c1"}); err != nil {
		t.Fatal(err)
	}
	state := func(id int64) AccountState {
		t.Helper()
		st, err := s.AccountStateOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if got := state(acc.ID); got != AccountActive {
		t.Fatalf("a new account is %q, want active", got)
	}

	if err := s.SetAccountState(ctx, acc.ID, AccountDisabled); err != nil {
		t.Fatal(err)
	}
	if active, err := s.AccountActiveByID(ctx, acc.ID); err != nil || active {
		t.Fatalf("disabled account active = %v, %v", active, err)
	}
	if cfg, _ := s.AccountConfig(ctx, acc.ID); string(cfg) == "{}" {
		t.Fatal("disabling dropped the settings")
	}
	if err := s.SetAccountState(ctx, acc.ID, AccountRemoved); err == nil {
		t.Fatal("SetAccountState(removed) must go through RemoveAccount")
	}
	if err := s.SetAccountState(ctx, acc.ID+100, AccountDisabled); !errors.Is(err, ErrNotFound) {
		t.Fatalf("disable a missing account: %v, want ErrNotFound", err)
	}

	if err := s.RemoveAccount(ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	states, err := s.AccountStates(ctx)
	if err != nil || states[acc.ID] != AccountRemoved || states[other.ID] != AccountActive {
		t.Fatalf("states = %v, %v", states, err)
	}
	if cfg, _ := s.AccountConfig(ctx, acc.ID); string(cfg) != "{}" {
		t.Fatalf("a removed account keeps settings %s", cfg)
	}
	if st, _ := s.SyncStateOf(ctx, acc.ID); st.Cursor != "" || st.Fetched != 0 {
		t.Fatalf("a removed account keeps its sync state %+v", st)
	}
	// Its conversations stay, readable.
	page, err := s.Conversations(ctx, InboxQuery{AccountID: acc.ID})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("conversations of the removed account = %+v, %v; want the one stored", page.Items, err)
	}
	if msgs, err := s.Thread(ctx, page.Items[0].ID); err != nil || len(msgs) != 1 || msgs[0].Text != "hello" {
		t.Fatalf("thread = %+v, %v", msgs, err)
	}
	// Saving the name again reconnects it.
	again, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-tg", Channel: inbox.ChannelTelegram})
	if err != nil || again.ID != acc.ID {
		t.Fatalf("EnsureAccount(removed name) = %+v, %v", again, err)
	}
	if err := s.SetAccountState(ctx, acc.ID, AccountActive); err != nil || state(acc.ID) != AccountActive {
		t.Fatalf("reactivate: %v", err)
	}
	if err := s.RemoveAccount(ctx, acc.ID+100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove a missing account: %v, want ErrNotFound", err)
	}
}
