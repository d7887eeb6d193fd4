package crisis

import (
	"math"
	"sort"
)

// poissonUpperTail returns P(X >= k) for X ~ Poisson(lambda).
//
// The tail is summed directly from k upwards in log space, which stays exact
// for the tiny probabilities the detector cares about (a 1 - CDF form loses
// them to rounding). For k <= lambda the tail is at least about one half and
// no test here could fire, so 1 is returned instead of summing a long series.
func poissonUpperTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(k) <= lambda {
		return 1
	}
	lg, _ := math.Lgamma(float64(k) + 1)
	logTerm := -lambda + float64(k)*math.Log(lambda) - lg
	term := math.Exp(logTerm)
	sum := term
	for j := k + 1; j < k+10000; j++ {
		term *= lambda / float64(j)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return math.Min(sum, 1)
}

// alertThreshold is the smallest count that fires the test for a window whose
// expected count is lambda: the Poisson tail below maxP, at least minCount and
// at least minRatio times lambda. It is computed once per bin so Observe only
// compares integers.
func alertThreshold(lambda, maxP float64, minCount int, minRatio float64) int {
	k := minCount
	if r := int(math.Ceil(minRatio * lambda)); r > k {
		k = r
	}
	if lambda <= 0 {
		return k
	}
	if m := int(math.Floor(lambda)) + 1; m > k {
		k = m
	}
	for poissonUpperTail(k, lambda) >= maxP {
		k++
	}
	return k
}

// median returns the median of xs, reordering xs; 0 for an empty slice.
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	sort.Float64s(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
