package imap

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time // zero: no date
	}{
		{"Thu, 05 Jun 2025 10:00:00 +0000", utc(2025, 6, 5, 10, 0, 0)},
		{"05 Jun 2025 10:00:00 +0200", utc(2025, 6, 5, 8, 0, 0)},
		{"Thu, 5 Jun 2025 10:00 -0500", utc(2025, 6, 5, 15, 0, 0)},
		{"  Thu,   5   jun   2025   10:00:00   +0000  ", utc(2025, 6, 5, 10, 0, 0)},
		{"THU, 05 JUNE 2025 10:00:00 GMT", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 UT", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 EST", utc(2025, 6, 5, 15, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 PDT", utc(2025, 6, 5, 17, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 CET", utc(2025, 6, 5, 9, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 -0000", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 A", utc(2025, 6, 5, 10, 0, 0)}, // military zone: -0000
		{"Thu, 05 Jun 2025 10:00:00 XYZ", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 +0100 (CET)", utc(2025, 6, 5, 9, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 (junk (nested) comment) +0100", utc(2025, 6, 5, 9, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00 +0100 (unclosed comment", utc(2025, 6, 5, 9, 0, 0)},
		{"Thu, 05 Jun 2025 10:00:00+01:00", utc(2025, 6, 5, 9, 0, 0)},
		{"Thu, 05 Jun 2025 10:00 +0200 GMT", utc(2025, 6, 5, 8, 0, 0)},
		{"Thu, 05 Jun 2025 10:00 EST -0000", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu Jun  5 10:00:00 2025", utc(2025, 6, 5, 10, 0, 0)},
		{"2025-06-05T10:00:00Z", utc(2025, 6, 5, 10, 0, 0)},
		{"5-Jun-2025 10:00:00 +0000", utc(2025, 6, 5, 10, 0, 0)},
		{"5 Jun 2025", utc(2025, 6, 5, 0, 0, 0)},
		{"2025/06/05 10:00:00 +0000", utc(2025, 6, 5, 10, 0, 0)},
		{"Thu, 5 Jun 2025 2:30:00 PM -0400", utc(2025, 6, 5, 18, 30, 0)},
		{"Thu, 5 Jun 2025 12:15 AM +0000", utc(2025, 6, 5, 0, 15, 0)},
		{"Thu, 5 Jun 2025 12:15 pm +0000", utc(2025, 6, 5, 12, 15, 0)},
		{"Thu Jun 5 10:00:00 EDT 2025", utc(2025, 6, 5, 14, 0, 0)},
		{"Sat, 30 Jun 2001 23:59:60 +0000", utc(2001, 6, 30, 23, 59, 59)},
		// RFC 5322 section 4.3 obsolete years, as Python's email.utils reads them.
		{"Mon, 07 Jan 02 09:15:00 -0800", utc(2002, 1, 7, 17, 15, 0)},
		{"Mon, 07 Jan 49 09:15:00 +0000", utc(2049, 1, 7, 9, 15, 0)},
		{"Mon, 07 Jan 50 09:15:00 +0000", utc(1950, 1, 7, 9, 15, 0)},
		{"Mon, 07 Jan 99 09:15:00 +0000", utc(1999, 1, 7, 9, 15, 0)},
		{"Mon, 07 Jan 101 09:15:00 +0000", utc(2001, 1, 7, 9, 15, 0)},
		{"Mon, 07 Jan 0001 09:15:00 +0000", utc(2001, 1, 7, 9, 15, 0)},
		{"Tue, 8 Jan 0002 10:00:00 +0100", utc(2002, 1, 8, 9, 0, 0)},
		{"Sat, 1 Jan 0000 00:00:00 +0000", utc(2000, 1, 1, 0, 0, 0)},
		{"Mon, 07 Jan 0999 09:15:00 +0000", utc(2899, 1, 7, 9, 15, 0)},
		// The future is the sender's claim; judging it is ingest's job.
		{"Fri, 13 Mar 2043 08:00:00 +0000", utc(2043, 3, 13, 8, 0, 0)},
		{"Thu, 05 Jun 1969 10:00:00 +0000", utc(1969, 6, 5, 10, 0, 0)},
		// Nothing to read.
		{"", time.Time{}},
		{"yesterday", time.Time{}},
		{"Thu, 31 Feb 2025 10:00:00 +0000", time.Time{}},
		{"Thu, 05 Jun 2025 25:00:00 +0000", time.Time{}},
		{"Thu, 05 Foo 2025 10:00:00 +0000", time.Time{}},
		{"Thu, 05 Jun 123456 10:00:00 +0000", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got.UTC(), ok, tt.want)
		}
	}
}
