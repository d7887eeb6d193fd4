package moderation

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func block(id int64, h, hours int) Entry {
	u := at(h + hours)
	return Entry{ID: id, Kind: KindBlock, At: at(h), Until: &u, Reason: "spam"}
}

func TestStandingAt(t *testing.T) {
	warn := func(id int64, h int) Entry { return Entry{ID: id, Kind: KindWarning, At: at(h)} }
	tests := []struct {
		name   string
		record []Entry
		now    time.Time
		want   Standing
	}{
		{"empty", nil, at(0), Standing{State: StateNone}},
		{"two warnings", []Entry{warn(1, 0), warn(2, 1)}, at(2), Standing{State: StateWarned, Warnings: 2}},
		{"block running", []Entry{warn(1, 0), block(2, 1, 24)}, at(10),
			Standing{State: StateBlocked, Warnings: 1, Blocks: 1, Until: ptr(at(25))}},
		{"block ends by time", []Entry{warn(1, 0), block(2, 1, 24)}, at(25),
			Standing{State: StateWarned, Warnings: 1, Blocks: 1}},
		{"ban outlasts everything", []Entry{block(1, 0, 1), {ID: 2, Kind: KindBan, At: at(1)}}, at(1000),
			Standing{State: StateBanned, Blocks: 1}},
		{"lift clears", []Entry{warn(1, 0), block(2, 1, 24), {ID: 3, Kind: KindLift, At: at(2)}}, at(3),
			Standing{State: StateNone}},
		{"after a lift the ladder restarts", []Entry{{ID: 2, Kind: KindBan, At: at(1)}, {ID: 3, Kind: KindLift, At: at(2)}, warn(4, 3)}, at(4),
			Standing{State: StateWarned, Warnings: 1}},
		{"order of the slice does not matter", []Entry{{ID: 3, Kind: KindLift, At: at(2)}, warn(4, 3), {ID: 2, Kind: KindBan, At: at(1)}}, at(4),
			Standing{State: StateWarned, Warnings: 1}},
		{"same instant ordered by id", []Entry{{ID: 9, Kind: KindLift, At: at(1)}, {ID: 8, Kind: KindBan, At: at(1)}}, at(2),
			Standing{State: StateNone}},
		{"future entries ignored", []Entry{warn(1, 0), {ID: 2, Kind: KindBan, At: at(5)}}, at(1),
			Standing{State: StateWarned, Warnings: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StandingAt(tt.record, tt.now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("StandingAt = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func ptr(t time.Time) *time.Time { return &t }

func TestLadderNext(t *testing.T) {
	l := DefaultLadder()
	tests := []struct {
		st   Standing
		want Step
	}{
		{Standing{State: StateNone}, Step{Kind: KindWarning}},
		{Standing{State: StateWarned, Warnings: 1}, Step{Kind: KindWarning}},
		{Standing{State: StateWarned, Warnings: 2}, Step{Kind: KindBlock, Hours: 24}},
		{Standing{State: StateBlocked, Warnings: 2, Blocks: 1}, Step{Kind: KindBlock, Hours: 168}},
		// An ended block still escalates: no warnings again in between.
		{Standing{State: StateWarned, Warnings: 2, Blocks: 1}, Step{Kind: KindBlock, Hours: 168}},
		{Standing{State: StateWarned, Warnings: 2, Blocks: 2}, Step{Kind: KindBan}},
		{Standing{State: StateBanned, Blocks: 2}, Step{Kind: KindLift}},
	}
	for _, tt := range tests {
		if got := l.Next(tt.st); got != tt.want {
			t.Errorf("Next(%+v) = %+v, want %+v", tt.st, got, tt.want)
		}
	}
	strict := Ladder{WarningsBeforeBlock: 0, Blocks: nil}
	if got := strict.Next(Standing{State: StateNone}); got.Kind != KindBan {
		t.Errorf("a ladder without warnings or blocks suggests %+v, want a ban", got)
	}
}

// TestLadderWalk follows the suggestions from a clean record to a ban and back,
// with the clock moving past each block.
func TestLadderWalk(t *testing.T) {
	l := DefaultLadder()
	var record []Entry
	now := t0
	var kinds []Kind
	for i := 0; i < 6; i++ {
		st := StandingAt(record, now)
		step := l.Next(st)
		kinds = append(kinds, step.Kind)
		e := Entry{ID: int64(i + 1), Kind: step.Kind, At: now}
		if step.Kind == KindBlock {
			u := now.Add(time.Duration(step.Hours) * time.Hour)
			e.Until = &u
		}
		record = append(record, e)
		now = now.Add(8 * 24 * time.Hour)
	}
	want := []Kind{KindWarning, KindWarning, KindBlock, KindBlock, KindBan, KindLift}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("walk = %v, want %v", kinds, want)
	}
	if st := StandingAt(record, now); st.State != StateNone {
		t.Errorf("after the lift: %+v", st)
	}
}

func TestCheck(t *testing.T) {
	plain := Subject{Reach: 50}
	clean := Standing{State: StateNone}
	tests := []struct {
		name    string
		req     Request
		subj    Subject
		st      Standing
		invalid bool
		reasons []string
	}{
		{"warning without reason", Request{Kind: KindWarning}, plain, clean, false, nil},
		{"unknown kind", Request{Kind: "mute", Reason: "x"}, plain, clean, true, nil},
		{"block without duration", Request{Kind: KindBlock, Reason: "spam"}, plain, clean, true, nil},
		{"block with negative duration", Request{Kind: KindBlock, Reason: "spam", Duration: -time.Hour}, plain, clean, true, nil},
		{"block too long", Request{Kind: KindBlock, Reason: "spam", Duration: 400 * 24 * time.Hour}, plain, clean, true, nil},
		{"block without reason", Request{Kind: KindBlock, Reason: "  ", Duration: time.Hour}, plain, clean, true, nil},
		{"ban without reason", Request{Kind: KindBan}, plain, clean, true, nil},
		{"ban when banned", Request{Kind: KindBan, Reason: "x"}, plain, Standing{State: StateBanned}, true, nil},
		{"warning when banned", Request{Kind: KindWarning}, plain, Standing{State: StateBanned}, true, nil},
		{"lift with nothing to lift", Request{Kind: KindLift}, plain, clean, true, nil},
		{"lift a warning", Request{Kind: KindLift}, plain, Standing{State: StateWarned, Warnings: 1}, false, nil},
		{"reason too long", Request{Kind: KindWarning, Reason: string(make([]rune, MaxReasonLen+1))}, plain, clean, true, nil},
		{"plain block", Request{Kind: KindBlock, Reason: "spam", Duration: 24 * time.Hour}, plain, clean, false, nil},
		{"ban a VIP", Request{Kind: KindBan, Reason: "abuse"}, Subject{VIP: true}, clean, false, []string{ReasonVIP}},
		{"block an influencer", Request{Kind: KindBlock, Reason: "abuse", Duration: time.Hour}, Subject{Reach: 10_000}, clean, false, []string{ReasonInfluencer}},
		{"ban a critic who is all three", Request{Kind: KindBan, Reason: "abuse"}, Subject{VIP: true, Reach: 2e6, NegativeShare: 0.8}, clean, false,
			[]string{ReasonVIP, ReasonInfluencer, ReasonNegative}},
		{"warning a VIP is not critical", Request{Kind: KindWarning}, Subject{VIP: true, Reach: 2e6, NegativeShare: 1}, clean, false, nil},
		{"just below the influencer line", Request{Kind: KindBan, Reason: "abuse"}, Subject{Reach: 9_999, NegativeShare: 0.49}, clean, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Check(tt.req, tt.subj, tt.st)
			if tt.invalid {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.reasons
			if want == nil {
				want = []string{}
			}
			if !reflect.DeepEqual(w.Reasons, want) || w.Critical != (len(want) > 0) {
				t.Errorf("warning = %+v, want reasons %v", w, want)
			}
		})
	}
}
