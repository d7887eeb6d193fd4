package drafts

import "encoding/json"

// A reply reaches the UI from many paths (drafted, loaded from the store,
// stepped, queued, emitted with an event), and the UI reads every list as
// an array, never null. Marshalling it is the one step all paths share, so
// the empty lists are written there rather than at each constructor.

// MarshalJSON writes the reply with its nil lists as [].
func (r Reply) MarshalJSON() ([]byte, error) {
	type plain Reply // without this method
	p := plain(r)
	p.Citations = orEmpty(p.Citations)
	p.Problems = orEmpty(p.Problems)
	p.Injection = orEmpty(p.Injection)
	p.Allowed = orEmpty(p.Allowed)
	return json.Marshal(p)
}

// MarshalJSON writes the approval with nil reasons as [].
func (a Approval) MarshalJSON() ([]byte, error) {
	type plain Approval
	p := plain(a)
	p.Reasons = orEmpty(p.Reasons)
	return json.Marshal(p)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
