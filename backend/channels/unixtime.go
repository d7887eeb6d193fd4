package channels

import (
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// UnixTime reads a platform's Unix timestamp in seconds. 0 is what a JSON
// decoder leaves when the field is missing or null, so it is the zero time,
// the "no date" ingest flags and replaces by when the message arrived; read
// as 1970-01-01 it would pass as a real date and sort the message to the
// end of the inbox.
func UnixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// UnixMilliTime is UnixTime for timestamps in milliseconds.
func UnixMilliTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Future reports whether t lies beyond now and inbox.FutureSkew, where
// ingest takes a message's date for a broken clock. A sync
// position must never move to such a time: everything written before it,
// which is everything written until then, would count as already seen.
func Future(t, now time.Time) bool { return t.After(now.Add(inbox.FutureSkew)) }
