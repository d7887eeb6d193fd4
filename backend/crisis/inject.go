package crisis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// BenchConfig sets up the injection benchmark (docs/crisis.md, "Injection
// benchmark"): synthetic bursts of real negative texts added to real traffic.
// Zero fields take the values of DefaultBenchConfig.
type BenchConfig struct {
	Factors    []float64       // burst sizes: the brand's negative rate is multiplied by these; default 2, 3, 5
	Trials     int             // bursts per factor; default 30
	Seed       uint64          // seeds brands, onsets, times and texts
	Duration   time.Duration   // how long a burst lasts; default 3 h
	MinPerHour float64         // extra negatives per hour at least; default 4
	Bounds     []time.Duration // "caught within" columns; default 30 min, 60 min, 3 h
}

// DefaultBenchConfig is the benchmark of issue 18.
func DefaultBenchConfig() BenchConfig {
	return BenchConfig{
		Factors:    []float64{2, 3, 5},
		Trials:     30,
		Seed:       18,
		Duration:   3 * time.Hour,
		MinPerHour: 4,
		Bounds:     []time.Duration{30 * time.Minute, time.Hour, 3 * time.Hour},
	}
}

func (c BenchConfig) withDefaults() BenchConfig {
	d := DefaultBenchConfig()
	if len(c.Factors) == 0 {
		c.Factors = d.Factors
	}
	if len(c.Bounds) == 0 {
		c.Bounds = d.Bounds
	}
	c.Trials = positiveOr(c.Trials, d.Trials)
	c.Duration = positiveOr(c.Duration, d.Duration)
	c.MinPerHour = positiveOr(c.MinPerHour, d.MinPerHour)
	return c
}

func positiveOr[T int | float64 | time.Duration](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

// BenchRow is one line of the benchmark's table: one method at one factor.
type BenchRow struct {
	Factor float64
	Method string // "Stormdesk" or "oracle"
	Trials int
	// Caught[i]: bursts with an alert for their brand within Bounds[i] of the onset.
	Caught []int
	// Median delay from onset to the first alert, over the bursts caught
	// within the largest bound; -1 when none was.
	Median time.Duration
}

// BenchResult is the whole benchmark.
type BenchResult struct {
	Bounds      []time.Duration
	Rows        []BenchRow
	CleanAlerts int     // the detector's alerts on the series without injected bursts
	OracleClean int     // the oracle's alarms on it at its calibrated threshold
	OracleH     float64 // that threshold
}

// Burst is one injected burst.
type Burst struct {
	Account string
	Onset   time.Time
	Events  []Event
}

// brandSeries is one brand's share of a series.
type brandSeries struct {
	events    []Event // time order
	negatives []Event
	perHour   float64 // mean negatives per hour over the brand's span
}

func splitBrands(events []Event) (names []string, by map[string]*brandSeries, from, to time.Time) {
	by = map[string]*brandSeries{}
	for _, e := range events {
		if e.At.IsZero() {
			continue
		}
		b := by[e.Account]
		if b == nil {
			b = &brandSeries{}
			by[e.Account] = b
			names = append(names, e.Account)
		}
		b.events = append(b.events, e)
		if e.Negative {
			b.negatives = append(b.negatives, e)
		}
		if from.IsZero() || e.At.Before(from) {
			from = e.At
		}
		if e.At.After(to) {
			to = e.At
		}
	}
	sort.Strings(names)
	for _, b := range by {
		slices.SortStableFunc(b.events, func(x, y Event) int { return x.At.Compare(y.At) })
		if len(b.events) > 1 {
			span := b.events[len(b.events)-1].At.Sub(b.events[0].At).Hours()
			b.perHour = float64(len(b.negatives)) / math.Max(span, 1)
		}
	}
	return names, by, from, to
}

// CheckBench says whether events can carry the benchmark: an error when the
// series is too short for it to mean anything (its bursts go into the second
// half, which must begin after the detector's learning period), and a note
// for each brand whose own messages begin so late that its bursts fall in
// its learning period, where it can catch none of them.
func CheckBench(events []Event, cfg Config) (notes []string, err error) {
	cfg = cfg.withDefaults()
	names, by, from, to := splitBrands(events)
	if len(names) == 0 {
		return nil, fmt.Errorf("no dated messages")
	}
	if need := 2 * cfg.MinHistory; to.Sub(from) < need {
		return nil, fmt.Errorf("the messages span %s (%s to %s); the benchmark needs at least %s: its bursts go into the second half, after the detector's %s learning period",
			spanText(to.Sub(from)), from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), spanText(need), spanText(cfg.MinHistory))
	}
	mid := from.Add(to.Sub(from) / 2)
	for _, n := range names {
		b := by[n]
		if len(b.negatives) == 0 {
			notes = append(notes, fmt.Sprintf("%s: no negative messages, so no bursts (their texts come from its own negatives)", n))
			continue
		}
		if learned := b.events[0].At.Add(cfg.MinHistory); learned.After(mid) {
			notes = append(notes, fmt.Sprintf("%s: its messages begin at %s, so the detector is still learning (%s) when some of its bursts begin, and misses those",
				n, b.events[0].At.UTC().Format(time.RFC3339), spanText(cfg.MinHistory)))
		}
	}
	return notes, nil
}

// spanText is a duration in whole hours, or days and hours.
func spanText(d time.Duration) string {
	h := int(d.Round(time.Hour) / time.Hour)
	if h < 48 {
		return fmt.Sprintf("%d h", h)
	}
	if h%24 == 0 {
		return fmt.Sprintf("%d days", h/24)
	}
	return fmt.Sprintf("%d days %d h", h/24, h%24)
}

// MakeBursts draws trials bursts of the given factor: brands in turn (those
// with negatives), an onset uniformly in the second half of the series (so
// the burst ends inside it), extra negatives at (factor − 1) × the brand's
// mean hourly negative rate, at least minPerHour, at uniform random times,
// each the text and author of a random real negative of that brand.
func MakeBursts(events []Event, factor float64, trials int, cfg BenchConfig, r *rand.Rand) []Burst {
	names, by, from, to := splitBrands(events)
	return makeBursts(names, by, from, to, factor, trials, cfg, r)
}

// makeBursts is MakeBursts on a series already split by brand.
func makeBursts(names []string, by map[string]*brandSeries, from, to time.Time, factor float64, trials int, cfg BenchConfig, r *rand.Rand) []Burst {
	cfg = cfg.withDefaults()
	var brands []string
	for _, n := range names {
		if len(by[n].negatives) > 0 {
			brands = append(brands, n)
		}
	}
	if len(brands) == 0 {
		return nil
	}
	mid := from.Add(to.Sub(from) / 2)
	span := to.Add(-cfg.Duration).Sub(mid)
	if span < 0 {
		span = 0
	}
	out := make([]Burst, 0, trials)
	for i := range trials {
		b := by[brands[i%len(brands)]]
		onset := mid.Add(time.Duration(r.Int64N(int64(span) + 1)))
		perHour := math.Max((factor-1)*b.perHour, cfg.MinPerHour)
		n := int(math.Round(perHour * cfg.Duration.Hours()))
		burst := Burst{Account: brands[i%len(brands)], Onset: onset}
		for range n {
			src := b.negatives[r.IntN(len(b.negatives))]
			src.At = onset.Add(time.Duration(r.Int64N(int64(cfg.Duration))))
			burst.Events = append(burst.Events, src)
		}
		slices.SortStableFunc(burst.Events, func(x, y Event) int { return x.At.Compare(y.At) })
		out = append(out, burst)
	}
	return out
}

// merge returns the brand's events with the burst's, in time order.
func merge(brand []Event, burst []Event) []Event {
	out := make([]Event, 0, len(brand)+len(burst))
	i, j := 0, 0
	for i < len(brand) || j < len(burst) {
		if j == len(burst) || (i < len(brand) && !burst[j].At.Before(brand[i].At)) {
			out = append(out, brand[i])
			i++
		} else {
			out = append(out, burst[j])
			j++
		}
	}
	return out
}

// firstAfter returns the delay from onset to the first of times at or after
// it, or -1.
func firstAfter(times []time.Time, onset time.Time) time.Duration {
	for _, t := range times {
		if !t.Before(onset) {
			return t.Sub(onset)
		}
	}
	return -1
}

// RunBench runs the injection benchmark on a clean series (negatives as the
// model labelled them): the detector with cfg, and the oracle calibrated to
// raise as many alarms on the clean series as the detector.
func RunBench(events []Event, cfg Config, bc BenchConfig) BenchResult {
	bc = bc.withDefaults()
	res := BenchResult{Bounds: bc.Bounds}
	names, by, from, to := splitBrands(events)
	res.CleanAlerts = len(Replay(events, cfg))
	or := newOracle(by, from, to, NewDetector(cfg).cfg.Bin)
	res.OracleH = or.calibrate(res.CleanAlerts)
	res.OracleClean = or.cleanAlarms(res.OracleH)
	r := rand.New(rand.NewPCG(bc.Seed, 0x18))
	for _, f := range bc.Factors {
		bursts := makeBursts(names, by, from, to, f, bc.Trials, bc, r)
		var det, orc []time.Duration
		for _, b := range bursts {
			var times []time.Time
			for _, a := range Replay(merge(by[b.Account].events, b.Events), cfg) {
				times = append(times, a.DetectedAt)
			}
			det = append(det, firstAfter(times, b.Onset))
			orc = append(orc, firstAfter(or.alarms(b.Account, b.Events, res.OracleH), b.Onset))
		}
		res.Rows = append(res.Rows, benchRow(f, "Stormdesk", det, bc.Bounds), benchRow(f, "oracle", orc, bc.Bounds))
	}
	return res
}

func benchRow(f float64, method string, delays []time.Duration, bounds []time.Duration) BenchRow {
	row := BenchRow{Factor: f, Method: method, Trials: len(delays), Caught: make([]int, len(bounds)), Median: -1}
	var caught []float64
	for _, d := range delays {
		if d < 0 {
			continue
		}
		for i, b := range bounds {
			if d <= b {
				row.Caught[i]++
			}
		}
		if d <= bounds[len(bounds)-1] {
			caught = append(caught, float64(d))
		}
	}
	if len(caught) > 0 {
		row.Median = time.Duration(median(caught))
	}
	return row
}

// Row returns the row of a method at a factor.
func (r BenchResult) Row(factor float64, method string) (BenchRow, bool) {
	for _, row := range r.Rows {
		if row.Factor == factor && row.Method == method {
			return row, true
		}
	}
	return BenchRow{}, false
}

// Fraction is the share of bursts caught within Bounds[i].
func (row BenchRow) Fraction(i int) float64 {
	if row.Trials == 0 {
		return 0
	}
	return float64(row.Caught[i]) / float64(row.Trials)
}

// Table renders the result as the Markdown table of docs/crisis.md.
func (r BenchResult) Table() string {
	var sb strings.Builder
	sb.WriteString("| burst | | ")
	for i, b := range r.Bounds {
		if i == 0 {
			fmt.Fprintf(&sb, "caught ≤ %s | ", fmtDur(b))
		} else {
			fmt.Fprintf(&sb, "≤ %s | ", fmtDur(b))
		}
	}
	sb.WriteString("median delay |\n|---|---|")
	for range r.Bounds {
		sb.WriteString("---|")
	}
	sb.WriteString("---|\n")
	for _, row := range r.Rows {
		label := ""
		if row.Method == "Stormdesk" {
			label = fmt.Sprintf("× %g", row.Factor)
		}
		fmt.Fprintf(&sb, "| %s | %s | ", label, row.Method)
		for i := range r.Bounds {
			fmt.Fprintf(&sb, "%d / %d | ", row.Caught[i], row.Trials)
		}
		if row.Median < 0 {
			sb.WriteString("– |\n")
		} else {
			fmt.Fprintf(&sb, "%.0f min |\n", row.Median.Minutes())
		}
	}
	fmt.Fprintf(&sb, "\nAlerts on the clean series: Stormdesk %d, oracle %d (CUSUM threshold %.2f).\n",
		r.CleanAlerts, r.OracleClean, r.OracleH)
	return sb.String()
}

func fmtDur(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 && d > time.Hour {
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d min", int(d.Minutes()))
}
