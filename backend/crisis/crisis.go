// Package crisis detects negative-sentiment spikes ("shitstorms") in the
// labelled message stream of each brand account and channel, explains every
// alert (baseline vs observed, chart, top terms, samples, authors) and groups
// near-duplicate complaints so one approved statement can answer a group.
//
// The detector works on 15-minute bins. A bin's baseline is the larger of a
// seasonal estimate (the median over the previous days of the mean count in
// the same time-of-day bins, smoothed over neighbouring bins) and the recent
// trend (an EWMA of the last closed bins). A window of the last 1 or 4 bins
// alerts when its negative count has a Poisson upper-tail probability under
// the baseline below Config.MaxPValue AND is at least Config.MinCount AND at
// least Config.MinRatio times the baseline. Beside the windows, a sequential
// test (a Poisson CUSUM at every negative, sequential.go) alerts when the
// negatives since a run began are evidence enough of a rise; it expects the
// larger of the seasonal estimate and a profile (the seasonal estimate shrunk
// to the stream's mean) times the stream's level over about half a day,
// rather than the short trend, which carries a busy evening into the night.
// See docs/crisis.md.
package crisis

import (
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Key identifies one monitored stream: a brand account on one channel.
type Key struct {
	Account string            `json:"account"`
	Channel inbox.ChannelKind `json:"channel"`
}

// String renders the key as "account/channel".
func (k Key) String() string { return k.Account + "/" + string(k.Channel) }

// Event is one labelled inbound message as the detector sees it.
type Event struct {
	Account  string
	Channel  inbox.ChannelKind
	At       time.Time
	Negative bool
	Text     string
	Author   string
	Reach    int64  // the author's audience; 0 if unknown
	Replies  int    // replies the message drew, where the source reports them; 0 if unknown
	URL      string // where the message can be read (a listening mention's link); "" for inbox messages
}

// Status is what the detector currently says about a key.
type Status string

// Key states shown in the UI next to the visible baseline.
const (
	// StatusLearning: less than Config.MinHistory of data; no alerts yet.
	StatusLearning Status = "learning"
	StatusNormal   Status = "normal"
	// StatusAlert: an alert fired less than Config.AlertHold ago.
	StatusAlert Status = "alert"
	// StatusCooldown: after an alert; repeats are suppressed unless the burst escalates.
	StatusCooldown Status = "cooldown"
)

// Config holds the detector's thresholds. Zero fields take the values of DefaultConfig.
type Config struct {
	Bin           time.Duration // bin width; default 15 min
	HistoryDays   int           // previous days the seasonal baseline looks at; default 7
	MinHistory    time.Duration // data needed before a key may alert; default 36 h
	SmoothBins    int           // seasonal smoothing: ± this many neighbouring bins; default 2
	TrendHalfLife time.Duration // half-life of the recent-trend EWMA; default 2.5 h
	Windows       []Window      // windows tested; default 1 and 4 bins at ratio 2.5
	MaxPValue     float64       // Poisson upper-tail probability that fires; default 3e-5
	MinCount      int           // minimum negatives in the window; default 8
	Cooldown      time.Duration // repeats of the same burst are suppressed for this time; default 3 h
	AlertHold     time.Duration // how long the key shows StatusAlert; default 1 h
	Escalation    float64       // a repeat inside the cool-down needs this × the last alert's rate per window; default 3
	ContextWindow time.Duration // negatives kept per key for explanations; default 24 h
	MaxContext    int           // cap on kept negatives per key; default 20000
	SeriesBins    int           // bins in Alert.Series; default 96 (24 h)
	TopN          int           // terms, samples and authors in an alert; default 10 terms, half of it for the rest

	// The sequential test (a Poisson CUSUM at every negative against the
	// baseline; docs/crisis.md). SeqThreshold < 0 turns it off.
	SeqRatio     float64 // the rate change it is tuned for; default 2.5
	SeqThreshold float64 // log-likelihood ratio that fires; default 10.5
	SeqMinCount  int     // negatives since the run began, at least; default 5
	SeqFloor     float64 // expected negatives per bin, at least; default 0.25
	// A quiet stream (its long-run mean under QuietRate negatives per bin)
	// fires at QuietThreshold instead, if lower; QuietRate < 0 turns it off.
	// Defaults 0.4 and 6 (docs/crisis.md, "A lower bar for quiet streams").
	QuietRate      float64
	QuietThreshold float64
	// The sequential test's baseline: the seasonal profile (shrunk towards
	// the stream's long-run mean) times the stream's level (sequential.go,
	// fillProfile; docs/crisis.md). NoProfile uses the recent trend instead.
	ProfileShrink float64       // weight of the long-run mean in the profile; default 0.6
	LevelHalfLife time.Duration // half-life of the level's EWMAs; default 12 h
	LevelPrior    float64       // negatives per bin added to both sides of the level's ratio; default 1
	MeanHalfLife  time.Duration // half-life of the long-run mean; default 48 h
	NoProfile     bool
	// Influence weighting and topic bursts (influence.go, topicburst.go).
	InfluenceReach   int64         // an author with this audience weighs 2 (each doubling +1); default 10000
	InfluenceReplies int           // a post with this many replies weighs 2 (each doubling +1); default 20
	MaxWeight        float64       // cap on one message's weight; default 8
	NoInfluence      bool          // turn the influence test off
	TopicWindow      time.Duration // a topic burst's window; default 1 h
	TopicHistory     time.Duration // how far back a cluster's usual rate is measured; default 24 h
	TopicMinCount    int           // near-duplicates in the window a topic burst needs at least; default 10
	MaxTopicEntries  int           // cap on messages kept per stream for topic clustering; default 4096
	NoTopics         bool          // turn topic bursts off
}

// DefaultConfig returns the documented thresholds (docs/crisis.md).
func DefaultConfig() Config {
	return Config{
		Bin:            15 * time.Minute,
		HistoryDays:    7,
		MinHistory:     36 * time.Hour,
		SmoothBins:     2,
		TrendHalfLife:  150 * time.Minute,
		Windows:        []Window{{Bins: 1, MinRatio: 2.5}, {Bins: 4, MinRatio: 2.5}},
		MaxPValue:      3e-5,
		MinCount:       8,
		Cooldown:       3 * time.Hour,
		AlertHold:      time.Hour,
		Escalation:     3,
		ContextWindow:  24 * time.Hour,
		MaxContext:     20000,
		SeriesBins:     96,
		TopN:           10,
		SeqRatio:       2.5,
		SeqThreshold:   10.5,
		SeqMinCount:    6,
		SeqFloor:       0.25,
		QuietRate:      0.4,
		QuietThreshold: 6,
		ProfileShrink:  0.6,
		LevelHalfLife:  12 * time.Hour,
		LevelPrior:     1,
		MeanHalfLife:   48 * time.Hour,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Bin <= 0 {
		c.Bin = d.Bin
	}
	if c.HistoryDays <= 0 {
		c.HistoryDays = d.HistoryDays
	}
	if c.MinHistory <= 0 {
		c.MinHistory = d.MinHistory
	}
	if c.SmoothBins < 0 {
		c.SmoothBins = 0
	} else if c.SmoothBins == 0 {
		c.SmoothBins = d.SmoothBins
	}
	if c.TrendHalfLife <= 0 {
		c.TrendHalfLife = d.TrendHalfLife
	}
	var ws []Window
	for _, w := range c.Windows {
		if w.Bins > 0 {
			if w.MinRatio <= 0 {
				w.MinRatio = 1
			}
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		ws = d.Windows
	}
	c.Windows = ws
	if c.MaxPValue <= 0 || c.MaxPValue >= 1 {
		c.MaxPValue = d.MaxPValue
	}
	if c.MinCount <= 0 {
		c.MinCount = d.MinCount
	}
	if c.Cooldown <= 0 {
		c.Cooldown = d.Cooldown
	}
	if c.AlertHold <= 0 {
		c.AlertHold = d.AlertHold
	}
	if c.Escalation <= 0 {
		c.Escalation = d.Escalation
	}
	if c.ContextWindow <= 0 {
		c.ContextWindow = d.ContextWindow
	}
	if c.MaxContext <= 0 {
		c.MaxContext = d.MaxContext
	}
	if c.SeriesBins <= 0 {
		c.SeriesBins = d.SeriesBins
	}
	if c.TopN <= 0 {
		c.TopN = d.TopN
	}
	if c.SeqRatio <= 1 {
		c.SeqRatio = d.SeqRatio
	}
	if c.SeqThreshold == 0 {
		c.SeqThreshold = d.SeqThreshold
	}
	if c.SeqMinCount <= 0 {
		c.SeqMinCount = d.SeqMinCount
	}
	if c.SeqFloor <= 0 {
		c.SeqFloor = d.SeqFloor
	}
	if c.QuietRate == 0 {
		c.QuietRate = d.QuietRate
	}
	if c.QuietThreshold <= 0 {
		c.QuietThreshold = d.QuietThreshold
	}
	if c.ProfileShrink <= 0 || c.ProfileShrink > 1 {
		c.ProfileShrink = d.ProfileShrink
	}
	c.LevelHalfLife = positiveOr(c.LevelHalfLife, d.LevelHalfLife)
	c.LevelPrior = positiveOr(c.LevelPrior, d.LevelPrior)
	c.MeanHalfLife = positiveOr(c.MeanHalfLife, d.MeanHalfLife)
	return c
}

// Window is one tested window: the running bin and the Bins-1 bins before
// it. Short windows catch sharp bursts early; a long window with a lower
// ratio catches a storm that builds over hours.
type Window struct {
	Bins     int
	MinRatio float64 // minimum observed / baseline for this window
}

// Bin is one point of an alert's chart.
type Bin struct {
	Start            time.Time `json:"start" ts_type:"string"`
	Negative         int       `json:"negative"`
	Total            int       `json:"total"`
	Baseline         float64   `json:"baseline"`         // expected negatives
	Upper            int       `json:"upper"`            // negatives that would fire the one-bin test: the band's top
	BaselineTotal    float64   `json:"baselineTotal"`    // expected volume (seasonal)
	Learning         bool      `json:"learning"`         // the key had too little history at this bin
	ObservedFraction float64   `json:"observedFraction"` // negatives / total; 0 for an empty bin
}

// TermScore is a word or phrase that marks a burst: Score is the z-score of
// its log-odds in the burst window against the preceding context.
type TermScore struct {
	Term  string  `json:"term"`
	Count int     `json:"count"` // burst messages containing it
	Score float64 `json:"score"`
}

// Sample is one message behind an alert.
type Sample struct {
	At     time.Time `json:"at" ts_type:"string"`
	Author string    `json:"author"`
	Reach  int64     `json:"reach"`
	Text   string    `json:"text"`
	// URL links a sample to where it was posted (a listening mention's
	// original); empty for inbox messages, which open as conversations.
	URL string `json:"url"`
}

// AuthorImpact sums up one author's part in a burst.
type AuthorImpact struct {
	Author   string  `json:"author"`
	Messages int     `json:"messages"`
	Reach    int64   `json:"reach"`
	Replies  int     `json:"replies"` // replies their messages drew (Alert.Influencers only)
	Weight   float64 `json:"weight"`  // their messages' summed influence weight (Alert.Influencers only)
}

// Alert is one detected spike with everything needed to explain it.
type Alert struct {
	Key        Key       `json:"key"`
	Start      time.Time `json:"start" ts_type:"string"`      // start of the window that fired
	DetectedAt time.Time `json:"detectedAt" ts_type:"string"` // time of the message that crossed the threshold
	WindowMs   int64     `json:"windowMs"`                    // length of the tested window in milliseconds
	Observed   float64   `json:"observed"`                    // negatives in the window
	Baseline   float64   `json:"baseline"`                    // expected negatives in the window
	Threshold  int       `json:"threshold"`                   // negatives that fire the test for this window
	PValue     float64   `json:"pValue"`                      // P(X >= Observed | Poisson(Baseline))
	Volume     int       `json:"volume"`                      // all messages (any sentiment) in the window
	Escalation bool      `json:"escalation"`                  // fired inside a cool-down because the burst grew
	// Sequential: fired by the sequential test. The window then runs from
	// the first negative of the run (Start) to DetectedAt, and Observed is
	// how many negatives arrived in it against Baseline expected.
	Sequential bool           `json:"sequential"`
	TopTerms   []TermScore    `json:"topTerms"`
	TopPhrases []string       `json:"topPhrases"`
	Samples    []Sample       `json:"samples"`
	Authors    []AuthorImpact `json:"authors"`
	Series     []Bin          `json:"series"` // recent bins with the baseline band, oldest first

	// Kind is KindVolume, KindInfluence or KindTopic; "" for alerts stored before kinds existed.
	Kind string `json:"kind"`
	// Weighted is the burst's negatives counted with their influence weight (Config.Weight).
	Weighted float64 `json:"weighted"`
	// Influencers are the burst's authors whose weight is above 1, heaviest first.
	Influencers []AuthorImpact `json:"influencers"`
	// Topic names the near-duplicate cluster of a topic burst; nil for other kinds.
	Topic Topic `json:"topic"` // zero for other kinds
}

// String is a one-line summary for logs and the CLI.
func (a Alert) String() string {
	if a.Sequential {
		return fmt.Sprintf("%s %s detected %s: %.0f more negatives than expected arrived since %s (%d vs %.1f expected, p=%.2g)",
			a.Key, a.Start.UTC().Format(time.RFC3339), a.DetectedAt.UTC().Format(time.RFC3339),
			math.Max(a.Observed-a.Baseline, 0), a.Start.UTC().Format("15:04"), int(a.Observed), a.Baseline, a.PValue)
	}
	return fmt.Sprintf("%s %s detected %s: %d negatives in %s vs baseline %.1f (p=%.2g)",
		a.Key, a.Start.UTC().Format(time.RFC3339), a.DetectedAt.UTC().Format(time.RFC3339),
		int(a.Observed), a.Window(), a.Baseline, a.PValue)
}

// Window is the length of the tested window.
func (a Alert) Window() time.Duration { return time.Duration(a.WindowMs) * time.Millisecond }

// UnmarshalJSON reads alerts stored before the window was kept in
// milliseconds (its "window" in nanoseconds) and gives every list a value,
// so an alert read back answers the UI like a fresh one.
func (a *Alert) UnmarshalJSON(b []byte) error {
	type plain Alert
	var v struct {
		plain
		LegacyWindow int64 `json:"window"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = Alert(v.plain)
	if a.WindowMs == 0 && v.LegacyWindow > 0 {
		a.WindowMs = time.Duration(v.LegacyWindow).Milliseconds()
	}
	a.nonNilLists()
	return nil
}

// nonNilLists makes every list of the alert an empty one rather than nil.
func (a *Alert) nonNilLists() {
	if a.TopTerms == nil {
		a.TopTerms = []TermScore{}
	}
	if a.TopPhrases == nil {
		a.TopPhrases = []string{}
	}
	if a.Topic.Terms == nil {
		a.Topic.Terms = []string{}
	}
	if a.Samples == nil {
		a.Samples = []Sample{}
	}
	if a.Authors == nil {
		a.Authors = []AuthorImpact{}
	}
	if a.Series == nil {
		a.Series = []Bin{}
	}
	if a.Influencers == nil {
		a.Influencers = []AuthorImpact{}
	}
}

// KeyState is the visible baseline of one key for the UI.
type KeyState struct {
	Key            Key        `json:"key"`
	Status         Status     `json:"status"`
	BinStart       *time.Time `json:"binStart" ts_type:"string | null"`    // the running bin
	Observed       int        `json:"observed"`                            // negatives in the running bin so far
	Volume         int        `json:"volume"`                              // messages in the running bin so far
	Baseline       float64    `json:"baseline"`                            // expected negatives in a bin like it
	BaselineVolume float64    `json:"baselineVolume"`                      // expected messages (seasonal)
	Threshold      int        `json:"threshold"`                           // negatives that would fire the one-bin test
	HistoryFrom    *time.Time `json:"historyFrom" ts_type:"string | null"` // first message seen
	LearningUntil  *time.Time `json:"learningUntil" ts_type:"string | null"`
	LastAlert      *time.Time `json:"lastAlert" ts_type:"string | null"`     // nil before the first alert
	CooldownUntil  *time.Time `json:"cooldownUntil" ts_type:"string | null"` // nil before the first alert
	Late           int        `json:"late"`                                  // events that arrived after their bin and were counted there
	Dropped        int        `json:"dropped"`                               // events too old for the history ring, or without a time or with an absurd one
	LastMessage    *time.Time `json:"lastMessage" ts_type:"string | null"`
	// Dormant: the key's last message is older than the history the detector
	// keeps (imported history, or a stream gone quiet). Its clock is not
	// advanced, so the figures, status and chart are those as of LastMessage.
	Dormant bool `json:"dormant"`
}

type binSlot struct {
	idx      int64
	neg, tot int32
	thr1     int32 // one-bin threshold, for the chart band
	base     float64
	seas     float64 // seasonal part of base
	trend    float64 // trend EWMA when the bin opened
	prof     float64 // seasonal profile shrunk to the long-run mean (profile baseline)
	level    float64 // the stream's level against its profile when the bin opened
	baseTot  float64
	learning bool
}

type keyState struct {
	key     Key
	ring    []binSlot
	cur     int64 // running bin; valid once started
	started bool
	first   int64
	firstAt time.Time
	lastAt  time.Time
	trend   float64
	// Profile baseline: EWMAs of closed bins' negatives and profiles, and
	// the long-run mean's weighted sums.
	lvObs, lvProf    float64
	meanNum, meanDen float64

	// Per tested window, for the running bin: negatives of the window's
	// earlier bins, expected negatives of the whole window and its threshold.
	prev []int
	lam  []float64
	thr  []int

	lastAlert    time.Time
	lastAlertBin int64
	// cooldownUntil: the end of the cool-down, Config.Cooldown after the alert.
	cooldownUntil time.Time
	// Per window: its rate (negatives per bin) when the last alert fired; a
	// repeat inside the cool-down must double it.
	alertRate []float64

	seq     seqState
	seqHold float64 // during a cool-down, the alerted burst's pace (negatives per bin): no sequential test expects less

	ctx     []Event // negatives, oldest first, from ctxHead
	ctxHead int

	late, dropped int

	extra *extraState // influence and topic state (influence.go)
}

// Detector is a streaming spike detector over many keys. It is safe for
// concurrent use.
type Detector struct {
	cfg        Config
	binsPerDay int64
	ringLen    int64
	trendAlpha float64
	levelAlpha float64
	meanDecay  float64
	maxWindow  int

	mu      sync.Mutex
	keys    map[Key]*keyState
	scratch []float64
	scratT  []float64
	// clock is the latest time Advance was given: "now" for dormancy.
	clock time.Time
	// exclude holds, per account, the words its explanations leave out (its
	// brand's names and handles).
	exclude map[string]map[string]bool
}

// NewDetector returns a detector; zero fields of cfg take their defaults.
func NewDetector(cfg Config) *Detector {
	cfg = cfg.withDefaults()
	d := &Detector{cfg: cfg, keys: map[Key]*keyState{}}
	d.binsPerDay = int64(24 * time.Hour / cfg.Bin)
	if d.binsPerDay < 1 {
		d.binsPerDay = 1
	}
	for _, w := range cfg.Windows {
		d.maxWindow = max(d.maxWindow, w.Bins)
	}
	d.ringLen = int64(cfg.HistoryDays)*d.binsPerDay + int64(cfg.SmoothBins) + int64(d.maxWindow) + 2
	halfBins := float64(cfg.TrendHalfLife) / float64(cfg.Bin)
	d.trendAlpha = 1 - math.Pow(0.5, 1/halfBins)
	d.levelAlpha = 1 - math.Pow(0.5, float64(cfg.Bin)/float64(cfg.LevelHalfLife))
	d.meanDecay = math.Pow(0.5, float64(cfg.Bin)/float64(cfg.MeanHalfLife))
	return d
}

// Config returns the effective configuration (defaults filled in).
func (d *Detector) Config() Config { return d.cfg }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// floorMod is a mod b in [0, b) for b > 0, also for negative a (bins
// before 1970 have negative indices).
func floorMod(a, b int64) int64 { return (a%b + b) % b }

// The range of times the detector counts. Bins are indexed by UnixNano,
// which is undefined before 1678 and after 2262; a message dated outside
// these bounds is a broken clock, not traffic, and one in a stream's bins
// would age its whole history at once.
var (
	minEventTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxEventTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Plausible reports whether t is a time the detector counts.
func Plausible(t time.Time) bool { return !t.Before(minEventTime) && t.Before(maxEventTime) }

func (d *Detector) binIndex(t time.Time) int64 { return floorDiv(t.UnixNano(), int64(d.cfg.Bin)) }

func (d *Detector) binStart(i int64) time.Time { return time.Unix(0, i*int64(d.cfg.Bin)).UTC() }

func (d *Detector) slot(ks *keyState, i int64) *binSlot {
	return &ks.ring[floorMod(i, d.ringLen)]
}

// valid reports whether bin i is inside the key's known history.
func (d *Detector) valid(ks *keyState, i int64) (*binSlot, bool) {
	if !ks.started || i < ks.first || i > ks.cur {
		return nil, false
	}
	s := d.slot(ks, i)
	return s, s.idx == i
}

// Observe feeds one message and returns the alerts it triggers (at most one).
// Events may arrive late: one whose bin is still in the history ring is
// counted in its own bin; older ones, and events without a time or with an
// absurd one (before 1900 or from 2200 on, see Plausible), are dropped and
// counted in KeyState.Dropped.
func (d *Detector) Observe(e Event) []Alert {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := Key{Account: e.Account, Channel: e.Channel}
	ks := d.keys[k]
	if ks == nil {
		ks = &keyState{key: k, ring: make([]binSlot, d.ringLen)}
		d.keys[k] = ks
	}
	if !Plausible(e.At) {
		ks.dropped++
		return nil
	}
	i := d.binIndex(e.At)
	if ks.started && i < ks.cur {
		s, ok := d.valid(ks, i)
		if !ok {
			ks.dropped++
			return nil
		}
		ks.late++
		s.tot++
		if !e.Negative {
			return nil
		}
		s.neg++
		for wi, w := range d.cfg.Windows {
			if i > ks.cur-int64(w.Bins) {
				ks.prev[wi]++
			}
		}
	} else {
		d.advance(ks, i)
		s := d.slot(ks, i)
		s.tot++
		if !e.Negative {
			if e.At.After(ks.lastAt) {
				ks.lastAt = e.At
			}
			return nil
		}
		s.neg++
	}
	if e.At.After(ks.lastAt) {
		ks.lastAt = e.At
	}
	d.remember(ks, e)
	if i == ks.cur {
		d.seqAdd(ks, e.At)
	} else {
		d.seqLate(ks, e.At)
	}
	a, ok := d.test(ks)
	if !ok {
		a, ok = d.testSeq(ks)
	}
	if ok {
		d.annotate(ks, &a)
	}
	return d.observeExtra(ks, e, a, ok)
}

// Advance moves every key's clock to now, closing the bins before it (empty
// bins count as zeros), so State reflects quiet periods too. Messages always
// trigger alerts in Observe, the moment a window crosses its threshold, so
// closing bins never raises one. A dormant key (its last message older than
// the history kept) is left as it was at its last message: advancing it would
// empty its whole ring, and the dashboard would show imported history as
// nothing at all.
func (d *Detector) Advance(now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if now.After(d.clock) {
		d.clock = now
	}
	i := d.binIndex(now)
	for _, ks := range d.keys {
		if ks.started && i > ks.cur && !d.dormant(ks) {
			d.advance(ks, i)
		}
	}
}

// dormant reports whether a key's last message is older than the history
// window as of the latest Advance.
func (d *Detector) dormant(ks *keyState) bool {
	if d.clock.IsZero() || ks.lastAt.IsZero() {
		return false
	}
	return ks.lastAt.Before(d.clock.Add(-time.Duration(d.cfg.HistoryDays) * 24 * time.Hour))
}

// Forget drops every key of an account, so its history can be fed again
// from the start (after older messages were imported for it).
func (d *Detector) Forget(account string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k := range d.keys {
		if k.Account == account {
			delete(d.keys, k)
		}
	}
}

// Exclude sets the words an account's alert explanations leave out of their
// top terms and phrases: the brand's names and handles, which every message
// to it contains. Names are split into words; a handle is also kept whole.
func (d *Detector) Exclude(account string, names []string) {
	set := excludeSet(names)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.exclude == nil {
		d.exclude = map[string]map[string]bool{}
	}
	d.exclude[account] = set
}

// Keys lists the keys the detector has seen.
func (d *Detector) Keys() []Key {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Key, 0, len(d.keys))
	for k := range d.keys {
		out = append(out, k)
	}
	return out
}

// State returns the visible baseline and status of key k. An unknown key is learning.
func (d *Detector) State(k Key) KeyState {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := KeyState{Key: k, Status: StatusLearning}
	ks := d.keys[k]
	if ks == nil {
		return st
	}
	st.Late, st.Dropped = ks.late, ks.dropped
	if !ks.started {
		return st
	}
	s := d.slot(ks, ks.cur)
	// nil until the key's first message: a stream with no history has no bin or clock yet.
	bin, first, last, learnt := d.binStart(ks.cur), ks.firstAt, ks.lastAt, ks.firstAt.Add(d.cfg.MinHistory)
	st.BinStart, st.HistoryFrom, st.LastMessage, st.LearningUntil = &bin, &first, &last, &learnt
	st.Observed, st.Volume = int(s.neg), int(s.tot)
	st.Baseline, st.BaselineVolume, st.Threshold = s.base, s.baseTot, int(s.thr1)
	st.Dormant = d.dormant(ks)
	now := bin
	if ks.lastAt.After(now) {
		now = ks.lastAt
	}
	switch {
	case s.learning:
		st.Status = StatusLearning
	case !ks.lastAlert.IsZero() && now.Before(ks.lastAlert.Add(d.cfg.AlertHold)):
		st.Status = StatusAlert
	case !ks.lastAlert.IsZero() && now.Before(ks.cooldownUntil):
		st.Status = StatusCooldown
	default:
		st.Status = StatusNormal
	}
	if !ks.lastAlert.IsZero() {
		alerted, until := ks.lastAlert, ks.cooldownUntil
		st.LastAlert, st.CooldownUntil = &alerted, &until
	}
	return st
}

// Series returns up to bins of k's most recent bins with their baseline band,
// oldest first (bins the detector no longer keeps are left out): the chart of
// one stream on the dashboard. An unknown key has none.
func (d *Detector) Series(k Key, bins int) []Bin {
	d.mu.Lock()
	defer d.mu.Unlock()
	ks := d.keys[k]
	if ks == nil || !ks.started {
		return nil
	}
	return d.series(ks, bins)
}

func (d *Detector) series(ks *keyState, bins int) []Bin {
	var out []Bin
	for j := ks.cur - int64(bins) + 1; j <= ks.cur; j++ {
		s, ok := d.valid(ks, j)
		if !ok {
			continue
		}
		b := Bin{Start: d.binStart(j), Negative: int(s.neg), Total: int(s.tot), Baseline: s.base,
			Upper: int(s.thr1), BaselineTotal: s.baseTot, Learning: s.learning}
		if s.tot > 0 {
			b.ObservedFraction = float64(s.neg) / float64(s.tot)
		}
		out = append(out, b)
	}
	return out
}

// advance closes bins up to (not including) n and opens bin n.
func (d *Detector) advance(ks *keyState, n int64) {
	if !ks.started {
		ks.started = true
		ks.first, ks.cur = n, n
		ks.firstAt = d.binStart(n)
		ks.prev = make([]int, len(d.cfg.Windows))
		ks.lam = make([]float64, len(d.cfg.Windows))
		ks.thr = make([]int, len(d.cfg.Windows))
		ks.alertRate = make([]float64, len(d.cfg.Windows))
		*d.slot(ks, n) = binSlot{idx: n}
		d.open(ks, n)
		return
	}
	if n <= ks.cur {
		return
	}
	gap := n - ks.cur
	// Close the running bin, then the empty ones; beyond the ring's length
	// only the EWMA decay matters, so that part is done in one step.
	if !ks.lastAlert.IsZero() {
		// A burst's reference for escalation is its peak over closed bins,
		// not the count at the moment it first crossed the threshold.
		neg := int(d.slot(ks, ks.cur).neg)
		for wi, w := range d.cfg.Windows {
			ks.alertRate[wi] = math.Max(ks.alertRate[wi], float64(ks.prev[wi]+neg)/float64(w.Bins))
		}
	}
	ks.trend += d.trendAlpha * (float64(d.slot(ks, ks.cur).neg) - ks.trend)
	d.closeLevel(ks, d.slot(ks, ks.cur))
	if gap > d.ringLen && d.binStart(ks.cur).Sub(ks.firstAt) >= d.cfg.MinHistory {
		d.carryForward(ks, n)
		gap = n - ks.cur
	}
	from := ks.cur + 1
	if gap > d.ringLen {
		skip := gap - d.ringLen
		ks.trend *= math.Pow(1-d.trendAlpha, float64(skip))
		ks.lvObs *= math.Pow(1-d.levelAlpha, float64(skip))
		ks.lvProf *= math.Pow(1-d.levelAlpha, float64(skip))
		ks.meanNum *= math.Pow(d.meanDecay, float64(skip))
		ks.meanDen *= math.Pow(d.meanDecay, float64(skip))
		from += skip
	}
	for j := from; j < n; j++ {
		*d.slot(ks, j) = binSlot{idx: j}
		ks.cur = j
		d.fill(ks, j)
		ks.trend *= 1 - d.trendAlpha
		d.closeLevel(ks, d.slot(ks, j))
	}
	*d.slot(ks, n) = binSlot{idx: n}
	ks.cur = n
	d.open(ks, n)
}

// carryForward moves a key's kept history forward by whole days to just
// before bin n, when the key comes back after more than the ring holds
// (imported history, then live traffic): its last days become the previous
// days the seasonal baseline reads, so the key needs no second learning
// period and its baseline is its history's, not a week of zeros. The empty
// stretch left between them is under a day.
func (d *Detector) carryForward(ks *keyState, n int64) {
	shift := (n - ks.cur) / d.binsPerDay * d.binsPerDay
	old := make([]binSlot, len(ks.ring))
	copy(old, ks.ring)
	clear(ks.ring)
	for _, s := range old {
		if s.idx < ks.first || s.idx > ks.cur || s.idx <= ks.cur-d.ringLen {
			continue
		}
		s.idx += shift
		*d.slot(ks, s.idx) = s
	}
	ks.cur += shift
	ks.seq = seqState{}
}

// fill sets bin j's baseline (the larger of the seasonal estimate and the
// trend), its chart band and whether the key was still learning.
func (d *Detector) fill(ks *keyState, j int64) {
	s := d.slot(ks, j)
	seas, seasT := d.seasonal(ks, j)
	s.base = math.Max(seas, ks.trend)
	s.seas, s.trend = seas, ks.trend
	s.baseTot = seasT
	s.learning = d.binStart(j).Sub(ks.firstAt) < d.cfg.MinHistory
	d.fillProfile(ks, s, seas)
	s.thr1 = int32(alertThreshold(s.base, d.cfg.MaxPValue, d.cfg.MinCount, d.cfg.Windows[0].MinRatio))
}

// open computes the baseline and the window thresholds of the new running bin n.
func (d *Detector) open(ks *keyState, n int64) {
	d.fill(ks, n)
	s := d.slot(ks, n)
	for wi, w := range d.cfg.Windows {
		// The window's expectation uses the trend as it was when the window
		// began, so a storm that builds up inside the window does not raise
		// its own baseline.
		startBin := n - int64(w.Bins) + 1
		trend := s.trend
		if ps, ok := d.valid(ks, startBin); ok {
			trend = ps.trend
		}
		prev, lam := 0, math.Max(s.seas, trend)
		for j := startBin; j < n; j++ {
			ps, ok := d.valid(ks, j)
			if !ok {
				lam += s.base // before the history: assume the current expectation
				continue
			}
			prev += int(ps.neg)
			lam += math.Max(ps.seas, trend)
		}
		ks.prev[wi], ks.lam[wi] = prev, lam
		ks.thr[wi] = alertThreshold(lam, d.cfg.MaxPValue, d.cfg.MinCount, w.MinRatio)
	}
}

// seasonal is the median over previous days of the mean negative (and total)
// count in the bins around the same time of day. Bins before the key's first
// message are not history and are left out; empty bins after it count as zero.
func (d *Detector) seasonal(ks *keyState, n int64) (neg, tot float64) {
	vals, valsT := d.scratch[:0], d.scratT[:0]
	sb := int64(d.cfg.SmoothBins)
	for day := int64(1); day <= int64(d.cfg.HistoryDays); day++ {
		c := n - day*d.binsPerDay
		var sn, st float64
		m := 0
		for j := c - sb; j <= c+sb; j++ {
			if j >= n {
				continue
			}
			s, ok := d.valid(ks, j)
			if !ok {
				continue
			}
			sn += float64(s.neg)
			st += float64(s.tot)
			m++
		}
		if m > 0 {
			vals = append(vals, sn/float64(m))
			valsT = append(valsT, st/float64(m))
		}
	}
	neg, tot = median(vals), median(valsT)
	d.scratch, d.scratT = vals, valsT
	return neg, tot
}

// test runs the windows' tests for the running bin after a negative arrived.
func (d *Detector) test(ks *keyState) (Alert, bool) {
	s := d.slot(ks, ks.cur)
	if s.learning {
		return Alert{}, false
	}
	now := ks.lastAt
	inCooldown := !ks.lastAlert.IsZero() && now.Before(ks.cooldownUntil)
	for wi, w := range d.cfg.Windows {
		count := ks.prev[wi] + int(s.neg)
		if count < ks.thr[wi] {
			continue
		}
		rate := float64(count) / float64(w.Bins)
		escalation := false
		if inCooldown {
			if ks.cur == ks.lastAlertBin || rate < d.cfg.Escalation*ks.alertRate[wi] {
				continue
			}
			escalation = true
		}
		d.alerted(ks, now, d.windowPace(ks, count, now))
		return d.explain(ks, w.Bins, count, ks.lam[wi], ks.thr[wi], now, escalation), true
	}
	return Alert{}, false
}

// windowPace is the pace a window's alert holds through its cool-down,
// count negatives in the window: the fastest of the paces from the window's
// first negative, and from each later one while at least half the window's
// negatives remain. Not from the window's start, which may be long before the
// burst began, nor from its first negative only: the first ones are often
// background, and counted from them, a burst of 45 negatives per bin that
// crossed a 4-bin window after a negative or two earlier in the hour held
// 3.6–5.8, and the same burst, going on at the same pace, fired again minutes
// later as an escalation. At least half, so a few close negatives at the
// window's end do not set the bar (a storm's noisy peak then hid a second
// burst on top of it for the whole cool-down).
func (d *Detector) windowPace(ks *keyState, count int, now time.Time) float64 {
	first := max(len(ks.ctx)-count, ks.ctxHead)
	n := len(ks.ctx) - first
	pace := 0.0
	for skip := 0; skip <= max(0, min(n/2, n-2)); skip++ {
		pace = math.Max(pace, d.burstRate(n-skip, ks.ctx[first+skip].At, now))
	}
	return pace
}

// remember keeps a negative for the explanations and forgets what is too old.
func (d *Detector) remember(ks *keyState, e Event) {
	ks.ctx = append(ks.ctx, e)
	horizon := ks.lastAt.Add(-d.cfg.ContextWindow - time.Duration(d.maxWindow)*d.cfg.Bin)
	for ks.ctxHead < len(ks.ctx) && (ks.ctx[ks.ctxHead].At.Before(horizon) || len(ks.ctx)-ks.ctxHead > d.cfg.MaxContext) {
		ks.ctx[ks.ctxHead] = Event{}
		ks.ctxHead++
	}
	if ks.ctxHead > 1024 && ks.ctxHead*2 > len(ks.ctx) {
		n := copy(ks.ctx, ks.ctx[ks.ctxHead:])
		clear(ks.ctx[n:])
		ks.ctx = ks.ctx[:n]
		ks.ctxHead = 0
	}
}

// explain builds the alert for a window of w bins ending with the running bin.
func (d *Detector) explain(ks *keyState, w, count int, lam float64, thr int, now time.Time, escalation bool) Alert {
	a := d.explainSpan(ks, d.binStart(ks.cur-int64(w)+1), count, lam, thr, now, escalation)
	a.WindowMs = (time.Duration(w) * d.cfg.Bin).Milliseconds()
	return a
}

// explainSpan builds the alert for the negatives from start to now.
func (d *Detector) explainSpan(ks *keyState, start time.Time, count int, lam float64, thr int, now time.Time, escalation bool) Alert {
	a := Alert{
		Key:        ks.key,
		Start:      start,
		DetectedAt: now,
		WindowMs:   max(now.Sub(start).Milliseconds(), 1),
		Observed:   float64(count),
		Baseline:   lam,
		Threshold:  thr,
		PValue:     poissonUpperTail(count, lam),
		Escalation: escalation,
	}
	for j := d.binIndex(start); j <= ks.cur; j++ {
		if s, ok := d.valid(ks, j); ok {
			a.Volume += int(s.tot)
		}
	}
	a.Series = d.series(ks, d.cfg.SeriesBins)
	var burst, background []Event
	for _, e := range ks.ctx[ks.ctxHead:] {
		if e.At.Before(a.Start) {
			if !e.At.Before(a.Start.Add(-d.cfg.ContextWindow)) {
				background = append(background, e)
			}
			continue
		}
		burst = append(burst, e)
	}
	small := max(d.cfg.TopN/2, 1)
	a.TopTerms, a.TopPhrases = burstTerms(burst, background, d.cfg.TopN, small, d.exclude[ks.key.Account])
	a.Samples = samples(burst, small)
	a.Authors = authors(burst, small)
	a.nonNilLists()
	return a
}
