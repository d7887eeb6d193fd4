package team

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// Role is a member's role. Each role may do what the one before it may, and more.
type Role string

// Roles, weakest first.
const (
	RoleAgent    Role = "agent"    // reads, drafts, submits, works conversations
	RoleApprover Role = "approver" // also approves and sends; required for crisis replies
	RoleAdmin    Role = "admin"    // also manages members, channel accounts and policies
)

// Roles lists the roles, weakest first.
func Roles() []Role { return []Role{RoleAgent, RoleApprover, RoleAdmin} }

// ParseRole checks a role's name.
func ParseRole(s string) (Role, error) {
	if r := Role(s); slices.Contains(Roles(), r) {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: want agent, approver or admin", s)
}

func (r Role) rank() int { return slices.Index(Roles(), r) }

// Action is what a bound call does, as far as permissions go.
type Action string

// Actions. Every bound method maps to exactly one (root permissions.go); a
// compose step maps by its own action.
const (
	// ActRead: lists, threads, search, reports, settings as shown (without secrets).
	ActRead Action = "read"
	// ActWork: working conversations: status, assignment, tags, notes, views,
	// drafting, editing, submitting and withdrawing replies, canned replies.
	ActWork Action = "work"
	// ActApprove: approving or rejecting a submitted reply.
	ActApprove Action = "approve"
	// ActSend: putting an approved reply in the outbox, retrying or
	// discarding a failed one.
	ActSend Action = "send"
	// ActModerate: hiding, deleting or blocking on the platform, in public.
	ActModerate Action = "moderate"
	// ActCrisisMode: opening or ending crisis mode for a brand.
	ActCrisisMode Action = "crisis-mode"
	// ActAccounts: adding, changing, testing, disabling or removing channel accounts.
	ActAccounts Action = "accounts"
	// ActPolicies: SLA policies, model and classification settings, brand
	// profiles and the knowledge base, imports and the demo data.
	ActPolicies Action = "policies"
	// ActMembers: adding, disabling and changing members and their tokens.
	ActMembers Action = "members"
)

// minRole is the weakest role allowed each action.
var minRole = map[Action]Role{
	ActRead:       RoleAgent,
	ActWork:       RoleAgent,
	ActApprove:    RoleApprover,
	ActSend:       RoleApprover,
	ActModerate:   RoleApprover,
	ActCrisisMode: RoleApprover,
	ActAccounts:   RoleAdmin,
	ActPolicies:   RoleAdmin,
	ActMembers:    RoleAdmin,
}

// Actions lists every action.
func Actions() []Action {
	return []Action{ActRead, ActWork, ActApprove, ActSend, ActModerate, ActCrisisMode, ActAccounts, ActPolicies, ActMembers}
}

// Needs is the weakest role allowed a; "" for an unknown action.
func Needs(a Action) Role { return minRole[a] }

// Allows reports whether role may perform a. Unknown roles and actions are refused.
func Allows(role Role, a Action) bool {
	need, ok := minRole[a]
	return ok && role.rank() >= 0 && role.rank() >= need.rank()
}

// ErrForbidden is what every refusal here wraps, for errors.Is.
var ErrForbidden = errors.New("forbidden")

// Check returns nil when role may perform a, else a coded refusal naming the
// member's role and the role the action needs (apperr.CodeRoleRequired).
func Check(member string, role Role, a Action) error {
	if Allows(role, a) {
		return nil
	}
	need := Needs(a)
	if need == "" {
		return apperr.RoleRequired(string(role), string(a), "", fmt.Errorf("%s (%s) may not %s: unknown action: %w", member, role, a, ErrForbidden))
	}
	return apperr.RoleRequired(string(role), string(a), string(need),
		fmt.Errorf("%s (%s) may not %s: it needs the %s role: %w", member, role, a, need, ErrForbidden))
}

// CheckSecondPerson refuses an approval of a crisis reply by its own
// author: in crisis mode the approver must be someone else.
func CheckSecondPerson(member, author string, crisis bool) error {
	if crisis && member == author {
		return apperr.NotAllowed("second-person",
			fmt.Errorf("%s may not approve their own crisis reply: crisis mode needs a second person: %w", member, ErrForbidden))
	}
	return nil
}
