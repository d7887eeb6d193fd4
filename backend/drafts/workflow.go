package drafts

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// State is where a reply is in the approval workflow.
type State string

// Reply states: draft -> submitted -> approved | rejected; approved -> queued
// -> sent | failed; failed -> queued (retry) | discarded. Only the outbox moves queued replies on.
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateApproved  State = "approved"
	StateRejected  State = "rejected"
	StateQueued    State = "queued"
	StateSent      State = "sent"
	StateFailed    State = "failed"
	// StateDiscarded: a person gave up on a failed reply; it is never sent
	// and no longer marks its conversation as failed to send.
	StateDiscarded State = "discarded"
)

// Role is what a person may do.
type Role string

// Roles. RoleSystem is the outbox: it reports delivery and can do nothing else.
const (
	RoleAgent    Role = "agent"
	RoleApprover Role = "approver"
	RoleSystem   Role = "system"
)

// Actor is who performs a transition.
type Actor struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// Action is a workflow step.
type Action string

// Actions.
const (
	ActionCreate   Action = "create"
	ActionEdit     Action = "edit"
	ActionSubmit   Action = "submit"
	ActionWithdraw Action = "withdraw" // the author takes a submitted reply back to edit it
	ActionApprove  Action = "approve"
	ActionReject   Action = "reject"
	ActionQueue    Action = "queue"
	ActionSent     Action = "sent"
	ActionFail     Action = "fail"
	ActionRetry    Action = "retry" // a person puts a failed reply back in the outbox
	// ActionDiscard: a person gives up on a failed reply (StateDiscarded).
	ActionDiscard Action = "discard"
	// ActionSelfReview approves a reply that needs a second person or an
	// approver in a single-person workspace: the person's own second look,
	// against the transparency checklist (selfreview.go).
	ActionSelfReview Action = "self-review"
)

// Approval says who must approve a reply.
type Approval struct {
	NeedsApprover bool     `json:"needsApprover"` // only RoleApprover may approve or reject
	TwoPerson     bool     `json:"twoPerson"`     // the approver must not be the author
	Reasons       []string `json:"reasons"`       // Reason* codes; replies stored before them hold English text
}

// Why a reply needs an approver: stable codes the UI words in the user's
// language (approval.reason.<code>); ReasonText is the English for errors and logs.
const (
	ReasonCrisis            = "crisis"
	ReasonInjection         = "injection"
	ReasonSettingsInjection = "settings-injection"
)

var reasonText = map[string]string{
	ReasonCrisis:            "crisis mode: a second person with the approver role must approve",
	ReasonInjection:         "the thread contains a suspected prompt injection",
	ReasonSettingsInjection: "a brand setting or knowledge-base entry reads like instructions to the model",
}

// ReasonText is the English wording of a reason code; text that is not a
// code (a reason stored before codes) is returned as it is.
func ReasonText(reason string) string {
	if t, ok := reasonText[reason]; ok {
		return t
	}
	return reason
}

// RequiresApproval decides who must approve a reply. Every reply needs a
// person's approval; outside a crisis the author may approve their own.
// In a conversation affected by crisis mode an approver other than the
// author must approve. A thread with suspected prompt injection needs an
// approver (who may be the author if they hold that role).
func RequiresApproval(crisis bool, injection []Finding) Approval {
	var a Approval
	if crisis {
		a.NeedsApprover, a.TwoPerson = true, true
		a.Reasons = append(a.Reasons, ReasonCrisis)
	}
	if len(injection) > 0 {
		a.NeedsApprover = true
		a.Reasons = append(a.Reasons, ReasonInjection)
	}
	return a
}

// Reply is a reply moving through the workflow. The app persists it; every
// change goes through Apply, which returns the audit entry to store with it.
type Reply struct {
	ID             string    `json:"id"`
	ConversationID int64     `json:"conversationId"`
	State          State     `json:"state"`
	Author         string    `json:"author"`
	DraftText      string    `json:"draftText"` // the text as drafted (LLM, template or canned)
	Text           string    `json:"text"`      // the current text; what is sent once approved
	Lang           string    `json:"lang"`
	Source         string    `json:"source"`
	AIAssisted     bool      `json:"aiAssisted"`
	Citations      []string  `json:"citations"`
	Problems       []string  `json:"problems"`
	Injection      []Finding `json:"injection"`
	Approval       Approval  `json:"approval"`
	Approver       string    `json:"approver"`
	Comment        string    `json:"comment"`    // the last rejection comment
	FailReason     string    `json:"failReason"` // why the outbox gave up
	ExternalID     string    `json:"externalId"` // the platform's id once sent
	// IdempotencyKey is fixed when the reply is first queued and reused on
	// every retry, so connectors can recognise a repeat (see docs/drafting.md).
	IdempotencyKey string `json:"idempotencyKey"`
	// Template is set (Name not "") when the reply is a platform message
	// template: the outbox sends it instead of Text, and Text is its filled
	// body for the people approving it. It is fixed when the reply is made.
	Template  ReplyTemplate `json:"template"`
	UpdatedAt time.Time     `json:"updatedAt" ts_type:"string"`
	// Allowed is what the person reading the reply may do with it now
	// (Allowed); computed when the reply is handed to the window, never stored.
	Allowed []Action `json:"allowed"`
}

// ReplyTemplate is a message template reply: the template's name and
// language, the values of its {{n}} variables in order, its URL buttons'
// values and a media header's link.
type ReplyTemplate struct {
	Name     string                    `json:"name"`
	Language string                    `json:"language"`
	Header   []string                  `json:"header"`
	Body     []string                  `json:"body"`
	Buttons  []channels.TemplateButton `json:"buttons"`
	Media    channels.TemplateMedia    `json:"media"`
}

// IsTemplate reports whether the reply is a message template.
func (r Reply) IsTemplate() bool { return r.Template.Name != "" }

// RuleTemplateFixed refuses editing a template reply's text: what is sent
// is the template with its values, so the text could only mislead.
const RuleTemplateFixed = "template-fixed"

// AuditEntry records one workflow step.
type AuditEntry struct {
	ReplyID string    `json:"replyId"`
	Who     string    `json:"who"`
	Role    Role      `json:"role"`
	When    time.Time `json:"when" ts_type:"string"`
	Action  Action    `json:"action"`
	From    State     `json:"from"`
	To      State     `json:"to"`
	Comment string    `json:"comment"`
	// Diff is a word diff: for edits, previous -> new text; for queue and
	// sent, the drafted text -> the final text.
	Diff string `json:"diff"`
}

// Step is one requested transition with its inputs.
type Step struct {
	Action     Action
	Text       string // ActionEdit: the new text
	Comment    string // ActionReject: required; others: optional note
	Reason     string // ActionFail: required
	ExternalID string // ActionSent
	// Mode is the workspace's approval mode; the zero value is treated as
	// ModeTeam, the strict rule, so a step that does not say refuses a self-review.
	Mode Mode
	// Checklist is what ActionSelfReview confirms: the SelfReviewChecklist
	// items the person ticked. Every item must be there.
	Checklist []string
	// Supersede says the person knows the conversation was answered after
	// this reply was drafted and wants it approved or sent all the same; without
	// it the store refuses those steps (store.ErrSuperseded).
	Supersede bool
}

// Supersedable reports whether a step lets a reply out towards the customer
// (approving or queueing it), the steps refused when another answer went out
// after the reply was drafted unless the step says Supersede.
func (s Step) Supersedable() bool {
	return s.Action == ActionApprove || s.Action == ActionSelfReview || s.Action == ActionQueue
}

// ApprovedWithWarnings starts the line an approval's audit comment gets when
// the reply still had problem markers, followed by the markers.
const ApprovedWithWarnings = "approved with open warnings: "

// Workflow errors, for errors.Is.
var (
	ErrInvalidTransition = errors.New("invalid transition")
	ErrNotAllowed        = errors.New("not allowed")
)

// Rules that refuse an approval, named so the window can explain them in the
// user's language instead of showing the English reason.
const (
	RuleNeedsApprover = "needs-approver"
	RuleSecondPerson  = "second-person"
	RuleChecklist     = "self-review-checklist" // a self-review without every checklist item ticked
)

// StepError is a refused step that names the rule refusing it; it wraps the
// error Apply would return anyway, so errors.Is still finds ErrNotAllowed.
type StepError struct {
	Rule string
	Err  error
}

func (e *StepError) Error() string { return e.Err.Error() }

func (e *StepError) Unwrap() error { return e.Err }

// withWarnings adds the problem markers an approval was given over to its
// audit comment: the audit keeps what the approver was warned about, as
// stable codes, beside whatever they wrote themselves.
func withWarnings(comment string, problems []string) string {
	if len(problems) == 0 {
		return comment
	}
	return strings.TrimSpace(comment + "\n" + ApprovedWithWarnings + strings.Join(problems, "; "))
}

// NewReply starts the workflow for a draft; the reply is in StateDraft.
func NewReply(id string, conversationID int64, d Draft, author Actor, crisis bool, now time.Time) (Reply, AuditEntry, error) {
	if author.Name == "" || author.Role == RoleSystem || author.Role == "" {
		return Reply{}, AuditEntry{}, fmt.Errorf("create reply: author must be a person: %w", ErrNotAllowed)
	}
	r := Reply{
		ID: id, ConversationID: conversationID, State: StateDraft, Author: author.Name,
		DraftText: d.Text, Text: d.Text, Lang: d.Lang, Source: d.Source, AIAssisted: d.AIAssisted,
		Citations: d.Citations, Problems: d.Problems, Injection: d.Injection,
		Approval: RequiresApproval(crisis, d.Injection), UpdatedAt: now,
		Template: ReplyTemplate{Header: []string{}, Body: []string{}, Buttons: []channels.TemplateButton{}},
	}
	for _, p := range d.Problems {
		if strings.HasPrefix(p, ProblemSettingsInjection+":") {
			// Instructions in a brand field or KB entry reached the model
			// (as data, but still): someone with the approver role must read the reply.
			r.Approval.NeedsApprover = true
			r.Approval.Reasons = append(r.Approval.Reasons, ReasonSettingsInjection)
			break
		}
	}
	return r, AuditEntry{ReplyID: id, Who: author.Name, Role: author.Role, When: now, Action: ActionCreate, To: StateDraft}, nil
}

// Apply performs step on r by actor. It returns the new reply and its audit
// entry, or an error wrapping ErrInvalidTransition or ErrNotAllowed and r
// unchanged.
func Apply(r Reply, actor Actor, s Step, now time.Time) (Reply, AuditEntry, error) {
	fail := func(kind error, why string) (Reply, AuditEntry, error) {
		return r, AuditEntry{}, fmt.Errorf("%s reply %s (%s) as %s %q: %s: %w", s.Action, r.ID, r.State, actor.Role, actor.Name, why, kind)
	}
	refuse := func(rule, why string) (Reply, AuditEntry, error) {
		r, e, err := fail(ErrNotAllowed, why)
		return r, e, &StepError{Rule: rule, Err: err}
	}
	human := actor.Role == RoleAgent || actor.Role == RoleApprover
	if actor.Name == "" || (!human && actor.Role != RoleSystem) {
		return fail(ErrNotAllowed, "unknown actor")
	}
	from := r.State
	next := r
	entry := AuditEntry{ReplyID: r.ID, Who: actor.Name, Role: actor.Role, When: now, Action: s.Action, From: from, Comment: strings.TrimSpace(s.Comment)}
	in := func(states ...State) bool {
		for _, st := range states {
			if from == st {
				return true
			}
		}
		return false
	}
	switch s.Action {
	case ActionEdit:
		if !in(StateDraft, StateRejected) {
			return fail(ErrInvalidTransition, "only drafts and rejected replies can be edited")
		}
		if !human {
			return fail(ErrNotAllowed, "only people edit replies")
		}
		if r.IsTemplate() && s.Text != r.Text {
			return refuse(RuleTemplateFixed, "a template reply's text is the template filled in; draft another template reply instead")
		}
		entry.Diff = Diff(r.Text, s.Text)
		next.Text, next.State = s.Text, StateDraft
	case ActionSubmit:
		if !in(StateDraft, StateRejected) {
			return fail(ErrInvalidTransition, "only drafts and rejected replies can be submitted")
		}
		if !human {
			return fail(ErrNotAllowed, "only people submit replies")
		}
		if strings.TrimSpace(r.Text) == "" {
			return fail(ErrInvalidTransition, "the reply is empty")
		}
		next.State = StateSubmitted
	case ActionWithdraw:
		if !in(StateSubmitted) {
			return fail(ErrInvalidTransition, "only submitted replies can be withdrawn")
		}
		if actor.Name != r.Author {
			return fail(ErrNotAllowed, "only the author can withdraw")
		}
		next.State = StateDraft
	case ActionApprove, ActionReject:
		if !in(StateSubmitted) {
			return fail(ErrInvalidTransition, "only submitted replies can be approved or rejected")
		}
		if !human {
			return fail(ErrNotAllowed, "only people approve")
		}
		if r.Approval.NeedsApprover && actor.Role != RoleApprover {
			reasons := make([]string, len(r.Approval.Reasons))
			for i, reason := range r.Approval.Reasons {
				reasons[i] = ReasonText(reason)
			}
			return refuse(RuleNeedsApprover, "this reply needs an approver ("+strings.Join(reasons, "; ")+")")
		}
		if r.Approval.TwoPerson && actor.Name == r.Author && s.Action == ActionApprove {
			return refuse(RuleSecondPerson, "crisis mode needs a second person: the author cannot approve their own reply")
		}
		if s.Action == ActionReject {
			if entry.Comment == "" {
				return fail(ErrInvalidTransition, "a rejection needs a comment")
			}
			next.State, next.Comment = StateRejected, entry.Comment
		} else {
			next.State, next.Approver = StateApproved, actor.Name
			entry.Comment = withWarnings(entry.Comment, r.Problems)
		}
	case ActionSelfReview:
		if !in(StateSubmitted) {
			return fail(ErrInvalidTransition, "only submitted replies can be approved")
		}
		if !human {
			return fail(ErrNotAllowed, "only people approve")
		}
		if s.Mode != ModeSingle {
			return refuse(RuleSecondPerson, "a team workspace needs a second person to approve: a self-review is for a single-person workspace")
		}
		if !r.Approval.NeedsApprover && !r.Approval.TwoPerson {
			// Nothing asks for a second look: a plain approval is the step.
			return fail(ErrInvalidTransition, "this reply needs no self-review: approve it")
		}
		if missing := MissingChecks(s.Checklist); len(missing) > 0 {
			return refuse(RuleChecklist, "the self-review checklist is incomplete: "+strings.Join(missing, ", "))
		}
		next.State, next.Approver = StateApproved, actor.Name
		entry.Comment = withWarnings(strings.TrimSpace(entry.Comment+"\n"+SelfReviewed+strings.Join(SelfReviewChecklist(), ", ")), r.Problems)
	case ActionQueue:
		if !in(StateApproved) {
			return fail(ErrInvalidTransition, "only approved replies can be queued for sending")
		}
		if !human {
			return fail(ErrNotAllowed, "only people queue replies")
		}
		next.State = StateQueued
		if next.IdempotencyKey == "" {
			next.IdempotencyKey = "stormdesk-reply-" + r.ID
		}
		entry.Diff = Diff(r.DraftText, r.Text)
	case ActionSent:
		if !in(StateQueued) {
			return fail(ErrInvalidTransition, "only queued replies can be marked sent")
		}
		if actor.Role != RoleSystem {
			return fail(ErrNotAllowed, "only the outbox marks replies sent")
		}
		next.State, next.ExternalID, next.FailReason = StateSent, s.ExternalID, ""
		entry.Diff = Diff(r.DraftText, r.Text)
	case ActionFail:
		if !in(StateQueued) {
			return fail(ErrInvalidTransition, "only queued replies can fail")
		}
		if actor.Role != RoleSystem {
			return fail(ErrNotAllowed, "only the outbox marks replies failed")
		}
		if strings.TrimSpace(s.Reason) == "" {
			return fail(ErrInvalidTransition, "a failure needs a reason")
		}
		next.State, next.FailReason = StateFailed, s.Reason
		entry.Comment = s.Reason
	case ActionRetry:
		if !in(StateFailed) {
			return fail(ErrInvalidTransition, "only failed replies can be retried")
		}
		if !human {
			return fail(ErrNotAllowed, "only people retry failed replies")
		}
		next.State = StateQueued
	case ActionDiscard:
		if !in(StateFailed) {
			return fail(ErrInvalidTransition, "only failed replies can be discarded")
		}
		if !human {
			return fail(ErrNotAllowed, "only people discard failed replies")
		}
		next.State = StateDiscarded
	default:
		return fail(ErrInvalidTransition, "unknown action")
	}
	next.UpdatedAt = now
	entry.To = next.State
	return next, entry, nil
}
