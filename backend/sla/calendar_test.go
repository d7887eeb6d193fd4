package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustCal(t testing.TB, h BusinessHours) Calendar {
	t.Helper()
	c, err := NewCalendar(h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func allDays(start, end string) []Shift {
	return weekdays(start, end, "mon", "tue", "wed", "thu", "fri", "sat", "sun")
}

func workWeek(start, end string) []Shift {
	return weekdays(start, end, "mon", "tue", "wed", "thu", "fri")
}

// at builds a local wall-clock time; it fails the test if the wall time does not exist.
func at(t testing.TB, loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	t.Helper()
	v := time.Date(y, m, d, hh, mm, 0, 0, loc)
	if v.Hour() != hh || v.Minute() != mm {
		t.Fatalf("wall time %d-%02d-%02d %02d:%02d does not exist in %s", y, m, d, hh, mm, loc)
	}
	return v
}

func TestCalendarAddElapsed(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	ny := mustLoc(t, "America/New_York")
	tokyo := mustLoc(t, "Asia/Tokyo")
	moscow := mustLoc(t, "Europe/Moscow")
	la := mustLoc(t, "America/Los_Angeles")
	utc := time.UTC

	// 24/7 expressed as shifts (not Always) so the table path, not plain arithmetic, runs.
	berlin24 := BusinessHours{TimeZone: "Europe/Berlin", Week: allDays("00:00", "24:00")}
	ny24 := BusinessHours{TimeZone: "America/New_York", Week: allDays("00:00", "24:00")}
	berlinNight := BusinessHours{TimeZone: "Europe/Berlin", Week: []Shift{{Day: "sun", Start: "01:00", End: "04:00"}}}
	split := BusinessHours{TimeZone: "Europe/Berlin", Week: append(workWeek("09:00", "12:00"), workWeek("13:00", "18:00")...)}
	office := func(tz string) BusinessHours { return BusinessHours{TimeZone: tz, Week: workWeek("09:00", "17:00")} }
	xmas := office("Europe/Berlin")
	xmas.Holidays = []Holiday{{Date: "2026-12-24", Name: "Heiligabend"}, {Date: "2026-12-25", Name: "1. Weihnachtstag"}, {Date: "2026-12-31"}}

	tests := []struct {
		name    string
		hours   BusinessHours
		start   time.Time
		d       time.Duration
		want    time.Time
		elapsed bool // also check Elapsed(start, want) == d
	}{
		{"berlin spring forward 24h shifts skip the missing hour", berlin24,
			at(t, berlin, 2026, 3, 28, 23, 0), 5 * time.Hour, at(t, berlin, 2026, 3, 29, 5, 0), true},
		{"berlin autumn repeated hour counts twice", berlin24,
			at(t, berlin, 2026, 10, 24, 23, 0), 5 * time.Hour, at(t, berlin, 2026, 10, 25, 3, 0), true},
		{"berlin night shift on spring sunday is 2 real hours", berlinNight,
			at(t, berlin, 2026, 3, 29, 0, 0), 2 * time.Hour, at(t, berlin, 2026, 3, 29, 4, 0), true},
		{"berlin night shift on spring sunday, 3h rolls a week", berlinNight,
			at(t, berlin, 2026, 3, 29, 0, 0), 3 * time.Hour, at(t, berlin, 2026, 4, 5, 2, 0), true},
		{"berlin night shift on autumn sunday is 4 real hours", berlinNight,
			at(t, berlin, 2026, 10, 25, 0, 0), 4 * time.Hour, at(t, berlin, 2026, 10, 25, 4, 0), true},
		{"berlin office across the DST weekend", office("Europe/Berlin"),
			at(t, berlin, 2026, 3, 27, 16, 0), 2 * time.Hour, at(t, berlin, 2026, 3, 30, 10, 0), true},
		{"berlin office across the autumn weekend", office("Europe/Berlin"),
			at(t, berlin, 2026, 10, 23, 16, 30), time.Hour, at(t, berlin, 2026, 10, 26, 9, 30), true},
		{"new york spring forward", ny24,
			at(t, ny, 2026, 3, 8, 0, 0), 3 * time.Hour, at(t, ny, 2026, 3, 8, 4, 0), true},
		{"new york fall back", ny24,
			at(t, ny, 2026, 11, 1, 0, 0), 3 * time.Hour, at(t, ny, 2026, 11, 1, 2, 0), true},
		{"split shift: 12:30 waits until 13:00", split,
			at(t, berlin, 2026, 6, 1, 12, 30), 30 * time.Minute, at(t, berlin, 2026, 6, 1, 13, 30), true},
		{"split shift: deadline at the lunch break is 12:00", split,
			at(t, berlin, 2026, 6, 1, 11, 0), time.Hour, at(t, berlin, 2026, 6, 1, 12, 0), true},
		{"deadline at end of day is 17:00, not next morning", office("Europe/Berlin"),
			at(t, berlin, 2026, 6, 1, 9, 0), 8 * time.Hour, at(t, berlin, 2026, 6, 1, 17, 0), true},
		{"message on a holiday waits for the next working day", xmas,
			at(t, berlin, 2026, 12, 25, 10, 0), time.Hour, at(t, berlin, 2026, 12, 28, 10, 0), true},
		{"holidays across the year boundary", xmas,
			at(t, berlin, 2026, 12, 30, 16, 0), 2 * time.Hour, at(t, berlin, 2027, 1, 1, 10, 0), true},
		{"tokyo (east of UTC) friday evening to monday", office("Asia/Tokyo"),
			at(t, tokyo, 2026, 3, 6, 16, 30), time.Hour, at(t, tokyo, 2026, 3, 9, 9, 30), true},
		{"moscow (east of UTC): 05:30 UTC is 08:30 local, waits for 09:00", office("Europe/Moscow"),
			time.Date(2026, 3, 2, 5, 30, 0, 0, utc), time.Hour, at(t, moscow, 2026, 3, 2, 10, 0), true},
		{"los angeles (west of UTC) friday evening over DST start", office("America/Los_Angeles"),
			at(t, la, 2026, 3, 6, 16, 30), time.Hour, at(t, la, 2026, 3, 9, 9, 30), true},
		{"ten weeks of business hours", office("UTC"),
			time.Date(2026, 1, 5, 9, 0, 0, 0, utc), 400 * time.Hour, time.Date(2026, 3, 13, 17, 0, 0, 0, utc), true},
		{"calendar hours are plain time", BusinessHours{TimeZone: "Europe/Berlin", Always: true},
			at(t, berlin, 2026, 3, 28, 23, 0), 5 * time.Hour, at(t, berlin, 2026, 3, 29, 5, 0), true},
		{"calendar hours with a holiday skip that day", BusinessHours{TimeZone: "UTC", Always: true, Holidays: []Holiday{{Date: "2026-05-01"}}},
			time.Date(2026, 4, 30, 23, 0, 0, 0, utc), 2 * time.Hour, time.Date(2026, 5, 2, 1, 0, 0, 0, utc), true},
		{"zero duration returns start even off hours", office("UTC"),
			time.Date(2026, 1, 3, 3, 0, 0, 0, utc), 0, time.Date(2026, 1, 3, 3, 0, 0, 0, utc), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCal(t, tt.hours)
			got := c.Add(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", tt.start, tt.d, got, tt.want)
			}
			if tt.elapsed {
				if e := c.Elapsed(tt.start, got); e != tt.d {
					t.Errorf("Elapsed(%s, %s) = %s, want %s", tt.start, got, e, tt.d)
				}
			}
		})
	}
}

func TestCalendarElapsedDSTDays(t *testing.T) {
	tests := []struct {
		name string
		tz   string
		y    int
		m    time.Month
		d    int
		want time.Duration
	}{
		{"berlin spring sunday", "Europe/Berlin", 2026, 3, 29, 23 * time.Hour},
		{"berlin autumn sunday", "Europe/Berlin", 2026, 10, 25, 25 * time.Hour},
		{"berlin ordinary day", "Europe/Berlin", 2026, 6, 14, 24 * time.Hour},
		{"new york spring", "America/New_York", 2026, 3, 8, 23 * time.Hour},
		{"new york fall", "America/New_York", 2026, 11, 1, 25 * time.Hour},
		{"los angeles spring", "America/Los_Angeles", 2026, 3, 8, 23 * time.Hour},
		{"tokyo has no DST", "Asia/Tokyo", 2026, 3, 29, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoc(t, tt.tz)
			c := mustCal(t, BusinessHours{TimeZone: tt.tz, Week: allDays("00:00", "24:00")})
			from := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, loc)
			to := time.Date(tt.y, tt.m, tt.d+1, 0, 0, 0, 0, loc)
			if got := c.Elapsed(from, to); got != tt.want {
				t.Errorf("Elapsed over %s = %s, want %s", from.Format("2006-01-02"), got, tt.want)
			}
		})
	}
}

func TestCalendarGapBoundaries(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	tests := []struct {
		name  string
		shift Shift
		day   time.Time // local midnight
		want  time.Duration
	}{
		// 02:30 does not exist on 2026-03-29: the shift starts when clocks jump to 03:00.
		{"start inside spring gap", Shift{Day: "sun", Start: "02:30", End: "05:00"}, time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), 2 * time.Hour},
		{"shift entirely inside spring gap", Shift{Day: "sun", Start: "02:00", End: "03:00"}, time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), 0},
		// 02:00-03:00 happens twice on 2026-10-25: both occurrences count.
		{"shift over the repeated hour", Shift{Day: "sun", Start: "02:00", End: "03:00"}, time.Date(2026, 10, 25, 0, 0, 0, 0, berlin), 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCal(t, BusinessHours{TimeZone: "Europe/Berlin", Week: []Shift{tt.shift}})
			if got := c.Elapsed(tt.day, tt.day.Add(30*time.Hour)); got != tt.want {
				t.Errorf("business time on %s = %s, want %s", tt.day.Format("2006-01-02"), got, tt.want)
			}
		})
	}
	// Adjacent shifts meeting inside the repeated hour must not count it twice.
	c := mustCal(t, BusinessHours{TimeZone: "Europe/Berlin", Week: []Shift{{Day: "sun", Start: "00:00", End: "02:30"}, {Day: "sun", Start: "02:30", End: "06:00"}}})
	day := time.Date(2026, 10, 25, 0, 0, 0, 0, berlin)
	if got := c.Elapsed(day, day.Add(30*time.Hour)); got != 7*time.Hour {
		t.Errorf("adjacent shifts over the repeated hour = %s, want 7h", got)
	}
}

// TestCalendarAddInvertsElapsed checks on random inputs that Add returns the earliest
// instant at which exactly d of business time has passed.
func TestCalendarAddInvertsElapsed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	hours := []BusinessHours{
		{TimeZone: "Europe/Berlin", Week: append(workWeek("09:00", "12:00"), workWeek("13:00", "18:00")...), Holidays: []Holiday{{Date: "2026-04-03"}, {Date: "2026-12-25"}}},
		{TimeZone: "America/New_York", Week: append(allDays("01:30", "02:30"), Shift{Day: "sat", Start: "08:00", End: "24:00"})},
		{TimeZone: "Asia/Tokyo", Week: workWeek("10:00", "19:00")},
		{TimeZone: "America/Los_Angeles", Week: allDays("00:00", "24:00")},
	}
	base := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, h := range hours {
		c := mustCal(t, h)
		for range 2000 {
			start := base.Add(time.Duration(rng.Int64N(int64(500 * 24 * time.Hour))))
			d := time.Duration(rng.Int64N(int64(300*time.Hour))) + time.Second
			got := c.Add(start, d)
			if e := c.Elapsed(start, got); e != d {
				t.Fatalf("%s: Elapsed(%s, Add(.., %s)=%s) = %s", h.TimeZone, start, d, got, e)
			}
			if e := c.Elapsed(start, got.Add(-time.Nanosecond)); e >= d {
				t.Fatalf("%s: Add(%s, %s) = %s is not the earliest instant", h.TimeZone, start, d, got)
			}
		}
	}
}

func BenchmarkCalendarAdd(b *testing.B) {
	c := mustCal(b, BusinessHours{TimeZone: "Europe/Berlin", Week: append(workWeek("09:00", "12:00"), workWeek("13:00", "18:00")...)})
	start := time.Date(2026, 3, 27, 16, 0, 0, 0, time.UTC)
	for b.Loop() {
		start = c.Add(start, 3*time.Hour)
		if start.Year() > 2030 {
			start = time.Date(2026, 3, 27, 16, 0, 0, 0, time.UTC)
		}
	}
}

// TestCalendarConcurrent builds year tables from several goroutines at once; run
// with -race it proves the lazy cache is safe to share.
func TestCalendarConcurrent(t *testing.T) {
	c := mustCal(t, BusinessHours{TimeZone: "Europe/Berlin", Week: workWeek("09:00", "17:00")})
	want := c.Elapsed(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	c = mustCal(t, BusinessHours{TimeZone: "Europe/Berlin", Week: workWeek("09:00", "17:00")})
	done := make(chan time.Duration)
	for range 4 {
		go func() {
			done <- c.Elapsed(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		}()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("concurrent Elapsed = %s, want %s", got, want)
		}
	}
}
