package listening

import (
	"slices"
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

// TestWatermarkFloorAndMerge: Lower keeps the oldest item (a sweep's floor),
// Reaches is Covers seen from below, and Merge keeps the later mark, joining
// the ids of one second without sharing them with either mark.
func TestWatermarkFloorAndMerge(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var floor Watermark
	floor.Lower(t0, "a")
	floor.Lower(t0.Add(time.Hour), "newer") // newer items do not move it up
	floor.Lower(t0, "b")
	for _, tc := range []struct {
		at   time.Time
		id   string
		want bool
	}{
		{t0, "a", true}, {t0, "b", true}, {t0, "other-of-the-second", false},
		{t0.Add(time.Second), "x", true}, {t0.Add(-time.Second), "x", false},
	} {
		if got := floor.Reaches(tc.at, tc.id); got != tc.want {
			t.Errorf("%+v reaches (%v, %s) = %v, want %v", floor, tc.at, tc.id, got, tc.want)
		}
	}
	floor.Lower(t0.Add(-time.Minute), "older")
	if !floor.At.Equal(t0.Add(-time.Minute)) || len(floor.IDs) != 1 {
		t.Errorf("lowered to %+v", floor)
	}

	a := Watermark{At: t0, IDs: []string{"a"}}
	b := Watermark{At: t0, IDs: []string{"b", "a", ""}}
	later := Watermark{At: t0.Add(time.Second), IDs: []string{"c"}}
	for _, tc := range []struct {
		name string
		x, y Watermark
		want Watermark
	}{
		{"same second joins", a, b, Watermark{At: t0, IDs: []string{"a", "b"}}},
		{"later wins", a, later, later},
		{"later wins either side", later, a, later},
		{"zero", Watermark{}, a, a},
	} {
		got := tc.x.Merge(tc.y)
		if !got.At.Equal(tc.want.At) || !slices.Equal(got.IDs, tc.want.IDs) {
			t.Errorf("%s: %+v merge %+v = %+v, want %+v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
	m := a.Merge(b)
	m.IDs[0] = "changed"
	if a.IDs[0] != "a" {
		t.Error("a merge shares its ids with a mark")
	}
}
