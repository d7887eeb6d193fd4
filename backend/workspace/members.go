package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
)

// RedeemInvite makes the member an invitation code promises and returns
// them with a new access token. password ("" for none) must be at least
// team.MinPasswordLength characters; it is hashed with params before the
// invitation is touched, so a refused password leaves the code unused.
// Refusals are coded: invite-invalid, name-taken, invalid-input.
func (w *Workspace) RedeemInvite(ctx context.Context, code, name, password string, params team.Params) (store.Member, string, error) {
	var hash string
	if password != "" {
		var err error
		if hash, err = team.HashPassword(password, params); err != nil {
			return store.Member{}, "", apperr.InvalidInput("password", err)
		}
	}
	m, token, err := w.Store.RedeemInvite(ctx, code, name, hash)
	if err != nil {
		return store.Member{}, "", memberError(err, name)
	}
	w.Log.Info("invitation redeemed", "member", m.Name, "role", m.Role)
	return m, token, nil
}

// memberError codes the store's refusals of member and invitation changes
// for the person who asked; other errors pass as they are.
func memberError(err error, name string) error {
	switch {
	case errors.Is(err, store.ErrInviteInvalid):
		return apperr.InviteInvalid(err)
	case errors.Is(err, store.ErrNameTaken):
		return apperr.NameTaken(strings.TrimSpace(name), err)
	case errors.Is(err, store.ErrNameRequired):
		return apperr.InvalidInput("name", err)
	case errors.Is(err, store.ErrLastAdmin):
		return apperr.NotAllowed("last-admin", err)
	case errors.Is(err, store.ErrNotFound):
		return apperr.NotFound("member", err)
	}
	return err
}

// NewInvite is an invitation just made: its code and link, shown once.
type NewInvite struct {
	Invite store.Invite
	Code   string
	Link   string
}

// CreateInvite makes an invitation for role (and a fixed name, when not
// empty) by createdBy, valid for hours (0: 72; at most 30 days). base is
// the server's public address; the link is base/join?code=…, which the Join
// screen takes in place of address and code ("" base: no link).
func (w *Workspace) CreateInvite(ctx context.Context, role team.Role, name, createdBy string, hours int, base string) (NewInvite, error) {
	if _, err := team.ParseRole(string(role)); err != nil {
		return NewInvite{}, apperr.InvalidInput("role", err)
	}
	ttl := time.Duration(hours) * time.Hour
	if hours < 0 || ttl > store.MaxInviteTTL {
		return NewInvite{}, apperr.InvalidInput("hours", fmt.Errorf("an invitation lasts from 1 hour to %d days, not %d hours", int(store.MaxInviteTTL/(24*time.Hour)), hours))
	}
	inv, code, err := w.Store.CreateInvite(ctx, store.Role(role), name, createdBy, ttl)
	if err != nil {
		return NewInvite{}, memberError(err, name)
	}
	w.Log.Info("invitation created", "id", inv.ID, "role", inv.Role, "by", createdBy, "expires", inv.ExpiresAt)
	return NewInvite{Invite: inv, Code: code, Link: InviteLink(base, code)}, nil
}

// SettingPublicURL is the setting where the team server records the address
// it was last started at (its --public-url, else its listening address), so
// `server invite add` can print a link without being told the address.
const SettingPublicURL = "team.public_url"

// InviteLink is the link that carries the server's address and a code.
func InviteLink(base, code string) string {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		return ""
	}
	return base + "/join?code=" + url.QueryEscape(code)
}

// RevokeInvite ends an open invitation.
func (w *Workspace) RevokeInvite(ctx context.Context, id int64) error {
	if err := w.Store.RevokeInvite(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("invitation", err)
		}
		return err
	}
	return nil
}

// ChangeMember sets the role and disabled state of the member called name,
// keeping the team at least one enabled admin (not-allowed, rule last-admin).
func (w *Workspace) ChangeMember(ctx context.Context, name string, change func(*store.Member)) (store.Member, error) {
	m, err := w.Store.ChangeMember(ctx, name, change)
	if err != nil {
		return store.Member{}, memberError(err, name)
	}
	w.Log.Info("member changed", "member", m.Name, "role", m.Role, "disabled", m.Disabled)
	return m, nil
}
