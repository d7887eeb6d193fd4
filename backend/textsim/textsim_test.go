package textsim

import "testing"

func TestJaccard(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a, b  []uint64
		inter int
		want  float64
	}{
		{"both empty", nil, nil, 0, 0},
		{"one empty", []uint64{1, 2}, nil, 0, 0},
		{"equal", []uint64{1, 5, 9}, []uint64{1, 5, 9}, 3, 1},
		{"disjoint", []uint64{1, 3}, []uint64{2, 4}, 0, 0},
		{"three of five", []uint64{1, 2, 3, 4}, []uint64{2, 3, 4, 7}, 3, 0.6},
		{"contained", []uint64{2, 3}, []uint64{1, 2, 3, 4}, 2, 0.5},
		{"large values", []uint64{1, 1 << 63}, []uint64{1 << 63, ^uint64(0)}, 1, 1.0 / 3},
	} {
		if got := Intersect(tc.a, tc.b); got != tc.inter {
			t.Errorf("%s: Intersect = %d, want %d", tc.name, got, tc.inter)
		}
		if got := Jaccard(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Jaccard = %v, want %v", tc.name, got, tc.want)
		}
		if Jaccard(tc.a, tc.b) != Jaccard(tc.b, tc.a) {
			t.Errorf("%s: not symmetric", tc.name)
		}
	}
}
