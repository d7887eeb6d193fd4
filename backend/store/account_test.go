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
