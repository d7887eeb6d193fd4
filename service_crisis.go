package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// CrisisService serves the crisis dashboard: the detector's visible baselines and its alerts.
type CrisisService struct {
	app *App
	as
}

func (s *CrisisService) monitor() (*workspace.CrisisMonitor, error) {
	return started(s.app, &s.app.monitor, "the crisis monitor")
}

// States returns each brand account and channel's status, observed count and baseline.
func (s *CrisisService) States() ([]crisis.KeyState, error) {
	return callOn(s.app, s.monitor, func(ctx context.Context, m *workspace.CrisisMonitor) ([]crisis.KeyState, error) {
		return m.States(ctx)
	})
}

// Series returns the last 48 hours of one brand account and channel in
// 15-minute bins with the baseline band, for the dashboard's stream chart.
func (s *CrisisService) Series(account string, channel inbox.ChannelKind) ([]crisis.Bin, error) {
	return callOn(s.app, s.monitor, func(ctx context.Context, m *workspace.CrisisMonitor) ([]crisis.Bin, error) {
		return m.Series(ctx, crisis.Key{Account: account, Channel: channel})
	})
}

// Alerts returns the spike alerts, newest first, each with its explanation.
func (s *CrisisService) Alerts() ([]crisis.Alert, error) {
	return callOn(s.app, s.monitor, func(ctx context.Context, m *workspace.CrisisMonitor) ([]crisis.Alert, error) {
		return m.Alerts(ctx)
	})
}

// SetCrisisMode opens (on) or ends crisis mode for a brand account: its open
// conversations switch to the crisis SLA rules from now on.
func (s *CrisisService) SetCrisisMode(accountName string, on bool) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		if err := ws.SetCrisisMode(ctx, accountName, on, s.actor().Name); err != nil {
			return err
		}
		s.app.emitInboxChanged(ctx)
		return nil
	})
}

// Timeline returns the current crisis of an account, oldest first: opening,
// alerts, approved statements, replies, notes and hourly volume since it was
// opened. Empty when the account is not in crisis.
func (s *CrisisService) Timeline(accountName string) ([]workspace.TimelineEntry, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]workspace.TimelineEntry, error) {
		return ws.Timeline(ctx, accountName, time.Now())
	})
}

// BurstGroups groups the negative messages of an alert's burst by
// near-duplicate text, largest first, each with its conversations, so one
// statement can answer a group. The alert is given by its account, window
// start and detection time (RFC 3339, as the alert carries them) and window
// length in milliseconds.
func (s *CrisisService) BurstGroups(account, start, detectedAt string, windowMs int64) ([]workspace.BurstGroup, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]workspace.BurstGroup, error) {
		return ws.AlertBurstGroups(ctx, account, start, detectedAt, windowMs)
	})
}

// SampleConversations maps an alert's samples to their conversations (0 when
// a sample is not stored), so a group of them can get one statement.
func (s *CrisisService) SampleConversations(accountName string, samples []crisis.Sample) ([]int64, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]int64, error) {
		return ws.GroupConversations(ctx, accountName, samples)
	})
}

// InCrisis returns the names of the accounts with crisis mode on.
func (s *CrisisService) InCrisis() ([]string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]string, error) {
		return ws.AccountsInCrisis(ctx)
	})
}

// Groups groups near-duplicate texts (indexes into texts), largest group first.
func (s *CrisisService) Groups(texts []string) [][]int {
	return crisis.GroupNearDuplicates(texts)
}
