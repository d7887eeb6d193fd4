package store

import "testing"

func TestPutBounded(t *testing.T) {
	full := func(expired int) map[int]int {
		m := map[int]int{}
		for k := range pgSearchRestMax {
			m[k] = 1
			if k < expired {
				m[k] = 0 // 0 stands for an expired entry
			}
		}
		return m
	}
	tests := []struct {
		name    string
		m       map[int]int
		key     int
		wantLen int
		// kept must all still be in the map after the put.
		kept []int
	}{
		{"room left", map[int]int{1: 1}, 2, 2, []int{1}},
		{"full, some expired: only they go", full(10), -1, pgSearchRestMax - 10 + 1, []int{10, 500, pgSearchRestMax - 1}},
		{"full, none expired: one goes", full(0), -1, pgSearchRestMax, nil},
		{"full, the key already kept: none goes", full(10), 5, pgSearchRestMax, []int{0, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			putBounded(tt.m, tt.key, 7, func(v int) bool { return v == 0 })
			if len(tt.m) != tt.wantLen {
				t.Errorf("len = %d, want %d", len(tt.m), tt.wantLen)
			}
			if tt.m[tt.key] != 7 {
				t.Errorf("m[%d] = %d, want the put value 7", tt.key, tt.m[tt.key])
			}
			for _, k := range tt.kept {
				if _, ok := tt.m[k]; !ok {
					t.Errorf("%d was dropped", k)
				}
			}
		})
	}
}
