package main

import (
	"context"
	"errors"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// MemberInfo is one member as the Members screen lists them.
type MemberInfo struct {
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	Disabled    bool       `json:"disabled"`
	PasswordSet bool       `json:"passwordSet"`
	LastSeen    *time.Time `json:"lastSeen" ts_type:"string | null"`
	Me          bool       `json:"me"` // the member asking
}

// InviteInfo is one invitation, never its code.
type InviteInfo struct {
	ID        int64      `json:"id"`
	Role      string     `json:"role"`
	Name      string     `json:"name"` // "" when the new member chooses
	CreatedBy string     `json:"createdBy"`
	CreatedAt time.Time  `json:"createdAt" ts_type:"string"`
	ExpiresAt time.Time  `json:"expiresAt" ts_type:"string"`
	UsedBy    string     `json:"usedBy"`
	UsedAt    *time.Time `json:"usedAt" ts_type:"string | null"`
	State     string     `json:"state"` // open, used, revoked, expired
}

// InviteCode is an invitation just made: the code and the link are shown
// this once (only the code's hash is stored).
type InviteCode struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Link      string    `json:"link"` // "" when the server does not know its public address
	ExpiresAt time.Time `json:"expiresAt" ts_type:"string"`
}

// TeamService manages the team's members and invitations from the page (an
// admin's Members screen). On the team server each call acts as its member
// and permissions.go rules on it; the single-person desktop has no team.
type TeamService struct {
	app *App
	as
}

// errTeamOnly is the single-person desktop's answer to member management.
func errTeamOnly() error {
	return apperr.NotAllowed("team-only", errors.New("members and invitations exist only on a team server"))
}

// inTeam runs fn for a member of the team, refusing the single-person desktop.
func inTeam[T any](s *TeamService, fn func(ctx context.Context, ws *workspace.Workspace) (T, error)) (T, error) {
	if s.me == nil {
		var zero T
		return zero, apperr.Encode(errTeamOnly())
	}
	return call(s.app, fn)
}

// changeTeam is inTeam for a change: the Members screens of every instance
// hear of it.
func changeTeam[T any](s *TeamService, fn func(ctx context.Context, ws *workspace.Workspace) (T, error)) (T, error) {
	return inTeam(s, func(ctx context.Context, ws *workspace.Workspace) (T, error) {
		v, err := fn(ctx, ws)
		if err == nil {
			s.app.emitMembersChanged(ctx)
		}
		return v, err
	})
}

// Members lists the team's members (the single-person desktop: none).
func (s *TeamService) Members() ([]MemberInfo, error) {
	if s.me == nil {
		return []MemberInfo{}, nil
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]MemberInfo, error) {
		list, err := ws.Store.MemberSummaries(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]MemberInfo, 0, len(list))
		for _, m := range list {
			out = append(out, MemberInfo{Name: m.Name, Role: string(m.Role), Disabled: m.Disabled,
				PasswordSet: m.PasswordSet, LastSeen: m.LastSeen, Me: m.Name == s.me.name})
		}
		return out, nil
	})
}

// Invite makes an invitation for role; name, when not empty, is the name the
// new member will have; hours is how long it lasts (0: 72; at most 720).
func (s *TeamService) Invite(role, name string, hours int) (InviteCode, error) {
	return changeTeam(s, func(ctx context.Context, ws *workspace.Workspace) (InviteCode, error) {
		inv, err := ws.CreateInvite(ctx, team.Role(role), name, s.me.name, hours, s.app.inviteBase())
		if err != nil {
			return InviteCode{}, err
		}
		return InviteCode{ID: inv.Invite.ID, Code: inv.Code, Link: inv.Link, ExpiresAt: inv.Invite.ExpiresAt}, nil
	})
}

// Invites lists every invitation, newest first.
func (s *TeamService) Invites() ([]InviteInfo, error) {
	return inTeam(s, func(ctx context.Context, ws *workspace.Workspace) ([]InviteInfo, error) {
		list, err := ws.Store.Invites(ctx)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		out := make([]InviteInfo, 0, len(list))
		for _, i := range list {
			out = append(out, InviteInfo{ID: i.ID, Role: string(i.Role), Name: i.Name, CreatedBy: i.CreatedBy,
				CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt, UsedBy: i.UsedBy, UsedAt: i.UsedAt, State: i.State(now)})
		}
		return out, nil
	})
}

// RevokeInvite ends an open invitation.
func (s *TeamService) RevokeInvite(id int64) error {
	_, err := changeTeam(s, func(ctx context.Context, ws *workspace.Workspace) (struct{}, error) {
		return struct{}{}, ws.RevokeInvite(ctx, id)
	})
	return err
}

// SetRole gives the member called name another role, from their next call;
// the team's last enabled admin keeps theirs.
func (s *TeamService) SetRole(name, role string) error {
	_, err := changeTeam(s, func(ctx context.Context, ws *workspace.Workspace) (struct{}, error) {
		r, err := team.ParseRole(role)
		if err != nil {
			return struct{}{}, apperr.InvalidInput("role", err)
		}
		_, err = ws.ChangeMember(ctx, name, func(m *store.Member) { m.Role = store.Role(r) })
		return struct{}{}, err
	})
	return err
}

// SetDisabled disables or enables the member called name: a disabled
// member's calls are refused at once and their open pages disconnected.
func (s *TeamService) SetDisabled(name string, disabled bool) error {
	_, err := changeTeam(s, func(ctx context.Context, ws *workspace.Workspace) (struct{}, error) {
		_, err := ws.ChangeMember(ctx, name, func(m *store.Member) { m.Disabled = disabled })
		return struct{}{}, err
	})
	return err
}

// inviteBase is the server's public address for invitation links.
func (a *App) inviteBase() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.publicURL
}
