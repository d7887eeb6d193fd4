package listening

import (
	"testing"
	"time"
)

func TestWatermark(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var w Watermark
	if w.Covers(t0, "a") {
		t.Fatal("an empty mark covers an item")
	}
	w.Add(t0, "a")
	w.Add(t0.Add(-time.Hour), "old") // older items do not move it back
	w.Add(t0, "b")
	w.Add(t0, "a")
	c := w.Clone()
	w.Add(t0.Add(time.Second), "c")
	for _, tc := range []struct {
		w    Watermark
		at   time.Time
		id   string
		want bool
	}{
		{c, t0, "a", true},
		{c, t0, "b", true},
		{c, t0, "new-in-the-same-second", false},
		{c, t0.Add(-time.Second), "older", true},
		{c, t0.Add(time.Second), "c", false},
		{w, t0, "b", true},
		{w, t0.Add(time.Second), "c", true},
	} {
		if got := tc.w.Covers(tc.at, tc.id); got != tc.want {
			t.Errorf("%+v covers (%v, %s) = %v, want %v", tc.w, tc.at, tc.id, got, tc.want)
		}
	}
	if len(c.IDs) != 2 {
		t.Errorf("the clone changed with the original: %v", c.IDs)
	}
}
