package team

import "testing"

func TestNextAssignee(t *testing.T) {
	ann := Candidate{Name: "Ann", Role: RoleAgent, Online: true}
	bob := Candidate{Name: "Bob", Role: RoleApprover, Online: true}
	cyd := Candidate{Name: "Cyd", Role: RoleAdmin, Online: true}
	with := func(c Candidate, f func(*Candidate)) Candidate { f(&c); return c }
	offline := func(c *Candidate) { c.Online = false }
	disabled := func(c *Candidate) { c.Disabled = true }
	busy := func(n int) func(*Candidate) { return func(c *Candidate) { c.Open = n } }

	tests := []struct {
		name    string
		members []Candidate
		last    string
		cap     int
		want    string // "" : nobody
	}{
		{"first turn goes to the first by name", []Candidate{cyd, ann, bob}, "", 0, "Ann"},
		{"the next after the last one", []Candidate{ann, bob, cyd}, "Ann", 0, "Bob"},
		{"wraps around", []Candidate{ann, bob, cyd}, "Cyd", 0, "Ann"},
		{"a last one who left is passed over by name", []Candidate{ann, cyd}, "Bob", 0, "Cyd"},
		{"offline members are skipped", []Candidate{ann, with(bob, offline), cyd}, "Ann", 0, "Cyd"},
		{"disabled members are skipped", []Candidate{ann, with(bob, disabled), cyd}, "Ann", 0, "Cyd"},
		{"members at their cap are skipped", []Candidate{ann, with(bob, busy(3)), cyd}, "Ann", 3, "Cyd"},
		{"below the cap still takes turns", []Candidate{ann, with(bob, busy(2)), cyd}, "Ann", 3, "Bob"},
		{"no cap: any load", []Candidate{ann, with(bob, busy(500)), cyd}, "Ann", 0, "Bob"},
		{"the only one left gets it again", []Candidate{ann, with(bob, offline)}, "Ann", 0, "Ann"},
		{"everyone at the cap: nobody", []Candidate{with(ann, busy(1)), with(bob, busy(4))}, "", 1, ""},
		{"nobody online: nobody", []Candidate{with(ann, offline), with(bob, offline)}, "", 0, ""},
		{"an unknown role works nothing", []Candidate{{Name: "Eve", Role: "guest", Online: true}}, "", 0, ""},
		{"no members", nil, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextAssignee(tt.members, tt.last, tt.cap)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("NextAssignee = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
