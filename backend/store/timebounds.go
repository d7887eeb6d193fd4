package store

import (
	"database/sql"
	"time"
)

// Bounds of a time as the store hands it out, in Unix ms. Rows written by
// older versions or other programs may hold anything (a Date header of year
// 0 east of UTC, negative Unix values), and one such value made
// Time.MarshalJSON fail for the whole inbox page, search or thread holding
// it. Nothing Stormdesk stores predates the epoch, and year 9999 is the last
// an RFC 3339 string (JSON) can carry.
const (
	minReadMS = 0               // 1970-01-01T00:00:00Z
	maxReadMS = 253402300799999 // 9999-12-31T23:59:59.999Z
)

// readMS converts stored Unix milliseconds to a UTC time inside the readable
// range and reports whether the stored value was outside it, so the caller
// can mark the row instead of failing.
func readMS(v int64) (time.Time, bool) {
	clamped := min(max(v, minReadMS), maxReadMS)
	return time.UnixMilli(clamped).UTC(), clamped != v
}

// readNullMS is readMS for a nullable column.
func readNullMS(v sql.NullInt64) (*time.Time, bool) {
	if !v.Valid {
		return nil, false
	}
	t, clamped := readMS(v.Int64)
	return &t, clamped
}

// claimedMS returns a stored out-of-range sent time as the claimed date when
// a time can show it (years 1 to 9999), else nil; the same rule ingest uses.
func claimedMS(v int64) *time.Time {
	t := time.UnixMilli(v).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return nil
	}
	return &t
}
