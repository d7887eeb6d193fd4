package imap

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	netmail "net/mail"
)

// parseDate reads a Date header the way tolerant mail readers do. go-message's
// strict parser is trusted only when it saw a four-digit year of 1000 or later
// and a zone it understood: it keeps year 0001 as 1 AD, maps two-digit years
// by Go's 69 cut-off instead of RFC 5322's 50, and silently reads unknown zone
// names such as PDT as UTC. Everything else goes through parseDateLenient.
// ok is false when no date can be read; the caller then leaves SentAt zero so
// ingest can flag the message and order it by when the server received it.
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	// netmail.ParseDate is what go-message's Header.Date calls.
	if t, err := netmail.ParseDate(v); err == nil && t.Year() >= 1000 &&
		strings.Contains(v, fmt.Sprintf("%04d", t.Year())) && zoneUnderstood(t) {
		return t, true
	}
	return parseDateLenient(v)
}

// zoneUnderstood rejects the location time.Parse makes up for an unknown zone
// abbreviation: it keeps the name but has offset zero.
func zoneUnderstood(t time.Time) bool {
	name, off := t.Zone()
	switch name {
	case "", "UTC", "UT", "GMT", "Z":
		return true
	}
	return off != 0
}

// zoneOffset returns the offset in seconds of RFC 5322's obsolete zone names
// and of the names seen in real mail. Military single letters were defined
// with the wrong sign, so RFC 5322 section 4.3 says to read them, like any
// unknown name, as -0000: they are not listed.
func zoneOffset(name string) (int, bool) {
	var minutes int
	switch strings.ToUpper(name) {
	case "UT", "UTC", "GMT", "Z", "WET":
		minutes = 0
	case "BST", "CET", "MET":
		minutes = 60
	case "CEST", "MEST", "EET":
		minutes = 120
	case "EEST", "MSK":
		minutes = 180
	case "IST":
		minutes = 330
	case "HKT":
		minutes = 480
	case "JST", "KST":
		minutes = 540
	case "AEST":
		minutes = 600
	case "AEDT":
		minutes = 660
	case "EDT":
		minutes = -240
	case "EST", "CDT":
		minutes = -300
	case "CST", "MDT":
		minutes = -360
	case "MST", "PDT":
		minutes = -420
	case "PST", "AKDT":
		minutes = -480
	case "AKST":
		minutes = -540
	case "HST":
		minutes = -600
	default:
		return 0, false
	}
	return minutes * 60, true
}

// parseDateLenient reads the date forms found in real mail: day of week
// optional, seconds optional, single-digit days, month names in any case,
// asctime order ("Jan 2 15:04:05 2006"), ISO dates, numeric and named zones,
// comments in parentheses, and the obsolete years of RFC 5322 section 4.3.
func parseDateLenient(v string) (time.Time, bool) {
	var (
		day, month, year  = -1, 0, -1
		yearDigits        int
		hour, minute, sec int
		haveTime, numeric bool
		meridiem          string
		offset            int
		nums              []string
	)
	for _, tok := range dateTokens(stripComments(v)) {
		if strings.Count(tok, "/") == 2 && len(tok) > 4 && isDigits(tok[:4]) {
			tok = strings.ReplaceAll(tok, "/", "-") // 2024/01/05; day-first or month-first slashes are guesses
		}
		switch {
		case strings.EqualFold(tok, "AM") || strings.EqualFold(tok, "PM"):
			meridiem = strings.ToUpper(tok)
		case tok[0] == '+' || (tok[0] == '-' && len(tok) > 1 && isDigits(strings.ReplaceAll(tok[1:], ":", ""))):
			offset, numeric = numericZone(tok), true
		case strings.Contains(tok, ":"):
			if haveTime {
				continue
			}
			h, m, s, ok := clockOf(tok)
			if !ok {
				return time.Time{}, false
			}
			hour, minute, sec, haveTime = h, m, s, true
		case isDigits(tok):
			nums = append(nums, tok)
		case strings.Count(tok, "-") == 2 && isDigits(strings.ReplaceAll(tok, "-", "")):
			// 2024-01-05 or 05-Jan-2024 spelled with digits only.
			p := strings.Split(tok, "-")
			if len(p[0]) == 4 {
				nums = append(nums, p[2], p[0])
			} else {
				nums = append(nums, p[0], p[2])
			}
			month, _ = strconv.Atoi(p[1])
		case strings.Count(tok, "-") == 2:
			// 5-Jan-2024
			p := strings.Split(tok, "-")
			if m := monthOf(p[1]); m > 0 && isDigits(p[0]) && isDigits(p[2]) {
				month = m
				nums = append(nums, p[0], p[2])
			}
		default:
			if m := monthOf(tok); m > 0 && month == 0 {
				month = m
			} else if off, ok := zoneOffset(tok); ok && !numeric {
				// A numeric zone beats a name: "+0200 GMT" is a mislabelled +0200.
				offset = off
			}
			// Day names, unknown zone names and stray words say nothing
			// about the instant; unknown zones read as -0000.
		}
	}
	for _, n := range nums {
		val, err := strconv.Atoi(n)
		if err != nil {
			return time.Time{}, false
		}
		switch {
		case day < 0 && len(n) <= 2 && val >= 1 && val <= 31:
			day = val
		case year < 0:
			year, yearDigits = val, len(n)
		}
	}
	switch {
	case meridiem == "PM" && hour < 12:
		hour += 12
	case meridiem == "AM" && hour == 12:
		hour = 0
	}
	if day < 0 || month < 1 || month > 12 || year < 0 {
		return time.Time{}, false
	}
	year = obsoleteYear(year, yearDigits)
	if year > 9999 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.FixedZone("", offset))
	if t.Day() != day { // 31 Feb and the like
		return time.Time{}, false
	}
	return t, true
}

// obsoleteYear applies RFC 5322 section 4.3 the way Python's email.utils
// does: two digits 00-49 are 2000-2049 and 50-99 the 1900s, three digits
// add 1900, and a four-digit year below 100 ("0001", "0002", mailers that
// printed a two-digit year with %04d) is read as 2000 onwards.
func obsoleteYear(year, digits int) int {
	switch {
	case digits <= 2 && year < 50:
		return year + 2000
	case digits <= 2:
		return year + 1900
	case digits == 3:
		return year + 1900
	case year < 100:
		return year + 2000
	case year < 1000:
		return year + 1900
	}
	return year
}

// stripComments removes RFC 5322 comments, nested or left open.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
			b.WriteByte(' ')
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dateTokens splits at spaces and commas, and splits a zone glued to the
// time ("10:00:00+0200", "10:00:00Z").
func dateTokens(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' }) {
		if len(f) > 11 && f[4] == '-' && f[10] == 'T' { // ISO 8601: 2024-01-05T10:00:00Z
			out = append(out, f[:10])
			f = f[11:]
		}
		if strings.Contains(f, ":") {
			if i := strings.IndexAny(f, "+-Zz"); i > 0 {
				out = append(out, f[:i], f[i:])
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func clockOf(tok string) (h, m, s int, ok bool) {
	p := strings.Split(tok, ":")
	if len(p) < 2 || len(p) > 3 {
		return 0, 0, 0, false
	}
	if len(p) == 3 {
		// Fractional seconds appear in some gateways' dates.
		p[2], _, _ = strings.Cut(p[2], ".")
	}
	v := make([]int, 3)
	for i, x := range p {
		if !isDigits(x) || len(x) > 2 {
			return 0, 0, 0, false
		}
		v[i], _ = strconv.Atoi(x)
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 60 {
		return 0, 0, 0, false
	}
	return v[0], v[1], min(v[2], 59), true
}

// numericZone reads +hhmm, -hh:mm or +hh; an absurd offset reads as -0000.
func numericZone(tok string) int {
	sign := 1
	if tok[0] == '-' {
		sign = -1
	}
	d := strings.ReplaceAll(tok[1:], ":", "")
	if !isDigits(d) {
		if off, ok := zoneOffset(d); ok { // "+GMT" style leftovers
			return off
		}
		return 0
	}
	if len(d) <= 2 {
		d += "00"
	}
	if len(d) != 4 {
		return 0
	}
	hh, _ := strconv.Atoi(d[:2])
	mm, _ := strconv.Atoi(d[2:])
	if hh > 23 || mm > 59 {
		return 0
	}
	return sign * (hh*3600 + mm*60)
}

func monthOf(tok string) int {
	if len(tok) < 3 {
		return 0
	}
	l := strings.ToLower(tok)
	for i, m := range [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(l, m) {
			return i + 1
		}
	}
	return 0
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
