package main

import (
	"context"
	"errors"
	"os"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/webbridge"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// Every bound method needs the open workspace (or a part startup makes after
// it opens) and the app's lifetime context, and must hand the UI the reason
// when there is none yet. These helpers do that once, so a service method is
// only its own work.
//
// Every error they return is encoded (apperr.Encode): Wails hands the page
// only an error's text, and the encoded text carries a stable code, its
// parameters and Go's own words, so the UI says it in the user's language and
// keeps the technical text for details. Errors without a specific code go out
// as "internal" with their text as the detail, which the UI shows as it is.

// call runs fn on the open workspace.
func call[T any](a *App, fn func(ctx context.Context, ws *workspace.Workspace) (T, error)) (T, error) {
	return callOn(a, a.workspace, fn)
}

// do is call for methods whose only result is an error.
func do(a *App, fn func(ctx context.Context, ws *workspace.Workspace) error) error {
	return doOn(a, a.workspace, fn)
}

// callOn runs fn on what get returns: the workspace or a part of the app.
func callOn[P, T any](a *App, get func() (P, error), fn func(ctx context.Context, p P) (T, error)) (T, error) {
	p, err := get()
	if err != nil {
		var zero T
		return zero, apperr.Encode(err)
	}
	v, err := fn(a.context(), p)
	return v, apperr.Encode(err)
}

// doOn is callOn for methods whose only result is an error.
func doOn[P any](a *App, get func() (P, error), fn func(ctx context.Context, p P) error) error {
	_, err := callOn(a, get, func(ctx context.Context, p P) (struct{}, error) { return struct{}{}, fn(ctx, p) })
	return err
}

// started returns a part of the app that startup makes after the workspace
// opens (*part, read under the lock), or why it is not there: the
// workspace's own error first, since that is what the user can act on.
func started[P any](a *App, part **P, what string) (*P, error) {
	if _, err := a.workspace(); err != nil {
		return nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if *part == nil {
		return nil, apperr.Starting(what, errors.New(what+" is starting"))
	}
	return *part, nil
}

// teamMember is the member a team server call comes from.
type teamMember struct {
	name string
	role team.Role
	page string // the calling page's id (webbridge.PageHeader), "" without one
}

// as is who a service acts for: nil me is the person at this desktop (the
// single-person app, where that person may do everything); on the team
// server each request's services act for its member.
type as struct{ me *teamMember }

// toPage is ctx addressed to the calling page, for the events only it needs
// (pageLocalEvent): on the team server they then reach that page alone.
func (a as) toPage(ctx context.Context) context.Context {
	if a.me == nil || a.me.page == "" {
		return ctx
	}
	return webbridge.WithPage(ctx, a.me.page)
}

// actor is the person or member making the call, as the reply workflow
// names them: members whose role may approve are approvers there.
func (a as) actor() drafts.Actor {
	if a.me == nil {
		return actor()
	}
	role := drafts.RoleAgent
	if team.Allows(a.me.role, team.ActApprove) {
		role = drafts.RoleApprover
	}
	return drafts.Actor{Name: a.me.name, Role: role}
}

// actions lists what the caller may do (team.Actions in their order): every
// action for the person at a single-person desktop, the role's for a member.
func (a as) actions() []string {
	out := []string{}
	for _, act := range team.Actions() {
		if a.me == nil || team.Allows(a.me.role, act) {
			out = append(out, string(act))
		}
	}
	return out
}

// agentName is the name "Mine", notes and assignments use.
func (a as) agentName() string {
	if a.me == nil {
		return workspace.AgentName()
	}
	return a.me.name
}

// actor is the person using the app; STORMDESK_ROLE=approver grants approval rights.
func actor() drafts.Actor {
	role := drafts.RoleAgent
	if os.Getenv("STORMDESK_ROLE") == string(drafts.RoleApprover) {
		role = drafts.RoleApprover
	}
	return drafts.Actor{Name: workspace.AgentName(), Role: role}
}
