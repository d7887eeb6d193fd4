package sla

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// span is a working range in minutes after local midnight, [start, end).
type span struct{ start, end int }

// Calendar counts business time in one zone. Shift boundaries are local wall-clock
// times turned into instants day by day, so DST is honoured: a boundary inside a
// spring-forward gap moves to the moment clocks jump, a range over a repeated autumn
// hour covers both occurrences, and every counted duration is real elapsed time.
//
// Per local year the calendar builds (lazily, once) a sorted list of working
// intervals with prefix sums, so Add and Elapsed are a binary search each, whatever
// the distance. A Calendar is safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	plain    bool // 24/7 without holidays: ordinary time arithmetic
	week     [7][]span
	holidays map[civil]bool
	years    *yearCache
}

// civil is a local date.
type civil struct {
	y int
	m time.Month
	d int
}

// yearTable holds the working intervals of one local year as Unix nanoseconds.
type yearTable struct {
	lo, hi int64 // local Jan 1 00:00 of the year and of the next one
	starts []int64
	ends   []int64
	cum    []int64 // cum[i] is the business time before interval i; len = len(starts)+1
}

type yearCache struct {
	mu     sync.Mutex // serialises builders; readers use the atomic snapshot
	tables atomic.Pointer[map[int]*yearTable]
}

// NewCalendar validates business hours and returns their calendar.
func NewCalendar(h BusinessHours) (Calendar, error) {
	c, err := h.compile()
	if err != nil {
		return Calendar{}, fmt.Errorf("sla: business hours: %w", err)
	}
	return c, nil
}

// compile checks business hours and returns every problem joined.
func (h BusinessHours) compile() (Calendar, error) {
	var errs []error
	var loc *time.Location
	switch {
	case strings.TrimSpace(h.TimeZone) == "":
		errs = append(errs, errors.New("time zone is empty (use an IANA name such as Europe/Berlin)"))
	case strings.EqualFold(h.TimeZone, "local"):
		// "Local" would make deadlines depend on the machine they are computed on.
		errs = append(errs, fmt.Errorf("time zone %q is not allowed (use an IANA name such as Europe/Berlin)", h.TimeZone))
	default:
		l, err := time.LoadLocation(h.TimeZone)
		if err != nil {
			errs = append(errs, fmt.Errorf("unknown time zone %q", h.TimeZone))
		}
		loc = l
	}
	c := Calendar{loc: loc, holidays: map[civil]bool{}}
	byDay := map[time.Weekday][]span{}
	if h.Always {
		for d := range 7 {
			byDay[time.Weekday(d)] = []span{{0, 24 * 60}}
		}
	} else {
		if len(h.Week) == 0 {
			errs = append(errs, errors.New("no business hours: add shifts or choose calendar hours (always)"))
		}
		for i, s := range h.Week {
			day, ok := dayNames[strings.ToLower(strings.TrimSpace(s.Day))]
			if !ok {
				errs = append(errs, fmt.Errorf("shift %d: unknown day %q (want mon..sun)", i+1, s.Day))
				continue
			}
			start, err1 := parseClock(s.Start)
			end, err2 := parseClock(s.End)
			if err1 != nil || err2 != nil {
				errs = append(errs, fmt.Errorf("shift %d (%s): %w", i+1, s.Day, errors.Join(err1, err2)))
				continue
			}
			switch {
			case end == start:
				errs = append(errs, fmt.Errorf("shift %d (%s %s-%s): empty range", i+1, s.Day, s.Start, s.End))
				continue
			case end < start:
				errs = append(errs, fmt.Errorf("shift %d (%s %s-%s): end is before start", i+1, s.Day, s.Start, s.End))
				continue
			}
			byDay[day] = append(byDay[day], span{start, end})
		}
	}
	for _, d := range sortedDays(byDay) {
		spans := byDay[d]
		sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
		for i := 1; i < len(spans); i++ {
			if spans[i].start < spans[i-1].end {
				errs = append(errs, fmt.Errorf("%s: shifts %s-%s and %s-%s overlap", shortDay(d),
					fmtClock(spans[i-1].start), fmtClock(spans[i-1].end), fmtClock(spans[i].start), fmtClock(spans[i].end)))
			}
		}
		c.week[d] = spans
	}
	for i, hd := range h.Holidays {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(hd.Date))
		if err != nil {
			errs = append(errs, fmt.Errorf("holiday %d %q: date %q is not YYYY-MM-DD", i+1, hd.Name, hd.Date))
			continue
		}
		y, m, d := t.Date()
		if c.holidays[civil{y, m, d}] {
			errs = append(errs, fmt.Errorf("holiday %d %q: date %s is listed twice", i+1, hd.Name, hd.Date))
		}
		c.holidays[civil{y, m, d}] = true
	}
	if err := errors.Join(errs...); err != nil {
		return Calendar{}, err
	}
	c.plain = h.Always && len(c.holidays) == 0
	c.years = &yearCache{}
	return c, nil
}

func shortDay(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

func fmtClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Location returns the calendar's time zone.
func (c Calendar) Location() *time.Location { return c.loc }

// Add returns the instant at which d of business time has passed since start: the
// earliest such instant, so a deadline that falls on the end of a shift is that end,
// not the next opening. d <= 0 returns start.
func (c Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	if c.plain {
		return start.Add(d)
	}
	x := start.UnixNano()
	y, t := c.table(x)
	p := t.pos(x)
	rem := int64(d)
	// A year always has business time (empty weeks are rejected), so this ends; the
	// bound only guards against a calendar made entirely of holidays.
	for range 1000 {
		total := t.cum[len(t.cum)-1]
		if total-p >= rem {
			return time.Unix(0, t.at(p+rem)).In(start.Location())
		}
		rem -= total - p
		y++
		t = c.year(y)
		p = 0
	}
	return time.Unix(0, t.hi).In(start.Location())
}

// Elapsed returns the business time between from and to (0 if to is not after from).
func (c Calendar) Elapsed(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.plain {
		return to.Sub(from)
	}
	a, b := from.UnixNano(), to.UnixNano()
	ya, ta := c.table(a)
	yb, tb := c.table(b)
	if ya == yb {
		return time.Duration(tb.pos(b) - ta.pos(a))
	}
	sum := ta.cum[len(ta.cum)-1] - ta.pos(a)
	for y := ya + 1; y < yb; y++ {
		t := c.year(y)
		sum += t.cum[len(t.cum)-1]
	}
	return time.Duration(sum + tb.pos(b))
}

// table returns the local year containing instant x and its table. The year is
// guessed from the mean Gregorian year and corrected against the table's bounds,
// which is cheaper than converting x to local time.
func (c Calendar) table(x int64) (int, *yearTable) {
	const meanYear = int64(365.2425 * 24 * 3600 * 1e9)
	y := 1970 + int(floorDiv(x, meanYear))
	for range 4 {
		t := c.year(y)
		switch {
		case x < t.lo:
			y--
		case x >= t.hi:
			y++
		default:
			return y, t
		}
	}
	y = time.Unix(0, x).In(c.loc).Year()
	return y, c.year(y)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// year returns the table of local year y, building it on first use.
func (c Calendar) year(y int) *yearTable {
	if m := c.years.tables.Load(); m != nil {
		if t, ok := (*m)[y]; ok {
			return t
		}
	}
	c.years.mu.Lock()
	defer c.years.mu.Unlock()
	old := c.years.tables.Load()
	if old != nil {
		if t, ok := (*old)[y]; ok {
			return t
		}
	}
	t := c.build(y)
	next := make(map[int]*yearTable, 8)
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[y] = t
	c.years.tables.Store(&next)
	return t
}

// build lays out every working interval of local year y.
func (c Calendar) build(y int) *yearTable {
	t := &yearTable{
		lo:     instant(y, time.January, 1, 0, c.loc, false),
		hi:     instant(y+1, time.January, 1, 0, c.loc, false),
		starts: make([]int64, 0, 600),
		ends:   make([]int64, 0, 600),
	}
	day := time.Date(y, time.January, 1, 12, 0, 0, 0, time.UTC)
	for day.Year() == y {
		yy, mm, dd := day.Date()
		if !c.holidays[civil{yy, mm, dd}] {
			for _, s := range c.week[day.Weekday()] {
				a := instant(yy, mm, dd, s.start, c.loc, false)
				b := instant(yy, mm, dd, s.end, c.loc, true)
				// Across a repeated hour adjacent shifts can overlap in real time;
				// clip so no instant counts twice.
				if n := len(t.ends); n > 0 && a < t.ends[n-1] {
					a = t.ends[n-1]
				}
				if b > a {
					t.starts = append(t.starts, a)
					t.ends = append(t.ends, b)
				}
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	t.cum = make([]int64, len(t.starts)+1)
	for i := range t.starts {
		t.cum[i+1] = t.cum[i] + t.ends[i] - t.starts[i]
	}
	return t
}

// pos returns the business time from the start of the year to instant x.
func (t *yearTable) pos(x int64) int64 {
	ends := t.ends
	i := sort.Search(len(ends), func(i int) bool { return ends[i] > x })
	if i == len(ends) || x <= t.starts[i] {
		return t.cum[i]
	}
	return t.cum[i] + x - t.starts[i]
}

// at returns the earliest instant at which the year's business time reaches p (p > 0).
func (t *yearTable) at(p int64) int64 {
	cum := t.cum
	i := sort.Search(len(t.starts), func(i int) bool { return cum[i+1] >= p })
	if i == len(t.starts) {
		return t.hi
	}
	return t.starts[i] + p - cum[i]
}

// instant turns a local wall-clock time (minutes after midnight, up to 24:00) into
// Unix nanoseconds. A time inside a spring-forward gap becomes the moment of the
// jump. A time that occurs twice (autumn) becomes its first occurrence, or its last
// when late is set, so a range covers the whole repeated hour.
func instant(y int, m time.Month, d, minutes int, loc *time.Location, late bool) int64 {
	t := time.Date(y, m, d, minutes/60, minutes%60, 0, 0, loc)
	_, off := t.Zone()
	want := time.Date(y, m, d, minutes/60, minutes%60, 0, 0, time.UTC).Unix()
	got := t.Unix() + int64(off)
	if got != want {
		// In a gap: the wall time does not exist. Use the transition next to it.
		start, end := t.ZoneBounds()
		if got > want && !start.IsZero() {
			return start.UnixNano()
		}
		if !end.IsZero() {
			return end.UnixNano()
		}
		return t.UnixNano()
	}
	start, end := t.ZoneBounds()
	if !late && !start.IsZero() {
		if _, poff := start.Add(-time.Nanosecond).Zone(); poff > off {
			if e := t.Add(-time.Duration(poff-off) * time.Second); e.Before(start) {
				return e.UnixNano()
			}
		}
	}
	if late && !end.IsZero() {
		if _, noff := end.Zone(); noff < off {
			if l := t.Add(time.Duration(off-noff) * time.Second); !l.Before(end) {
				return l.UnixNano()
			}
		}
	}
	return t.UnixNano()
}
