package main

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// AppInfo describes the running app.
type AppInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	DBPath  string `json:"dbPath"`
	Me      string `json:"me"`
	Role    string `json:"role"` // "agent" or "approver"
	Demo    bool   `json:"demo"`
	// Team is true when the call came to the team server from a member.
	Team bool `json:"team"`
	// Actions are the backend/team actions the caller may perform, so the
	// page offers only what the server will allow; the single-person app may do all.
	Actions []string `json:"actions"`
	// Loops are the background loops (crisis detection, SLA sweep, outbox,
	// …) that failed since the start, with when each restarts; empty while
	// all run as started. The page tells the user that, say, crisis
	// detection is down, instead of it stopping unnoticed.
	Loops []workspace.LoopHealth `json:"loops"`
}

// AppService answers questions about the app itself.
type AppService struct {
	app *App
	as
}

// Info returns version, database path, the current agent and the background
// loops that failed (the page asks again now and then). The first call
// also marks the frontend as ready in the log (the end-to-end test waits for it).
func (s *AppService) Info() (AppInfo, error) {
	s.app.ready.Do(func() { s.app.log.Info("frontend ready") })
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (AppInfo, error) {
		s.app.mu.RLock()
		demo := s.app.seeded
		s.app.mu.RUnlock()
		if !demo {
			var err error
			if demo, err = ws.DemoPresent(ctx); err != nil {
				return AppInfo{}, err
			}
		}
		b := s.app.build
		return AppInfo{Version: b.Version, Commit: b.Commit, Date: b.Date, DBPath: redactDSN(ws.DBPath), Me: s.agentName(), Role: string(s.actor().Role), Demo: demo,
			Team: s.me != nil, Actions: s.actions(), Loops: ws.LoopHealth()}, nil
	})
}

// LoadDemo stores the demo data set in an empty workspace (one of the ways in
// an empty database offers) and answers whether it did: a workspace with any
// account is left alone.
func (s *AppService) LoadDemo() (bool, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (bool, error) {
		return s.app.seedDemo(ctx, ws)
	})
}

// Notification is a desktop notification the frontend asks for.
type Notification struct {
	Tag    string `json:"tag"` // what it is about; a repeat replaces the earlier one
	Title  string `json:"title"`
	Body   string `json:"body"`
	Urgent bool   `json:"urgent"`
}

// Notify shows a desktop notification through the system's notification
// service. It answers false, without an error, when the desktop has none: the
// frontend then tries the web Notifications API.
func (s *AppService) Notify(n Notification) (bool, error) {
	var show func(context.Context, notify.Notification) error
	switch {
	case s.app.toast != nil:
		show = s.app.toast
	case s.app.notifier != nil:
		show = s.app.notifier.Notify
	default:
		return false, nil // headless: no desktop here; the page notifies itself
	}
	err := show(s.app.context(), notify.Notification{Tag: n.Tag, Title: n.Title, Body: n.Body, Urgent: n.Urgent})
	if errors.Is(err, notify.ErrUnavailable) {
		s.app.log.Debug("desktop notification not shown", "err", err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// wailsToast returns a notifier through the Wails runtime of the window whose
// context ctx() gives. Its set-up (Windows registers the app for toasts) runs
// once, on the first notification.
func wailsToast(ctx func() context.Context) func(context.Context, notify.Notification) error {
	var once sync.Once
	var initErr error
	return func(_ context.Context, n notify.Notification) error {
		wctx := ctx()
		once.Do(func() { initErr = wruntime.InitializeNotifications(wctx) })
		if initErr != nil {
			return fmt.Errorf("notify %q: %w: %v", n.Tag, notify.ErrUnavailable, initErr)
		}
		if !wruntime.IsNotificationAvailable(wctx) {
			return fmt.Errorf("notify %q: %w", n.Tag, notify.ErrUnavailable)
		}
		title, body := n.Title, n.Body
		if goruntime.GOOS == "windows" {
			// The runtime's toast may run its text through PowerShell (notify.ToastText).
			title, body = notify.ToastText(title), notify.ToastText(body)
		}
		if err := wruntime.SendNotification(wctx, wruntime.NotificationOptions{ID: n.Tag, Title: title, Body: body}); err != nil {
			return fmt.Errorf("notify %q: %w", n.Tag, err)
		}
		return nil
	}
}
