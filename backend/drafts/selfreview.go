package drafts

import (
	"strings"
	"time"
)

// Mode is how a workspace approves replies.
type Mode string

// Approval modes. Until teams exist every workspace is ModeSingle: its one
// person approves what would need a second person (crisis replies) or an
// approver (suspected injection) by a self-review against the transparency
// checklist. In ModeTeam those rules stand: a second person with the approver
// role must approve, and a self-review is refused.
const (
	ModeSingle Mode = "single"
	ModeTeam   Mode = "team"
)

// Items of the self-review checklist: the transparency rules a crisis reply
// is read against before it goes out. The window words them in the user's
// language; the audit keeps these codes.
const (
	CheckFactsFromKB  = "facts-from-kb"          // states facts only from the knowledge base
	CheckNoPromises   = "no-unapproved-promises" // no compensation, dates or amounts that were not approved
	CheckKnownUnknown = "known-and-unknown"      // says what is known and what is not yet
	CheckNextUpdate   = "next-update"            // says when the next update comes
	CheckNoBlame      = "no-blame"               // blames no one: not the customer, staff or a partner
)

// SelfReviewed starts the line a self-review's audit comment gets, followed
// by the checklist items confirmed.
const SelfReviewed = "self-review checklist: "

// SelfReviewChecklist lists the checklist items in the order they are shown.
// A self-review must confirm every one.
func SelfReviewChecklist() []string {
	return []string{CheckFactsFromKB, CheckNoPromises, CheckKnownUnknown, CheckNextUpdate, CheckNoBlame}
}

// MissingChecks lists the checklist items not in ticked, in checklist order.
func MissingChecks(ticked []string) []string {
	have := make(map[string]bool, len(ticked))
	for _, c := range ticked {
		have[strings.TrimSpace(c)] = true
	}
	var missing []string
	for _, c := range SelfReviewChecklist() {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	return missing
}

// Allowed lists the steps actor may take on r now in a workspace of mode:
// exactly those Apply accepts, because it asks Apply (with the inputs a
// person would give: a comment, the whole checklist), so the window never
// offers a button the workflow would refuse.
func Allowed(r Reply, actor Actor, mode Mode) []Action {
	// The steps a person can ask for; the outbox's sent and fail are not theirs.
	person := [...]Action{ActionEdit, ActionSubmit, ActionWithdraw, ActionApprove, ActionSelfReview, ActionReject, ActionQueue, ActionRetry, ActionDiscard}
	out := []Action{}
	for _, a := range person {
		if a == ActionEdit && r.IsTemplate() {
			continue // the template is what goes out (RuleTemplateFixed)
		}
		probe := r
		if a == ActionSubmit && strings.TrimSpace(probe.Text) == "" {
			// The editor may still fill an empty draft before submitting;
			// submit saves the text first.
			probe.Text = "…"
		}
		s := Step{Action: a, Text: r.Text, Comment: "-", Mode: mode, Checklist: SelfReviewChecklist()}
		if _, _, err := Apply(probe, actor, s, time.Time{}); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// WithAllowed returns r with Allowed filled for actor in mode.
func WithAllowed(r Reply, actor Actor, mode Mode) Reply {
	r.Allowed = Allowed(r, actor, mode)
	return r
}

// Policy is how approval works in a workspace, as Settings explains it to
// the person using the app.
type Policy struct {
	Mode      Mode     `json:"mode"`
	Me        Actor    `json:"me"`
	Checklist []string `json:"checklist"` // the self-review items (ModeSingle)
}
