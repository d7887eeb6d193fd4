package main

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// PresenceService tells the team who has which conversation open and who is
// typing a reply (docs/team.md, "Presence"), and holds the round-robin
// assignment settings. The single-person app has nobody to tell: its calls
// record nothing and Online answers only the person at the desktop.
type PresenceService struct {
	app *App
	as
}

// Viewer is a member with a conversation open; ConversationViewers is who
// has one conversation open (0: the members online), the payload of
// "presence:changed".
type (
	Viewer              = store.Viewer
	ConversationViewers = store.ConversationViewers
)

// AssignmentSettings is how the team server hands out new conversations.
type AssignmentSettings = workspace.AssignmentSettings

// Heartbeat says this member has conversationID open (0: only the app), and
// whether they are typing a reply in it. Pages send one every 10 s and at
// once when typing starts or stops. It answers who has the conversation open
// now, so the page shows them without waiting for an event.
func (s *PresenceService) Heartbeat(conversationID int64, typing bool) ([]Viewer, error) {
	if !s.app.team {
		return []Viewer{}, nil
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]Viewer, error) {
		changed, err := ws.Store.Heartbeat(ctx, s.agentName(), conversationID, typing)
		if err != nil {
			return nil, err
		}
		now, err := s.app.emitPresence(ctx, ws, changed)
		if err != nil {
			return nil, err
		}
		for _, p := range now {
			if p.ConversationID == conversationID {
				return p.Viewers, nil
			}
		}
		p, err := ws.Presence(ctx, conversationID)
		if err != nil {
			return nil, err
		}
		return p[0].Viewers, nil
	})
}

// Leave says this member closed conversationID (0: the app).
func (s *PresenceService) Leave(conversationID int64) error {
	if !s.app.team {
		return nil
	}
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		changed, err := ws.Store.LeavePresence(ctx, s.agentName(), conversationID)
		if err != nil {
			return err
		}
		_, err = s.app.emitPresence(ctx, ws, changed)
		return err
	})
}

// Online answers the names of the members whose app is open.
func (s *PresenceService) Online() ([]string, error) {
	if !s.app.team {
		return []string{s.agentName()}, nil
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]string, error) {
		return ws.Store.OnlineMembers(ctx)
	})
}

// Viewing answers every conversation someone has open (and 0 with the
// members online), for the list's markers when a page starts; events keep it
// current afterwards.
func (s *PresenceService) Viewing() ([]ConversationViewers, error) {
	if !s.app.team {
		return []ConversationViewers{}, nil
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]ConversationViewers, error) {
		return ws.Presence(ctx)
	})
}

// Assignment answers the round-robin assignment settings.
func (s *PresenceService) Assignment() (AssignmentSettings, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (AssignmentSettings, error) {
		return ws.Assignment(ctx)
	})
}

// SaveAssignment stores the round-robin assignment settings; they take
// effect on the team server only (docs/team.md, "Round-robin assignment").
func (s *PresenceService) SaveAssignment(a AssignmentSettings) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveAssignment(ctx, a)
	})
}

// emitPresence announces the viewers of each changed conversation and
// answers what it announced.
func (a *App) emitPresence(ctx context.Context, ws *workspace.Workspace, changed []int64) ([]ConversationViewers, error) {
	if len(changed) == 0 {
		return nil, nil
	}
	now, err := ws.Presence(ctx, changed...)
	if err != nil {
		return nil, err
	}
	for _, p := range now {
		a.emitPresenceChanged(ctx, p)
	}
	return now, nil
}
