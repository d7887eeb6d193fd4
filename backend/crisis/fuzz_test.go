package crisis

import (
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// fuzzEvents decodes fuzz input into a stream of events, 6 bytes each: a
// signed time step (minutes, or years when the flag says so: absurd dates and
// clocks that jump back), flags (negative, key, reach, replies, a zero time)
// and a text, author and URL chosen by index, some of them invalid UTF-8 or
// empty, or a line of extra. The steps are small enough that alerts happen on
// short configs.
func fuzzEvents(data []byte, extra string) []Event {
	texts := []string{
		"", "😡", "flight cancelled again, refund refused", "flight cancelled again, refund refused!",
		"интернет опять не работает", "Kein Internet seit heute Morgen", "\xff\xfe broken \xc3",
		"a", "the the the", "cancelled cancelled cancelled cancelled",
	}
	if extra != "" {
		texts = append(texts, strings.Split(extra, "\n")...)
	}
	authors := []string{"", "ann", "bob", "карина", "\xff", "dave", "eve", "fay"}
	reaches := []int64{0, -1, 5000, 10000, 1 << 40, math.MaxInt64, math.MinInt64}
	replies := []int{0, -3, 20, 1 << 30, math.MaxInt}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var evs []Event
	for len(data) >= 6 && len(evs) < 1500 {
		step := time.Duration(int16(binary.LittleEndian.Uint16(data))) * time.Minute / 8
		f, pick := data[2], data[3:6]
		data = data[6:]
		if f&0x80 != 0 { // a clock gone wild: years forwards or backwards
			step *= 24 * 365 * 8
		}
		at = at.Add(step)
		e := Event{
			Account:  []string{"acme", "acme", "другой"}[int(f>>1&3)%3],
			Channel:  []inbox.ChannelKind{inbox.ChannelMail, inbox.ChannelVK}[f>>3&1],
			At:       at,
			Negative: f&1 == 1,
			Text:     texts[int(pick[0])%len(texts)],
			Author:   authors[int(pick[1])%len(authors)],
			Reach:    reaches[int(pick[2])%len(reaches)],
			Replies:  replies[int(pick[2]>>4)%len(replies)],
		}
		if f&0x70 == 0x70 {
			e.At = time.Time{}
		}
		if pick[1]&0x80 != 0 {
			e.URL = "https://example.org/" + e.Author
		}
		evs = append(evs, e)
	}
	return evs
}

// fuzzConfig is the default detector with minute bins and a short learning
// period, so a few hundred fuzzed events reach every test.
func fuzzConfig() Config {
	c := DefaultConfig()
	c.Bin = time.Minute
	c.HistoryDays = 2
	c.MinHistory = 30 * time.Minute
	c.Cooldown = 20 * time.Minute
	c.TopicWindow = 10 * time.Minute
	c.TopicHistory = time.Hour
	c.TopicMinCount = 4
	c.MinCount = 4
	c.SeqMinCount = 3
	return c
}

// FuzzObserve feeds the detector hostile event streams (absurd and missing
// times, clocks that jump back, invalid UTF-8, extreme reach and reply counts)
// and checks that it neither panics nor explains an alert with impossible
// figures, and that a replay of the same stream raises the same alerts.
func FuzzObserve(f *testing.F) {
	burst := func(n int, neg byte, gap int16) []byte {
		var b []byte
		for i := range n {
			b = binary.LittleEndian.AppendUint16(b, uint16(gap))
			b = append(b, neg, byte(i), byte(i*7), byte(i*3))
		}
		return b
	}
	// Quiet hours, then a burst of negatives from many authors: the seed
	// raises alerts, so mutations start from streams that reach the tests.
	f.Add(append(burst(400, 0, 8), burst(60, 1, 1)...), "")
	f.Add(append(append(burst(300, 0, 8), burst(40, 1, 2)...), burst(40, 0x81, -3)...), "")
	f.Add(burst(50, 0x71, 0), "")
	f.Add([]byte{}, "")
	f.Add(append(burst(300, 0, 8), burst(60, 1, 1)...),
		"our router is down since the morning\nRouter down since morning!!\nроутер не работает с утра\n\xf0\x9f\x98\xa1 \xf0\x9f\x98\xa1\nDas WLAN ist seit heute früh weg\n  \t \nhttps://t.co/x @user #down")
	f.Fuzz(func(t *testing.T, data []byte, extra string) {
		evs := fuzzEvents(data, extra)
		cfg := fuzzConfig()
		d := NewDetector(cfg)
		var got []Alert
		for _, e := range evs {
			as := d.Observe(e)
			for _, a := range as {
				checkFuzzAlert(t, cfg, e, a)
			}
			got = append(got, as...)
			st := d.State(Key{Account: e.Account, Channel: e.Channel})
			if bad(st.Baseline) || bad(st.BaselineVolume) || st.Observed < 0 || st.Volume < 0 || st.Threshold < 0 {
				t.Fatalf("state of %s after %v: %+v", st.Key, e.At, st)
			}
		}
		if len(evs) > 0 {
			d.Advance(evs[len(evs)-1].At.Add(36 * time.Hour))
		}
		for _, k := range d.Keys() {
			if s := d.Series(k, 96); len(s) > 96 {
				t.Fatalf("series of %s has %d bins", k, len(s))
			}
		}
		// The detector is deterministic: the stored alerts of a replay are the same.
		d2 := NewDetector(cfg)
		var again []Alert
		for _, e := range evs {
			again = append(again, d2.Observe(e)...)
		}
		if len(again) != len(got) {
			t.Fatalf("replay raised %d alerts, the first run %d", len(again), len(got))
		}
		for i := range got {
			if !reflect.DeepEqual(fuzzAlertFacts(got[i]), fuzzAlertFacts(again[i])) {
				t.Fatalf("alert %d differs on replay:\n%+v\n%+v", i, fuzzAlertFacts(got[i]), fuzzAlertFacts(again[i]))
			}
		}
	})
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || x < 0 }

func checkFuzzAlert(t *testing.T, cfg Config, e Event, a Alert) {
	t.Helper()
	switch {
	case a.Key != Key{Account: e.Account, Channel: e.Channel}:
		t.Fatalf("alert for %s raised by a message of %s/%s", a.Key, e.Account, e.Channel)
	case a.Start.After(a.DetectedAt):
		t.Fatalf("alert starts %v after it was detected %v: %s", a.Start, a.DetectedAt, a)
	case bad(a.Observed) || bad(a.Baseline) || bad(a.Weighted) || a.Threshold < 0 || a.Volume < 0:
		t.Fatalf("alert with impossible figures: %+v", a)
	case math.IsNaN(a.PValue) || a.PValue < 0 || a.PValue > 1:
		t.Fatalf("alert p-value %v: %s", a.PValue, a)
	case a.WindowMs < 0:
		t.Fatalf("alert window %d ms: %s", a.WindowMs, a)
	case len(a.Series) > cfg.SeriesBins || len(a.Samples) > 5:
		t.Fatalf("alert with %d bins and %d samples", len(a.Series), len(a.Samples))
	}
	for _, b := range a.Series {
		if b.Negative < 0 || b.Total < b.Negative || bad(b.Baseline) || bad(b.BaselineTotal) || bad(b.ObservedFraction) || b.ObservedFraction > 1 {
			t.Fatalf("alert bin with impossible figures: %+v", b)
		}
	}
	for _, ts := range a.TopTerms {
		if math.IsNaN(ts.Score) {
			t.Fatalf("term %q scored NaN", ts.Term)
		}
	}
}

// fuzzAlertFacts is what the store keeps of an alert and the UI shows first.
func fuzzAlertFacts(a Alert) []any {
	return []any{a.Key, a.Kind, a.Start, a.DetectedAt, a.WindowMs, a.Observed, a.Baseline, a.Threshold, a.Volume,
		a.Escalation, a.Sequential, a.Weighted, len(a.Samples), len(a.TopTerms), a.Topic.Count}
}
