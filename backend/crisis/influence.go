package crisis

import (
	"math"
	"sort"
	"time"
)

// Influence weighting (the "1 % rule"): a negative post by an author with a
// large audience, or one that draws many replies, is read by far more people
// than an ordinary one, so it weighs more. The volume test keeps counting
// messages (its Poisson thresholds are about counts); a separate test on the
// same baseline counts weights instead and alerts when the influential
// authors tip a window that ordinary posts of the same count would not.
// See docs/crisis.md, "Influence".

// Alert kinds (Alert.Kind). Alerts stored before kinds existed read as "".
const (
	KindVolume    = "volume"    // the stream's negative count crossed its threshold
	KindInfluence = "influence" // influential authors tipped the weighted count
	KindTopic     = "topic"     // a cluster of near-duplicate complaints grew fast
)

// Influence defaults; zero Config fields take them.
const (
	defaultInfluenceReach   = 10000 // an author this large weighs 2
	defaultInfluenceReplies = 20    // a post with this many replies weighs 2
	defaultMaxWeight        = 8
	// influenceBins is the weighted test's window (4 bins = 1 h): long enough
	// for a post's echo, short enough to stay about one event.
	influenceBins = 4
	// influenceRatio is the weighted window's minimum multiple of its
	// expectation, as the volume test's short windows ask.
	influenceRatio = 2.5
	// weightHalfLife smooths a stream's mean weight per negative: its usual
	// share of influential authors is part of the expectation.
	weightHalfLife = 500 // negatives
)

// orDefault is v, or d when v is zero (or negative).
func orDefault[T int | int64 | float64 | time.Duration](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

func (c Config) influenceReach() int64 { return orDefault(c.InfluenceReach, defaultInfluenceReach) }
func (c Config) influenceReplies() int { return orDefault(c.InfluenceReplies, defaultInfluenceReplies) }
func (c Config) maxWeight() float64    { return orDefault(c.MaxWeight, defaultMaxWeight) }

// Weight is how much a negative message counts for the influence test: 1 for
// an ordinary author; each doubling of the audience above
// Config.InfluenceReach (and of the replies above Config.InfluenceReplies)
// adds one, up to Config.MaxWeight. Logarithmic, because a million followers
// do not read a post a hundred times more attentively than ten thousand.
func (c Config) Weight(e Event) float64 {
	w := 1.0
	if r := c.influenceReach(); e.Reach >= r {
		w += 1 + math.Log2(float64(e.Reach)/float64(r))
	}
	if p := c.influenceReplies(); e.Replies >= p {
		w += 1 + math.Log2(float64(e.Replies)/float64(p))
	}
	return math.Min(w, c.maxWeight())
}

// extraState is a key's state for the influence and topic tests.
type extraState struct {
	// Influence: per bin of the last influenceBins bins, the weight above 1
	// of its negatives; extraIdx says which bin a slot holds.
	extra    [influenceBins]float64
	extraIdx [influenceBins]int64
	meanW    float64 // EWMA of the weight per negative
	meanW2   float64 // EWMA of its square
	lastInfl time.Time

	topics *topicIndex
}

func (d *Detector) extraOf(ks *keyState) *extraState {
	if ks.extra == nil {
		ks.extra = &extraState{meanW: 1, meanW2: 1}
		for i := range ks.extra.extraIdx {
			ks.extra.extraIdx[i] = math.MinInt64
		}
	}
	return ks.extra
}

// observeExtra keeps a negative's influence weight and files it in the
// topic index, then, unless the volume test alerted (volume, ok), runs the
// influence and topic tests. Observe returns at most one alert.
func (d *Detector) observeExtra(ks *keyState, e Event, volume Alert, ok bool) []Alert {
	inf, infOK := d.influenceTest(ks, e, !ok)
	top, topOK := d.topicTest(ks, e, !ok && !infOK)
	var a Alert
	switch {
	case ok:
		return []Alert{volume}
	case infOK:
		a = inf
	case topOK:
		a = top
	default:
		return nil
	}
	// One burst, one alert: the stream's cool-down starts as it does for a
	// volume alert, so the volume and sequential tests then report this
	// burst again only when it grows well past its pace (an escalation).
	d.alerted(ks, a.DetectedAt, d.burstRate(int(a.Observed), a.Start, a.DetectedAt))
	return []Alert{a}
}

// influenceTest adds e's weight to its bin and tests the last hour's weighted
// count against the volume baseline of the same bins.
func (d *Detector) influenceTest(ks *keyState, e Event, test bool) (Alert, bool) {
	if d.cfg.NoInfluence {
		return Alert{}, false
	}
	x := d.extraOf(ks)
	w := d.cfg.Weight(e)
	i := d.binIndex(e.At)
	if s := influenceSlot(i); x.extraIdx[s] != i {
		x.extraIdx[s], x.extra[s] = i, 0
	}
	x.extra[influenceSlot(i)] += w - 1
	alpha := 1.0 / weightHalfLife
	x.meanW += alpha * (w - x.meanW)
	x.meanW2 += alpha * (w*w - x.meanW2)
	if w <= 1 || !test {
		// Only an influential post can tip the weighted test; ordinary ones
		// are the volume test's business.
		return Alert{}, false
	}
	s := d.slot(ks, ks.cur)
	if s.learning {
		return Alert{}, false
	}
	now := ks.lastAt
	if (!ks.lastAlert.IsZero() && now.Before(ks.lastAlert.Add(d.cfg.Cooldown))) ||
		(!x.lastInfl.IsZero() && now.Before(x.lastInfl.Add(d.cfg.Cooldown))) {
		return Alert{}, false
	}
	startBin := ks.cur - influenceBins + 1
	raw, lam, extra := 0, 0.0, 0.0
	for j := startBin; j <= ks.cur; j++ {
		if js, ok := d.valid(ks, j); ok {
			raw += int(js.neg)
			lam += js.base
		} else {
			lam += s.base
		}
		if x.extraIdx[influenceSlot(j)] == j {
			extra += x.extra[influenceSlot(j)]
		}
	}
	// One post, however famous its author, is not a storm: the window must
	// hold half the volume test's minimum of ordinary negatives too.
	if raw < (d.cfg.MinCount+1)/2 {
		return Alert{}, false
	}
	// The expectation is in weight units: the stream's usual weight per
	// negative times its expected count. A sum of weights varies more than a
	// count (compound Poisson), so both sides are divided by the dispersion
	// E[w²]/E[w] and tested as a Poisson count (the scaled-Poisson
	// approximation): on a stream whose authors are often large, one more
	// large author counts for less. With every weight 1 this is the plain test.
	meanW := math.Max(x.meanW, 1)
	disp := math.Max(x.meanW2/meanW, 1)
	expected := lam * meanW
	thrScaled := alertThreshold(expected/disp, d.cfg.MaxPValue, d.cfg.MinCount, influenceRatio)
	weighted := float64(raw) + extra
	if weighted/disp < float64(thrScaled) {
		return Alert{}, false
	}
	x.lastInfl = now
	thr := int(math.Ceil(float64(thrScaled) * disp))
	a := d.explain(ks, influenceBins, raw, lam, thr, now, false)
	a.Kind = KindInfluence
	// Baseline and threshold are in weight units, like Weighted.
	a.Baseline = expected
	a.PValue = poissonUpperTail(int(weighted/disp), expected/disp)
	d.annotate(ks, &a)
	return a, true
}

// influenceSlot is bin i's slot in extraState's ring.
func influenceSlot(i int64) int64 { return floorMod(i, influenceBins) }

// annotate adds the influence figures to an alert: the weighted count of the
// burst's negatives and the influential authors who drove it.
func (d *Detector) annotate(ks *keyState, a *Alert) {
	if a.Kind == "" {
		a.Kind = KindVolume
	}
	var burst []Event
	for _, e := range ks.ctx[ks.ctxHead:] {
		if !e.At.Before(a.Start) && !e.At.After(a.DetectedAt) {
			burst = append(burst, e)
		}
	}
	if a.Kind == KindTopic {
		burst = a.Topic.events
	}
	a.Weighted, a.Influencers = d.influencers(burst, max(d.cfg.TopN/2, 1))
	a.nonNilLists()
}

// influencers sums the weight of burst and ranks its authors whose weight is
// above 1, heaviest first.
func (d *Detector) influencers(burst []Event, n int) (float64, []AuthorImpact) {
	total := 0.0
	by := map[string]*AuthorImpact{}
	for _, e := range burst {
		w := d.cfg.Weight(e)
		total += w
		if w <= 1 {
			continue
		}
		name := e.Author
		if name == "" {
			name = "?"
		}
		a := by[name]
		if a == nil {
			a = &AuthorImpact{Author: name}
			by[name] = a
		}
		a.Messages++
		a.Reach = max(a.Reach, e.Reach)
		a.Replies += e.Replies
		a.Weight += w
	}
	out := make([]AuthorImpact, 0, len(by))
	for _, a := range by {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Author < out[j].Author
	})
	if len(out) > n {
		out = out[:n]
	}
	return total, out
}
