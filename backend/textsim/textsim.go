// Package textsim holds the set similarity the crisis detector's
// near-duplicate grouping (backend/crisis) and listening's cross-source
// dedupe (backend/listening) share: texts read as sorted sets of hashed words
// or word pairs. It imports nothing of the project, so both can use it.
package textsim

// Intersect counts the elements two sorted, duplicate-free sets share.
func Intersect(a, b []uint64) int {
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return inter
}

// Jaccard is the Jaccard similarity of two sorted, duplicate-free sets:
// shared elements over all elements; 0 when both are empty.
func Jaccard(a, b []uint64) float64 {
	inter := Intersect(a, b)
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
