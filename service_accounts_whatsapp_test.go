package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestWhatsAppNeedsTheTeamServer: the single-person app refuses to set up a
// WhatsApp account with a coded error the window words in the person's
// language, instead of saving an account that would never receive anything.
func TestWhatsAppNeedsTheTeamServer(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)
	a.emit = func(context.Context, string, ...any) {}
	accounts := &AccountsService{app: a}
	in := workspace.AccountInput{Name: "aurora-wa", Channel: inbox.ChannelWhatsApp, Brand: "Aurora",
		Settings: `{"phoneNumberId":"1065","wabaId":"1022"}`, Secrets: map[string]string{"access-token": "t", "app-secret": "s", "verify-token": "v"}}
	if _, err := accounts.Save(in); !apperr.Is(err, apperr.CodeNeedsTeamServer) {
		t.Fatalf("save: %v, want %s", err, apperr.CodeNeedsTeamServer)
	}
	if _, err := accounts.TestInput(in); !apperr.Is(err, apperr.CodeNeedsTeamServer) {
		t.Fatalf("test: %v, want %s", err, apperr.CodeNeedsTeamServer)
	}
	var ae *apperr.Error
	if err := a.channelHere(inbox.ChannelWhatsApp); !errors.As(err, &ae) || ae.Params["channel"] != "whatsapp" {
		t.Errorf("params: %+v", ae)
	}
	a.team = true
	if err := a.channelHere(inbox.ChannelWhatsApp); err != nil {
		t.Errorf("the team server refuses WhatsApp: %v", err)
	}
	if err := (&App{}).channelHere(inbox.ChannelFacebook); err != nil {
		t.Errorf("facebook refused: %v", err)
	}
}
