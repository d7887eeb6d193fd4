package graph_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// FuzzTime reads arbitrary JSON values as Graph times, seeded with every
// form Graph writes. Facebook's and Instagram's cursors store such times,
// so whatever is read must be written back in a form that reads as the same
// time (to the second), or the next Fetch stops at a "damaged" cursor until someone clears
// it; and a Unix 0 is no time, like null.
func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2026-12-03T12:00:00+0000"`, `"2026-12-03T12:00:00Z"`, `"2026-12-03T13:00:00.5+01:00"`,
		`1764763200`, `"1764763200"`, `null`, `""`, `0`, `"0"`, `-1`, `253402300800`, `"9999-12-31T23:59:59+0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var tm graph.Time
		if json.Unmarshal(raw, &tm) != nil {
			return
		}
		if !tm.IsZero() && tm.Unix() == 0 {
			t.Errorf("%s read as the Unix epoch: a missing time must be zero", raw)
		}
		out, err := json.Marshal(tm)
		if err != nil {
			t.Fatalf("%s read as %v cannot be written: %v", raw, tm.Time, err)
		}
		var back graph.Time
		// Graph's layout has whole seconds: a fraction is dropped, which
		// makes a cursor at most a second early (what it fetches again,
		// ingest stores once), never late.
		if err := json.Unmarshal(out, &back); err != nil || back.After(tm.Time) || tm.Sub(back.Time) >= time.Second {
			t.Fatalf("%s read as %v, written as %s, reads back as %v (%v)", raw, tm.Time, out, back.Time, err)
		}
	})
}
