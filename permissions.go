package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// methodActions is what each bound method does, for the team server's role
// rules (backend/team). Every bound method is listed (a test checks it
// against the bridge); one missing is refused to every member, so a method
// added without a ruling is closed, not open. ComposeService.Step is ruled
// by its step's action (stepActions).
var methodActions = map[string]team.Action{
	"AccountsService.Channels":   team.ActRead,
	"AccountsService.List":       team.ActRead,
	"AccountsService.Remove":     team.ActAccounts,
	"AccountsService.Save":       team.ActAccounts,
	"AccountsService.SetEnabled": team.ActAccounts,
	"AccountsService.SyncNow":    team.ActWork,
	"AccountsService.Test":       team.ActAccounts,
	"AccountsService.TestInput":  team.ActAccounts,

	"AnalyticsService.Engagement": team.ActRead,
	"AnalyticsService.ExportCSV":  team.ActRead,
	"AnalyticsService.Overview":   team.ActRead,
	"AnalyticsService.SaveCSV":    team.ActRead,
	"AnalyticsService.Span":       team.ActRead,

	"AppService.EventTypes": team.ActRead,
	"AppService.Info":       team.ActRead,
	"AppService.LoadDemo":   team.ActPolicies,
	"AppService.Notify":     team.ActRead,

	"AuthorsService.Moderate": team.ActModerate,
	"AuthorsService.Profile":  team.ActRead,
	"AuthorsService.SetNotes": team.ActWork,
	"AuthorsService.SetVIP":   team.ActWork,

	"ListeningService.CheckQuery":         team.ActRead,
	"ListeningService.CorrectTonality":    team.ActWork,
	"ListeningService.DeleteForwardRule":  team.ActPolicies,
	"ListeningService.DeleteSource":       team.ActAccounts,
	"ListeningService.DeleteTopic":        team.ActPolicies,
	"ListeningService.ForwardConfig":      team.ActRead,
	"ListeningService.ForwardRules":       team.ActRead,
	"ListeningService.Mentions":           team.ActRead,
	"ListeningService.Preview":            team.ActRead,
	"ListeningService.SaveForwardConfig":  team.ActAccounts,
	"ListeningService.SaveForwardRule":    team.ActPolicies,
	"ListeningService.SaveSource":         team.ActAccounts,
	"ListeningService.SaveTopic":          team.ActPolicies,
	"ListeningService.Sources":            team.ActRead,
	"ListeningService.TestForwardRule":    team.ActPolicies,
	"ListeningService.Topics":             team.ActRead,
	"ListeningService.ToConversation":     team.ActWork,
	"ListeningService.Kinds":              team.ActRead,
	"ListeningService.Analytics":          team.ActRead,
	"ListeningService.ExportAnalyticsCSV": team.ActRead,
	"ListeningService.SaveAnalyticsCSV":   team.ActRead,

	"ClassifyService.RunNow":       team.ActPolicies,
	"ClassifyService.SaveSettings": team.ActPolicies,
	"ClassifyService.Status":       team.ActRead,

	"ComposeService.ApprovalPolicy": team.ActRead,
	"ComposeService.ApprovalQueue":  team.ActRead,
	"ComposeService.Audit":          team.ActRead,
	"ComposeService.Cancel":         team.ActWork,
	"ComposeService.Draft":          team.ActWork,
	"ComposeService.DraftForGroup":  team.ActWork,
	"ComposeService.DraftTemplate":  team.ActWork,
	"ComposeService.Me":             team.ActRead,
	"ComposeService.Replies":        team.ActRead,
	"ComposeService.SendCheck":      team.ActRead,
	"ComposeService.Templates":      team.ActRead,

	"CrisisService.Alerts":              team.ActRead,
	"CrisisService.BurstGroups":         team.ActRead,
	"CrisisService.Groups":              team.ActRead,
	"CrisisService.InCrisis":            team.ActRead,
	"CrisisService.SampleConversations": team.ActRead,
	"CrisisService.Series":              team.ActRead,
	"CrisisService.SetCrisisMode":       team.ActCrisisMode,
	"CrisisService.States":              team.ActRead,
	"CrisisService.Timeline":            team.ActRead,

	"ImportService.Import":   team.ActPolicies,
	"ImportService.PickFile": team.ActPolicies,

	"InboxService.Accounts":         team.ActRead,
	"InboxService.AddNote":          team.ActWork,
	"InboxService.AddTag":           team.ActWork,
	"InboxService.Assign":           team.ActWork,
	"InboxService.Assignees":        team.ActRead,
	"InboxService.Mentions":         team.ActRead,
	"InboxService.MarkMentionsRead": team.ActRead,
	"InboxService.Conversations":    team.ActRead,
	"InboxService.CorrectSentiment": team.ActWork,
	"InboxService.DeleteNote":       team.ActWork,
	"InboxService.DeleteView":       team.ActWork,
	"InboxService.Moderate":         team.ActModerate,
	"InboxService.RemoveTag":        team.ActWork,
	"InboxService.RenameView":       team.ActWork,
	"InboxService.SaveAttachment":   team.ActRead,
	"InboxService.SaveView":         team.ActWork,
	"InboxService.SavedViews":       team.ActRead,
	"InboxService.Search":           team.ActRead,
	"InboxService.SetStatus":        team.ActWork,
	"InboxService.Stats":            team.ActRead,
	"InboxService.Tags":             team.ActRead,
	"InboxService.Thread":           team.ActRead,
	"InboxService.Triage":           team.ActWork,
	"InboxService.Undo":             team.ActWork,

	"ModelSettingsService.LLM":              team.ActRead,
	"ModelSettingsService.RetrainSentiment": team.ActPolicies,
	"ModelSettingsService.SaveLLM":          team.ActPolicies,
	"ModelSettingsService.TestLLM":          team.ActPolicies,

	"ModelSettingsService.SentimentModel":       team.ActRead,
	"ModelSettingsService.ImportSentimentModel": team.ActPolicies,
	"ModelSettingsService.ResetSentimentModel":  team.ActPolicies,

	"ReplyLibraryService.Brands":       team.ActRead,
	"ReplyLibraryService.Canned":       team.ActRead,
	"ReplyLibraryService.DeleteCanned": team.ActWork,
	"ReplyLibraryService.DeleteKB":     team.ActPolicies,
	"ReplyLibraryService.KB":           team.ActRead,
	"ReplyLibraryService.SaveBrand":    team.ActPolicies,
	"ReplyLibraryService.SaveCanned":   team.ActWork,
	"ReplyLibraryService.SaveKB":       team.ActPolicies,

	"SLAService.Policies":     team.ActRead,
	"SLAService.SavePolicies": team.ActPolicies,

	"TeamService.Invite":             team.ActMembers,
	"TeamService.Invites":            team.ActMembers,
	"TeamService.Members":            team.ActRead,
	"TeamService.RevokeInvite":       team.ActMembers,
	"TeamService.SetDisabled":        team.ActMembers,
	"TeamService.SetRole":            team.ActMembers,
	"PresenceService.Assignment":     team.ActRead,
	"PresenceService.Heartbeat":      team.ActRead,
	"PresenceService.Leave":          team.ActRead,
	"PresenceService.Online":         team.ActRead,
	"PresenceService.SaveAssignment": team.ActPolicies,
	"PresenceService.Viewing":        team.ActRead,
}

// stepActions rules a compose step by what it does: drafting and handing a
// reply in is work; deciding on it is approving; letting it out (or giving
// up on sending it) is sending.
var stepActions = map[drafts.Action]team.Action{
	drafts.ActionEdit:       team.ActWork,
	drafts.ActionSubmit:     team.ActWork,
	drafts.ActionWithdraw:   team.ActWork,
	drafts.ActionApprove:    team.ActApprove,
	drafts.ActionReject:     team.ActApprove,
	drafts.ActionSelfReview: team.ActApprove,
	drafts.ActionQueue:      team.ActSend,
	drafts.ActionRetry:      team.ActSend,
	drafts.ActionDiscard:    team.ActSend,
}

// callAction is the action a call performs; ok false for a call no rule
// names (refused).
func callAction(c webbridge.Call) (team.Action, bool) {
	if c.Service == "ComposeService" && c.Method == "Step" {
		if len(c.Args) != 1 {
			return "", false
		}
		step, ok := c.Args[0].(ComposeStep)
		if !ok {
			return "", false
		}
		a, ok := stepActions[drafts.Action(step.Action)]
		return a, ok
	}
	a, ok := methodActions[c.Service+"."+c.Method]
	return a, ok
}

// permit is the team server's ruling on a member's call, before it runs:
// the member's role must allow the call's action, and approving a crisis
// reply needs someone other than its author. The reply workflow checks its
// own rules again when the step runs (drafts.Apply); this is the server's
// refusal whatever a client sends.
func (a *App) permit(ctx context.Context, m webbridge.Member, c webbridge.Call) error {
	role, err := team.ParseRole(m.Role)
	if err != nil {
		return apperr.Encode(apperr.RoleRequired(m.Role, "", "", fmt.Errorf("member %s: %w", m.Name, err)))
	}
	act, ok := callAction(c)
	if !ok {
		return apperr.Encode(apperr.RoleRequired(string(role), c.Service+"."+c.Method, "",
			fmt.Errorf("%s.%s: no permission rule names this call: %w", c.Service, c.Method, team.ErrForbidden)))
	}
	if err := team.Check(m.Name, role, act); err != nil {
		return apperr.Encode(err)
	}
	if act == team.ActApprove {
		step := c.Args[0].(ComposeStep) // only Step maps to ActApprove
		ws, err := a.workspace()
		if err != nil {
			return apperr.Encode(err)
		}
		r, err := ws.Store.ReplyByID(ctx, step.ReplyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the step itself reports the missing reply
		}
		if err != nil {
			return apperr.Encode(err)
		}
		if step.Action != string(drafts.ActionReject) {
			if err := team.CheckSecondPerson(m.Name, r.Author, r.Approval.TwoPerson); err != nil {
				return apperr.Encode(err)
			}
		}
	}
	return nil
}

// servicesFor is the services acting as m calling from page, for the team bridge.
func (a *App) servicesFor(m webbridge.Member, page string) []any {
	return a.servicesAs(&teamMember{name: m.Name, role: team.Role(m.Role), page: page})
}
