package crisis

import (
	"math"
	"time"
)

// oracle is the benchmark's yardstick: a Poisson CUSUM per brand on
// 15-minute bins, tuned for a tripling of the rate, that is told the true
// background (the clean series' own negatives, smoothed over ± 2 hours, past
// and future). No detector can know that; its delay is what a good one can
// approach.
type oracle struct {
	from  time.Time
	bin   time.Duration
	clean map[string][]float64 // negatives per bin of the clean series
	lam   map[string][]float64 // the background it is told
}

// oracleSmooth is the ± half-width of the background's smoothing, in bins (2 h).
const oracleSmooth = 8

// oracleRatio is the rate change the CUSUM is tuned for.
const oracleRatio = 3.0

func newOracle(by map[string]*brandSeries, from, to time.Time, bin time.Duration) *oracle {
	o := &oracle{from: from.Truncate(bin), bin: bin, clean: map[string][]float64{}, lam: map[string][]float64{}}
	n := int(to.Sub(o.from)/bin) + 1
	for name, b := range by {
		c := make([]float64, n)
		for _, e := range b.negatives {
			c[o.index(e.At)]++
		}
		lam := make([]float64, n)
		for i := range c {
			sum, m := 0.0, 0
			for j := max(i-oracleSmooth, 0); j <= min(i+oracleSmooth, n-1); j++ {
				sum += c[j]
				m++
			}
			lam[i] = sum / float64(m)
		}
		o.clean[name], o.lam[name] = c, lam
	}
	return o
}

func (o *oracle) index(t time.Time) int { return int(t.Sub(o.from) / o.bin) }

// run returns the end times of the bins where the CUSUM of counts against
// the brand's background crossed h (it restarts from zero after each).
func (o *oracle) run(brand string, counts []float64, h float64) []time.Time {
	lam := o.lam[brand]
	lr := math.Log(oracleRatio)
	var out []time.Time
	s := 0.0
	for i, x := range counts {
		s = math.Max(0, s+x*lr-(oracleRatio-1)*lam[i])
		if s >= h {
			out = append(out, o.from.Add(time.Duration(i+1)*o.bin))
			s = 0
		}
	}
	return out
}

// alarms runs the oracle on a brand's clean series with a burst added.
func (o *oracle) alarms(brand string, burst []Event, h float64) []time.Time {
	c := append([]float64(nil), o.clean[brand]...)
	for _, e := range burst {
		if i := o.index(e.At); i >= 0 && i < len(c) {
			c[i]++
		}
	}
	return o.run(brand, c, h)
}

func (o *oracle) cleanAlarms(h float64) int {
	n := 0
	for brand, c := range o.clean {
		n += len(o.run(brand, c, h))
	}
	return n
}

// calibrate returns the smallest threshold (to 0.01) at which the oracle
// raises no more than target alarms on the clean series.
func (o *oracle) calibrate(target int) float64 {
	lo, hi := 0.0, 1.0
	for o.cleanAlarms(hi) > target {
		hi *= 2
	}
	for hi-lo > 0.01 {
		m := (lo + hi) / 2
		if o.cleanAlarms(m) > target {
			lo = m
		} else {
			hi = m
		}
	}
	return hi
}
