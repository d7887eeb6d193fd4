package crisis

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestInjectionBenchmark runs issue 18's benchmark on the airline series and
// checks the figures the detector reaches (docs/crisis.md, "Injection
// benchmark"); the issue's goals it does not reach yet are there too.
func TestInjectionBenchmark(t *testing.T) {
	if testing.Short() {
		t.Skip("benchmark replay")
	}
	evs := airlineScored(t)
	res := RunBench(evs, DefaultConfig(), DefaultBenchConfig())
	t.Logf("\n%s", res.Table())
	// The detector before the sequential test raised 19 alerts on this
	// series; the new one may not raise more.
	if res.CleanAlerts > 19 {
		t.Errorf("%d alerts on the clean series, want <= 19", res.CleanAlerts)
	}
	if res.OracleClean > res.CleanAlerts {
		t.Errorf("oracle calibrated to %d alarms, more than the detector's %d", res.OracleClean, res.CleanAlerts)
	}
	for _, g := range []struct {
		factor float64
		bound  int // index into Bounds: 0 = 30 min, 1 = 60 min, 2 = 3 h
		min    float64
	}{
		// The figures reached on seed 18 with the commercially usable default
		// sentiment model (issue 21; with the written social-media messages of
		// rounds 1–4 in its training data: 53/80/90, 47/80 and 43 %; with
		// round 1 only 60/77/83, 50/77 and 50 %; before them 43/77/90, 43/77
		// and 50 %); the research model reached 70/90/95, 65/90 and 45
		// (docs/crisis.md). On the held-out seeds 101 and 102 the newest model
		// catches more (× 5 within 30 min 58 % against 53 %, × 2 within 3 h
		// 67 % against 55 %); seed 18 is one draw of 30 bursts per factor.
		{5, 0, 0.50}, {5, 1, 0.75}, {5, 2, 0.85},
		{3, 1, 0.45}, {3, 2, 0.75},
		{2, 2, 0.40},
	} {
		row, _ := res.Row(g.factor, "Stormdesk")
		if got := row.Fraction(g.bound); got < g.min {
			t.Errorf("×%g caught within %v: %.0f %%, want >= %.0f %%", g.factor, res.Bounds[g.bound], 100*got, 100*g.min)
		}
	}
	// The median is over the bursts caught within 3 h (27 min with the
	// model trained with rounds 1–4 of the written messages, 18 min with
	// round 1 only, 33 min before them; 21–22 min on the held-out seeds;
	// docs/sentiment.md, "Crisis benchmark").
	if row, _ := res.Row(5, "Stormdesk"); row.Median < 0 || row.Median > 30*time.Minute {
		t.Errorf("×5 median delay %v, want <= 30 min", row.Median)
	}
}

// twoBrands is eight days of steady Poisson traffic for a busy and a small
// brand: 12 and 1 negatives per hour.
func twoBrands(r *rand.Rand) []Event {
	var evs []Event
	for _, b := range []struct {
		name    string
		perHour float64
	}{{"busy", 12}, {"small", 1}} {
		for h := range 8 * 24 {
			for range poisson(r, b.perHour) {
				evs = append(evs, Event{Account: b.name, Channel: inbox.ChannelImport, Negative: true,
					At:   t0.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second),
					Text: fmt.Sprintf("%s complaint %d", b.name, r.IntN(50))})
			}
		}
	}
	return evs
}

func TestMakeBurstsFollowsTheRecipe(t *testing.T) {
	evs := twoBrands(rand.New(rand.NewPCG(1, 1)))
	_, by, from, to := splitBrands(evs)
	mid := from.Add(to.Sub(from) / 2)
	bc := DefaultBenchConfig()
	bursts := MakeBursts(evs, 3, 6, bc, rand.New(rand.NewPCG(2, 2)))
	if len(bursts) != 6 {
		t.Fatalf("%d bursts, want 6", len(bursts))
	}
	for i, b := range bursts {
		want := b.Account
		if b.Account != []string{"busy", "small"}[i%2] {
			t.Errorf("burst %d on %s: brands are taken in turn", i, b.Account)
		}
		if b.Onset.Before(mid) || b.Onset.Add(bc.Duration).After(to) {
			t.Errorf("burst %d onset %v outside the second half [%v, %v]", i, b.Onset, mid, to.Add(-bc.Duration))
		}
		// × 3 adds twice the brand's mean rate, at least 4 per hour, for 3 h.
		n := int(max(2*by[b.Account].perHour, 4)*3 + 0.5)
		if len(b.Events) != n {
			t.Errorf("burst %d on %s: %d negatives, want %d", i, b.Account, len(b.Events), n)
		}
		for _, e := range b.Events {
			if !e.Negative || e.Account != want || e.At.Before(b.Onset) || !e.At.Before(b.Onset.Add(bc.Duration)) || len(e.Text) < len(want) || e.Text[:len(want)] != want {
				t.Fatalf("burst %d: event %+v is not one of the brand's negatives inside the burst", i, e)
			}
		}
	}
}

func TestOracleCatchesATriplingItWasCalibratedFor(t *testing.T) {
	evs := twoBrands(rand.New(rand.NewPCG(3, 3)))
	_, by, from, to := splitBrands(evs)
	o := newOracle(by, from, to, 15*time.Minute)
	h := o.calibrate(2)
	if n := o.cleanAlarms(h); n > 2 {
		t.Fatalf("threshold %.2f gives %d alarms on the clean series, want <= 2", h, n)
	}
	if n := o.cleanAlarms(h * 0.9); n <= 2 {
		t.Errorf("threshold %.2f is not the smallest: %.2f gives %d alarms", h, h*0.9, n)
	}
	// A tripling of the busy brand (24 extra negatives per hour) for an hour.
	onset := t0.Add(5*24*time.Hour + 10*time.Hour)
	var burst []Event
	for i := range 24 {
		burst = append(burst, Event{Account: "busy", Negative: true, At: onset.Add(time.Duration(i) * 150 * time.Second)})
	}
	d := firstAfter(o.alarms("busy", burst, h), onset)
	if d < 0 || d > time.Hour {
		t.Fatalf("oracle delay %v for a tripling, want within the hour", d)
	}
}
