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
	second   time.Time // second negative of the run; zero before it
	last     time.Time // newest negative of the run
	n        int       // negatives since start
	expected float64   // expected negatives since start
	ref      float64   // the trend when the run began: a run does not raise its own baseline
}

// seqRate is the expected negatives per bin the sequential test uses for
// bin slot s during a run whose reference (the level, or the trend, when the
// run began) is ref: the seasonal estimate, or the profile scaled by the
// stream's level if that is higher, or the floor.
func (d *Detector) seqRate(ks *keyState, q *seqState, s *binSlot, j int64) float64 {
	var r float64
	if d.cfg.NoProfile {
		r = math.Max(math.Max(s.seas, math.Min(s.trend, q.ref)), d.cfg.SeqFloor)
	} else {
		r = math.Max(math.Max(s.seas, s.prof*math.Min(s.level, q.ref)), d.cfg.SeqFloor)
	}
	if d.binStart(j).Before(ks.cooldownUntil) {
		r = math.Max(r, ks.seqHold)
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
			exp += d.seqRate(ks, q, s, j) * float64(to.Sub(from)) / binNs
		}
	}
	q.at = t
	q.s -= (d.cfg.SeqRatio - 1) * exp
	q.expected += exp
	if q.s <= 0 {
		*q = seqState{at: t}
	}
}

// seqAdd counts a negative at t (in the running bin) in the sequential test.
func (d *Detector) seqAdd(ks *keyState, t time.Time) {
	cur := d.slot(ks, ks.cur)
	// A negative from before the last alert (out of order in the running
	// bin) was spent on it.
	if d.cfg.SeqThreshold < 0 || cur.learning || t.Before(ks.lastAlert) {
		return
	}
	d.seqDecay(ks, t)
	q := &ks.seq
	if q.s == 0 {
		q.start, q.ref = t, cur.level
		if d.cfg.NoProfile {
			q.ref = cur.trend
		}
	}
	d.seqCount(q, t)
}

// seqCount counts a negative at t in run q, whose statistic is up to date.
func (d *Detector) seqCount(q *seqState, t time.Time) {
	q.s += math.Log(d.cfg.SeqRatio)
	q.n++
	if q.n == 2 {
		q.second = t
	}
	q.last = maxTime(q.last, t)
}

// seqLate counts a negative at t that came after the clock left its bin
// (a sync that delivers messages minutes after they were written), if it
// falls inside the running run (brought up to t first): the statistic is
// then what it would have been had the negative come in time, since a run's
// statistic stays above zero from its start, and one more negative only
// raises it. A late negative before the run began, or with no run, is left
// to the windows' tests: where it would have started a run cannot be known
// without replaying the stream, and a replay (tried) made alerts on late
// storms whose pace took in the stream's later background negatives.
func (d *Detector) seqLate(ks *keyState, t time.Time) {
	if d.cfg.SeqThreshold < 0 || d.slot(ks, ks.cur).learning {
		return
	}
	d.seqDecay(ks, t) // the run may have ended before t
	q := &ks.seq
	if q.s == 0 || t.Before(q.start) {
		return
	}
	d.seqCount(q, t)
	if t.Before(q.second) { // a late negative may come before the run's second
		q.second = t
	}
}

// testSeq fires when the run's statistic crosses the threshold.
func (d *Detector) testSeq(ks *keyState) (Alert, bool) {
	q := ks.seq
	th := d.seqBar(ks)
	if d.cfg.SeqThreshold < 0 || q.s < th || q.n < d.cfg.SeqMinCount {
		return Alert{}, false
	}
	now := ks.lastAt
	escalation := !ks.lastAlert.IsZero() && now.Before(ks.cooldownUntil)
	d.alerted(ks, now, d.runPace(q))
	a := d.explainSpan(ks, q.start, q.n, q.expected, d.seqThreshold(th, q.expected), now, escalation)
	a.Sequential = true
	return a, true
}

// runPace is the pace a run's alert holds through its cool-down: from its
// second negative to its newest. The first is the one that began the run,
// often a background negative minutes before the burst: counted, a burst of
// 90 negatives per bin held 31, and an identical burst two hours later read
// as an escalation (TestCooldownSuppressesRepeats at a lower threshold). The
// newest, not the stream's clock: a run found among late negatives ended
// before the clock, and counted to the clock its pace was diluted.
func (d *Detector) runPace(q seqState) float64 {
	if q.n < 2 {
		return d.burstRate(q.n, q.start, q.last)
	}
	return d.burstRate(q.n-1, q.second, q.last)
}

// burstRate is the rate, in negatives per bin, of count negatives from start
// to now: the burst's own pace, which a mere repeat does not exceed. A span
// under a minute counts as a minute, so a few negatives in the same second
// do not set an absurd rate.
func (d *Detector) burstRate(count int, start, now time.Time) float64 {
	bins := float64(max(now.Sub(start), time.Minute)) / float64(d.cfg.Bin)
	return float64(count) / bins
}

// alerted records an alert of either test at now, whose burst ran at rate
// negatives per bin: the cool-down starts and the sequential test begins a
// new run that expects at least that rate until the cool-down ends. The
// burst's average pace, not its peak: holding the fastest bin or the
// fastest handful of negatives (as before) made a storm's noisy peak the bar,
// so a second burst on top of a storm went unseen for the whole cool-down.
func (d *Detector) alerted(ks *keyState, now time.Time, rate float64) {
	ks.lastAlert, ks.lastAlertBin = now, ks.cur
	neg := int(d.slot(ks, ks.cur).neg)
	for wi, w := range d.cfg.Windows {
		// Every window's reference is at least the firing rate, so a
		// short window's noise right after the alert is no escalation.
		ks.alertRate[wi] = math.Max(float64(ks.prev[wi]+neg)/float64(w.Bins), rate)
	}
	hold := rate
	if now.Before(ks.cooldownUntil) {
		hold = math.Max(hold, ks.seqHold)
	}
	ks.cooldownUntil = now.Add(d.cfg.Cooldown)
	ks.seqHold = hold
	ks.seq = seqState{at: now}
}

// seqBar is the statistic at which key's sequential test fires: the
// threshold, or for a quiet stream (its long-run mean under QuietRate
// negatives per bin) the lower QuietThreshold. One threshold for all spent
// the clean-traffic alert budget on the busy brands' natural storms while a
// small brand's burst (Virgin America: about one negative an hour) needed
// some 13 bins at the burst's pace to reach it.
func (d *Detector) seqBar(ks *keyState) float64 {
	if d.cfg.QuietRate > 0 && ks.meanDen > 0 && ks.meanNum/ks.meanDen < d.cfg.QuietRate {
		return math.Min(d.cfg.SeqThreshold, d.cfg.QuietThreshold)
	}
	return d.cfg.SeqThreshold
}

// seqThreshold is the count since the run began that fires a test with
// statistic bar th, given the negatives expected in that time.
func (d *Detector) seqThreshold(th, expected float64) int {
	k := int(math.Ceil((th + (d.cfg.SeqRatio-1)*expected) / math.Log(d.cfg.SeqRatio)))
	return max(k, d.cfg.SeqMinCount)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// fillProfile sets bin s's profile (its seasonal estimate shrunk towards the
// stream's long-run mean: a median of a few days is noisy, most of all for a
// quiet stream) and the stream's level: its recent negatives against its
// recent profile, both EWMAs, with a prior that pulls the ratio to 1 when
// both are small.
func (d *Detector) fillProfile(ks *keyState, s *binSlot, seas float64) {
	if d.cfg.NoProfile {
		return
	}
	mean := seas
	if ks.meanDen > 0 {
		mean = ks.meanNum / ks.meanDen
	}
	w := d.cfg.ProfileShrink
	s.prof = (1-w)*seas + w*mean
	s.level = (ks.lvObs + d.cfg.LevelPrior) / (ks.lvProf + d.cfg.LevelPrior)
}

// closeLevel feeds closed bin s into the level's and the mean's EWMAs.
func (d *Detector) closeLevel(ks *keyState, s *binSlot) {
	if d.cfg.NoProfile {
		return
	}
	n := float64(s.neg)
	ks.lvObs += d.levelAlpha * (n - ks.lvObs)
	ks.lvProf += d.levelAlpha * (s.prof - ks.lvProf)
	ks.meanNum = ks.meanNum*d.meanDecay + n
	ks.meanDen = ks.meanDen*d.meanDecay + 1
}
