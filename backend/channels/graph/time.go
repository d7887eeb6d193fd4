package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Time is a Graph timestamp: "2026-12-03T12:00:00+0000" on Pages and
// Instagram objects, RFC 3339 in places, and Unix seconds (as a number or a
// string) in the Conversations API.
type Time struct{ time.Time }

// TimeLayout is the layout Graph writes times in.
const TimeLayout = "2006-01-02T15:04:05-0700"

// UnmarshalJSON accepts every form above; null and "" are the zero time.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t.Time = channels.UnixTime(n) // 0 is no time, as null is
		return nil
	}
	for _, l := range []string{TimeLayout, time.RFC3339} {
		if v, err := time.Parse(l, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("graph: %q is not a time", s)
}

// MarshalJSON writes Graph's layout, or Unix seconds for a time whose year
// the layout's four digits cannot hold (read from an absurd Unix number): a
// cursor holding it must read back, or every later Fetch fails on it.
func (t Time) MarshalJSON() ([]byte, error) {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return []byte(strconv.FormatInt(t.Unix(), 10)), nil
	}
	return json.Marshal(t.UTC().Format(TimeLayout))
}
