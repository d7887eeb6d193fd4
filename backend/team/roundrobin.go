package team

import "sort"

// Candidate is a member as round-robin assignment sees them.
type Candidate struct {
	Name     string
	Role     Role
	Disabled bool
	Online   bool
	Open     int // conversations assigned to them and not closed
}

// NextAssignee picks who gets the next new conversation: the first member
// after last in name order (wrapping around) who may work conversations, is
// enabled, online, and below cap open conversations (cap 0: no cap). Taking
// turns by name rather than by who has least keeps the order predictable for
// the team and needs no history beyond last; the cap evens out the rest. ok
// is false when nobody can take it; the conversation then waits unassigned.
func NextAssignee(members []Candidate, last string, cap int) (name string, ok bool) {
	eligible := make([]Candidate, 0, len(members))
	for _, m := range members {
		if m.Disabled || !m.Online || !Allows(m.Role, ActWork) || (cap > 0 && m.Open >= cap) {
			continue
		}
		eligible = append(eligible, m)
	}
	if len(eligible) == 0 {
		return "", false
	}
	sort.Slice(eligible, func(i, j int) bool { return eligible[i].Name < eligible[j].Name })
	for _, m := range eligible {
		if m.Name > last {
			return m.Name, true
		}
	}
	return eligible[0].Name, true
}
