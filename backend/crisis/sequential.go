package crisis

import (
	"math"
	"time"
)

// seqState is one key's sequential test: a Poisson CUSUM updated at every
// negative. Its run begins with the first negative after the statistic was
// last zero; the alert then says how many negatives arrived since that
// moment against how many were expected.
type seqState struct {
	s        float64   // the CUSUM statistic (log-likelihood ratio)
	at       time.Time // time the statistic was last brought up to date
	start    time.Time // first negative of the run; zero when s is zero
	n        int       // negatives since start
	expected float64   // expected negatives since start
	ref      float64   // the trend when the run began: a run does not raise its own baseline
	// During a cool-down the expected rate is at least the alerted burst's
	// (hold, negatives per bin): the same burst going on is no news, a
	// burst on top of it is an escalation.
	hold float64
}

// seqRate is the expected negatives per bin the sequential test uses for
// bin slot s during a run whose trend reference is ref.
func (d *Detector) seqRate(ks *keyState, s *binSlot, j int64) float64 {
	q := &ks.seq
	r := math.Max(math.Max(s.seas, math.Min(s.trend, q.ref)), d.cfg.SeqFloor)
	if d.binStart(j).Before(ks.cooldownUntil) {
		r = math.Max(r, q.hold)
	}
	return r
}

// seqDecay brings the statistic up to time t: it falls by (ratio − 1) ×
// the expected negatives since the last update, and at zero the run ends.
func (d *Detector) seqDecay(ks *keyState, t time.Time) {
	q := &ks.seq
	if q.s == 0 || !t.After(q.at) {
		q.at = maxTime(q.at, t)
		return
	}
	exp := 0.0
	binNs := float64(d.cfg.Bin)
	for j := d.binIndex(q.at); j <= ks.cur; j++ {
		s, ok := d.valid(ks, j)
		if !ok {
			// Beyond the history kept: the run is long over.
			exp = math.Inf(1)
			break
		}
		from, to := maxTime(q.at, d.binStart(j)), d.binStart(j+1)
		if t.Before(to) {
			to = t
		}
		if to.After(from) {
			exp += d.seqRate(ks, s, j) * float64(to.Sub(from)) / binNs
		}
	}
	q.at = t
	q.s -= (d.cfg.SeqRatio - 1) * exp
	q.expected += exp
	if q.s <= 0 {
		*q = seqState{at: t, hold: q.hold}
	}
}

// seqAdd counts a negative at t (in the running bin) in the sequential test.
func (d *Detector) seqAdd(ks *keyState, t time.Time) {
	if d.cfg.SeqThreshold < 0 || d.slot(ks, ks.cur).learning {
		return
	}
	d.seqDecay(ks, t)
	q := &ks.seq
	if q.s == 0 {
		q.start, q.ref = t, d.slot(ks, ks.cur).trend
	}
	q.s += math.Log(d.cfg.SeqRatio)
	q.n++
}

// testSeq fires when the run's statistic crosses the threshold.
func (d *Detector) testSeq(ks *keyState) (Alert, bool) {
	q := ks.seq
	if d.cfg.SeqThreshold < 0 || q.s < d.cfg.SeqThreshold || q.n < d.cfg.SeqMinCount {
		return Alert{}, false
	}
	now := ks.lastAt
	escalation := !ks.lastAlert.IsZero() && now.Before(ks.cooldownUntil)
	d.alerted(ks, now, d.burstRate(q.n, q.start, now))
	a := d.explainSpan(ks, q.start, q.n, q.expected, d.seqThreshold(q.expected), now, escalation)
	a.Sequential = true
	return a, true
}

// burstRate is the rate, in negatives per bin, of count negatives from start
// to now: the burst's own pace, which a mere repeat does not exceed. A span
// under a minute counts as a minute, so a few negatives in the same second
// do not set an absurd rate.
func (d *Detector) burstRate(count int, start, now time.Time) float64 {
	bins := float64(max(now.Sub(start), time.Minute)) / float64(d.cfg.Bin)
	return float64(count) / bins
}

// recentPace is the burst's pace, in negatives per bin, just before now:
// the fastest pace of the last k negatives (k at least SeqMinCount) inside
// the last bin. A run may begin with a background negative long before the
// burst, so its average pace understates the burst's; a repeat of the burst
// at its own pace must not read as an escalation.
func (d *Detector) recentPace(ks *keyState, now time.Time) float64 {
	from := now.Add(-d.cfg.Bin)
	best, k := 0.0, 0
	for i := len(ks.ctx) - 1; i >= ks.ctxHead; i-- {
		at := ks.ctx[i].At
		if at.Before(from) {
			break
		}
		if k++; k >= d.cfg.SeqMinCount {
			best = math.Max(best, d.burstRate(k, at, now))
		}
	}
	return best
}

// alerted records an alert of either test at now, whose burst ran at rate
// negatives per bin: the cool-down starts and the sequential test begins a
// new run that expects at least that rate until the cool-down ends.
func (d *Detector) alerted(ks *keyState, now time.Time, rate float64) {
	ks.lastAlert, ks.lastAlertBin = now, ks.cur
	neg := int(d.slot(ks, ks.cur).neg)
	for wi, w := range d.cfg.Windows {
		// Every window's reference is at least the firing rate, so a
		// short window's noise right after the alert is no escalation.
		ks.alertRate[wi] = math.Max(float64(ks.prev[wi]+neg)/float64(w.Bins), rate)
	}
	hold := math.Max(rate, d.recentPace(ks, now))
	if now.Before(ks.cooldownUntil) {
		hold = math.Max(hold, ks.seq.hold)
	}
	ks.cooldownUntil = now.Add(d.cfg.Cooldown)
	ks.seq = seqState{at: now, hold: hold}
}

// seqThreshold is the count since the run began that fires the test, given
// the negatives expected in that time.
func (d *Detector) seqThreshold(expected float64) int {
	k := int(math.Ceil((d.cfg.SeqThreshold + (d.cfg.SeqRatio-1)*expected) / math.Log(d.cfg.SeqRatio)))
	return max(k, d.cfg.SeqMinCount)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
