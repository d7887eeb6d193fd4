package crisis

import (
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/sentiment"
)

// cachedScored is airlineScored kept in a gob file in the temp directory, so
// a tuning run does not score the series again each time. The file is named
// after the shipped model, so a new model never replays an old model's scores.
func cachedScored(t *testing.T) []Event {
	model, err := sentiment.Default()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if err := model.Save(h); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(os.TempDir(), fmt.Sprintf("stormdesk-airline-scored-%x.gob", h.Sum(nil)[:8]))
	if f, err := os.Open(p); err == nil {
		defer f.Close()
		var evs []Event
		if err := gob.NewDecoder(f).Decode(&evs); err == nil {
			return evs
		}
	}
	evs := airlineScored(t)
	if f, err := os.Create(p); err == nil {
		defer f.Close()
		_ = gob.NewEncoder(f).Encode(evs)
	}
	return evs
}

func tuneSeeds() []uint64 {
	var out []uint64
	for _, s := range strings.Split(os.Getenv("STORMDESK_TUNE_SEEDS"), ",") {
		if v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err == nil {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		out = []uint64{18}
	}
	return out
}

// TestTuneGrid is the tuning harness, not a check: STORMDESK_TUNE=1 runs it.
func TestTuneGrid(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness; STORMDESK_TUNE=1 runs it")
	}
	evs := cachedScored(t)
	labelled := airlineEvents(t)
	labels := loadLabels(t)
	for _, c := range tuneConfigs() {
		clean := len(Replay(evs, c.cfg))
		if clean > 22 {
			t.Logf("%-40s clean %d", c.name, clean)
			continue
		}
		fa, med := labelledCheck(labelled, labels, c.cfg)
		line := fmt.Sprintf("%-40s clean %2d fa %d med %4.1f |", c.name, clean, fa, med)
		tot := 0
		for _, seed := range tuneSeeds() {
			bc := DefaultBenchConfig()
			bc.Seed = seed
			res := RunBench(evs, c.cfg, bc)
			for _, row := range res.Rows {
				if row.Method != "Stormdesk" {
					continue
				}
				line += fmt.Sprintf(" ×%g %d/%d/%d %.0f", row.Factor, row.Caught[0], row.Caught[1], row.Caught[2], row.Median.Minutes())
				for _, c := range row.Caught {
					tot += c
				}
			}
			line += " |"
		}
		t.Logf("%s tot %d", line, tot)
	}
}

// labelledCheck is TestAirlineBursts' count: false alarms and the median
// delay (minutes; 999 when a labelled burst is missed).
func labelledCheck(evs []Event, labels []burstLabel, cfg Config) (int, float64) {
	hit, found, fa := matchLabels(Replay(evs, cfg), labels)
	var mins []float64
	for i, h := range hit {
		if !h {
			return fa, 999
		}
		mins = append(mins, found[i].Minutes())
	}
	return fa, median(mins)
}

type namedConfig struct {
	name string
	cfg  Config
}

func tuneConfigs() []namedConfig {
	var out []namedConfig
	add := func(name string, f func(*Config)) {
		c := DefaultConfig()
		f(&c)
		out = append(out, namedConfig{name, c})
	}
	add("default", func(*Config) {})
	prof := func(c *Config) {
		c.ProfileShrink, c.LevelHalfLife, c.LevelPrior, c.MeanHalfLife = 0.6, 12*time.Hour, 1, 48*time.Hour
	}
	w := func(bins ...int) []Window {
		var ws []Window
		for _, b := range bins {
			ws = append(ws, Window{Bins: b, MinRatio: 2.5})
		}
		return ws
	}
	for _, p := range []float64{3e-5, 1e-5, 3e-6} {
		for _, mc := range []int{6, 8} {
			add(fmt.Sprintf("w 1,2,4 p %g min %d", p, mc), func(c *Config) { c.Windows, c.MaxPValue, c.MinCount = w(1, 2, 4), p, mc })
		}
	}
	add("w 2,4", func(c *Config) { c.Windows = w(2, 4) })
	add("w 1,2,4 S 11", func(c *Config) { c.Windows, c.SeqThreshold = w(1, 2, 4), 11 })
	_, _ = time.Minute, prof
	return out
}

// TestTuneDiag prints, per burst, what the detector and the oracle saw.
func TestTuneDiag(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness")
	}
	evs := cachedScored(t)
	cfg := candidate()
	bc := DefaultBenchConfig()
	bc.Seed = tuneSeeds()[0]
	_, by, from, to := splitBrands(evs)
	clean := Replay(evs, cfg)
	or := newOracle(by, from, to, cfg.Bin)
	h := or.calibrate(len(clean))
	r := rand.New(rand.NewPCG(bc.Seed, 0x18))
	for _, f := range bc.Factors {
		bursts := MakeBursts(evs, f, bc.Trials, bc, r)
		if os.Getenv("STORMDESK_TUNE_F") != fmt.Sprint(f) {
			continue
		}
		for _, b := range bursts {
			var times []time.Time
			for _, a := range Replay(merge(by[b.Account].events, b.Events), cfg) {
				times = append(times, a.DetectedAt)
			}
			dd := firstAfter(times, b.Onset)
			od := firstAfter(or.alarms(b.Account, b.Events, h), b.Onset)
			i := or.index(b.Onset)
			lam := or.lam[b.Account][i]
			prior := ""
			for _, a := range clean {
				if a.Key.Account == b.Account && a.DetectedAt.Before(b.Onset.Add(3*time.Hour)) && a.DetectedAt.After(b.Onset.Add(-3*time.Hour)) {
					prior += a.DetectedAt.Sub(b.Onset).Round(time.Minute).String() + " "
				}
			}
			t.Logf("×%g %-14s %s mean/bin %.2f lam %.2f burst/bin %.2f det %6.0f orc %6.0f clean alerts near: %s", f, b.Account, b.Onset.Format("01-02T15:04"),
				by[b.Account].perHour/4, lam, float64(len(b.Events))/12, dd.Minutes(), od.Minutes(), prior)
		}
	}
}

func TestTuneClean(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness")
	}
	evs := cachedScored(t)
	_, by, _, _ := splitBrands(evs)
	for n, b := range by {
		t.Logf("%-14s first %s mean/bin %.2f", n, b.events[0].At.Format("01-02T15:04"), b.perHour/4)
	}
	for _, a := range Replay(evs, DefaultConfig()) {
		t.Logf("%-14s %s seq=%v esc=%v obs %.0f base %.1f win %s", a.Key.Account, a.DetectedAt.Format("01-02T15:04"), a.Sequential, a.Escalation, a.Observed, a.Baseline, a.Window())
	}
}

func TestTuneTrace(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness")
	}
	evs := cachedScored(t)
	bc := DefaultBenchConfig()
	_, by, _, _ := splitBrands(evs)
	r := rand.New(rand.NewPCG(bc.Seed, 0x18))
	bursts := MakeBursts(evs, 2, bc.Trials, bc, r)
	b := bursts[13] // Delta 02-21T09:05
	d := NewDetector(DefaultConfig())
	for _, e := range merge(by[b.Account].events, b.Events) {
		d.Observe(e)
		if e.Negative && !e.At.Before(b.Onset.Add(-time.Hour)) && e.At.Before(b.Onset.Add(3*time.Hour)) {
			ks := d.keys[Key{e.Account, e.Channel}]
			s := d.slot(ks, ks.cur)
			q := ks.seq
			t.Logf("%s neg=%d seas %.2f trend %.2f ref %.2f S %.2f n %d exp %.2f", e.At.Format("15:04"), s.neg, s.seas, s.trend, q.ref, q.s, q.n, q.expected)
		}
	}
}

func candidate() Config {
	c := DefaultConfig()
	return c
}

// TestTuneReport prints the benchmark's full table (with the oracle) for
// each seed of STORMDESK_TUNE_SEEDS.
func TestTuneReport(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness")
	}
	evs := cachedScored(t)
	for _, seed := range tuneSeeds() {
		bc := DefaultBenchConfig()
		bc.Seed = seed
		t.Logf("seed %d\n%s", seed, RunBench(evs, DefaultConfig(), bc).Table())
	}
}

// TestTuneOracleStorms counts how many of the detector's and the oracle's
// alerts on the clean series fall inside the labelled natural storms.
func TestTuneOracleStorms(t *testing.T) {
	if os.Getenv("STORMDESK_TUNE") == "" {
		t.Skip("tuning harness")
	}
	evs := cachedScored(t)
	labels := loadLabels(t)
	_, by, from, to := splitBrands(evs)
	inStorm := func(brand string, at time.Time) bool {
		for _, l := range labels {
			if l.Account == brand && !at.Before(l.Start) && !at.After(l.End.Add(time.Hour)) {
				return true
			}
		}
		return false
	}
	det := Replay(evs, DefaultConfig())
	n := 0
	for _, a := range det {
		if inStorm(a.Key.Account, a.DetectedAt) {
			n++
		}
	}
	t.Logf("detector: %d clean alerts, %d inside labelled storms", len(det), n)
	o := newOracle(by, from, to, 15*time.Minute)
	h := o.calibrate(len(det))
	m, all := 0, 0
	for brand, c := range o.clean {
		for _, at := range o.run(brand, c, h) {
			all++
			if inStorm(brand, at) {
				m++
			}
			t.Logf("oracle %-14s %s storm=%v", brand, at.Format("01-02T15:04"), inStorm(brand, at))
		}
	}
	t.Logf("oracle (h %.2f): %d clean alarms, %d inside labelled storms; labels %d", h, all, m, len(labels))

	// The oracle held to the detector's budget for noise: no more alarms
	// outside the labelled storms than the detector's alerts there.
	outside := func(h float64) int {
		k := 0
		for brand, c := range o.clean {
			for _, at := range o.run(brand, c, h) {
				if !inStorm(brand, at) {
					k++
				}
			}
		}
		return k
	}
	hn := h
	for outside(hn) > len(det)-n {
		hn += 0.01
	}
	t.Logf("oracle held to %d alarms outside the storms: h %.2f", len(det)-n, hn)
	for _, seed := range tuneSeeds() {
		bc := DefaultBenchConfig()
		bc.Seed = seed
		bc = bc.withDefaults()
		r := rand.New(rand.NewPCG(bc.Seed, 0x18))
		line := fmt.Sprintf("seed %d:", seed)
		for _, f := range bc.Factors {
			var orc []time.Duration
			for _, b := range MakeBursts(evs, f, bc.Trials, bc, r) {
				orc = append(orc, firstAfter(o.alarms(b.Account, b.Events, hn), b.Onset))
			}
			row := benchRow(f, "oracle", orc, bc.Bounds)
			line += fmt.Sprintf(" ×%g %d/%d/%d %.0f", f, row.Caught[0], row.Caught[1], row.Caught[2], row.Median.Minutes())
		}
		t.Log(line)
	}
}
