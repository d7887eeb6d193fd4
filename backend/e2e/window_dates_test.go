//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var datesResultRE = regexp.MustCompile(`dates-result (\{.*\})`)

type datesResult struct {
	scriptReport
	Lang        string `json:"lang"`
	Focused     bool   `json:"focused"`
	Placeholder string `json:"placeholder"`
	From        string `json:"from"`
	To          string `json:"to"`
	Invalid     bool   `json:"invalid"`
	Message     string `json:"message"`
	Shown       int    `json:"shown"`
	Want        int    `json:"want"`
	Until       string `json:"until"`
	// A point on the screen, for xdotool.
	X int `json:"x"`
	Y int `json:"y"`
}

// dateWords are, per language, how a day is typed and what the range's error says.
var dateWords = map[string]struct {
	placeholder, invalid string
	day                  func(time.Time) string
}{
	"ru": {"ДД.ММ.ГГГГ", "Введите дату в виде ДД.ММ.ГГГГ", func(d time.Time) string { return d.Format("2.1.2006") }},
	"de": {"TT.MM.JJJJ", "Geben Sie ein Datum als TT.MM.JJJJ ein", func(d time.Time) string { return d.Format("02.01.2006") }},
}

// TestWindowTypedDates types days and a time into the real window (WebKitGTK
// under Xvfb, keys from xdotool) in Russian and German, on a system whose
// locale is English: WebKitGTK's own date field would show 12/05/2026 there.
// The Analytics range takes days as the language writes them, names a day
// that does not exist in the page's language, and once applied shows what Go
// counts for those days; its calendar opens on the day and picks another from
// the keyboard and with the mouse; the snooze menu takes a day and a 24-hour time and
// Go holds exactly that local time. Screenshots go to STORMDESK_WINDOW_SHOTS
// when set (else the test's temp dir).
func TestWindowTypedDates(t *testing.T) {
	t.Setenv("STORMDESK_BIN", evalBinary(t))
	display := startXvfb(t)
	x := xdo{t: t, display: display}
	w, shots := startDemoEvalWindow(t, display)
	today := time.Now()
	from, to := today.AddDate(0, 0, -6), today.AddDate(0, 0, -2)
	typeText := func(s string) { x.run("type", "--delay", "80", s) }

	for _, lang := range []string{"ru", "de"} {
		words := dateWords[lang]
		focus := `
    await go('analytics', '[data-custom-range]');
    const f = await wait('[data-range-from]');
    f.focus();
    f.select();
    await new Promise((r) => setTimeout(r, 300));
    report({ lang: document.documentElement.lang, focused: document.activeElement === f, placeholder: f.placeholder });`
		r := w.datesScript(t, "focus the range", lang, focus)
		if r.Lang != lang || !r.Focused {
			t.Fatalf("%s: the page is in %q, the first day's field focused: %v", lang, r.Lang, r.Focused)
		}
		if r.Placeholder != words.placeholder {
			t.Errorf("%s: the day's field asks for %q, want %q", lang, r.Placeholder, words.placeholder)
		}
		typeText(fmt.Sprintf("31.02.%d", today.Year()))
		x.run("key", "Tab", "Tab", "ctrl+a") // past the calendar button to the last day
		typeText(words.day(to))
		x.run("key", "Return")
		bad := w.datesScript(t, "a day that does not exist", lang, `
    const f = await wait('[data-range-from]');
    const msg = await wait('.analytics-screen p.error[role=alert]');
    report({ lang: document.documentElement.lang, from: f.value, invalid: f.getAttribute('aria-invalid') === 'true', message: msg.textContent.trim() });`)
		if !bad.Invalid || !strings.Contains(bad.Message, words.invalid) {
			t.Errorf("%s: after 31.02 the field is marked %v and the page says %q, want %q", lang, bad.Invalid, bad.Message, words.invalid)
		}
		w.datesScript(t, "focus the range", lang, focus)
		typeText(words.day(from))
		x.run("key", "Return")
		got := w.datesScript(t, "the range applied", lang, fmt.Sprintf(`
    const FROM = %q, TO = %q;
    const want = await window.go.main.AnalyticsService.Overview({ days: 0, from: FROM, to: TO, accountId: 0, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const summary = await wait('.analytics-screen .summary[data-inbound]');
    for (let i = 0; i < 100 && Number(summary.dataset.inbound) !== want.inbound; i++) await new Promise((r) => setTimeout(r, 100));
    document.querySelector('[data-range-from]').blur();
    await new Promise((r) => setTimeout(r, 200));
    report({ lang: document.documentElement.lang, from: document.querySelector('[data-range-from]').value, to: document.querySelector('[data-range-to]').value,
      message: document.querySelector('.analytics-screen p.error[role=alert]')?.textContent ?? '', shown: Number(summary.dataset.inbound), want: want.inbound });`,
			from.Format("2006-01-02"), to.Format("2006-01-02")))
		savePNG(t, screenshot(t, display), filepath.Join(shots, "analytics-range-"+lang+".png"))
		if got.Want == 0 || got.Shown != got.Want {
			t.Errorf("%s: the page counts %d messages for %s–%s, Go %d", lang, got.Shown, words.day(from), words.day(to), got.Want)
		}
		if got.Message != "" {
			t.Errorf("%s: the page still says %q", lang, got.Message)
		}
		if got.From != from.Format("02.01.2006") || got.To != to.Format("02.01.2006") {
			t.Errorf("%s: the fields read %q and %q, want the days in full as %s writes them", lang, got.From, got.To, lang)
		}

		// The last day's calendar, from the keyboard: Alt+Down opens it on the day, Right and Return pick the next.
		w.datesScript(t, "focus the last day", lang, `
    const f = await wait('[data-range-to]');
    f.focus();
    report({ lang: document.documentElement.lang, focused: document.activeElement === f });`)
		x.run("key", "alt+Down")
		cal := w.datesScript(t, "the calendar", lang, `
    await wait('[data-calendar] button[data-day]:focus');
    report({ lang: document.documentElement.lang, message: document.querySelector('[data-month-label]').textContent, to: document.activeElement.dataset.day });`)
		if cal.To != to.Format("2006-01-02") {
			t.Errorf("%s: the calendar opened with %q focused, want the last day %s", lang, cal.To, to.Format("2006-01-02"))
		}
		savePNG(t, screenshot(t, display), filepath.Join(shots, "calendar-"+lang+".png"))
		x.run("key", "Right", "Return")
		picked := w.datesScript(t, "the picked day", lang, `
    for (let i = 0; i < 50 && document.querySelector('[data-calendar]'); i++) await new Promise((r) => setTimeout(r, 100));
    report({ lang: document.documentElement.lang, to: document.querySelector('[data-range-to]').value, focused: document.activeElement === document.querySelector('[data-range-to]') });`)
		if next := to.AddDate(0, 0, 1).Format("02.01.2006"); picked.To != next || !picked.Focused {
			t.Errorf("%s: after Right and Return the last day reads %q (focus back on it: %v), want %s", lang, picked.To, picked.Focused, next)
		}

		// And with the mouse: the button opens it, a click on a day picks it (the click must
		// not lose the calendar to the field's focus leaving first).
		day := from.AddDate(0, 0, 1)
		clickOn := func(name, selector string) {
			at := w.datesScript(t, name, lang, fmt.Sprintf(`
    const r = (await wait(%q)).getBoundingClientRect();
    report({ lang: document.documentElement.lang, x: Math.round(screenX + r.left + r.width / 2), y: Math.round(screenY + r.top + r.height / 2) });`, selector))
			x.run("mousemove", fmt.Sprint(at.X), fmt.Sprint(at.Y), "click", "1")
		}
		clickOn("the first day's calendar", "[data-range-from] ~ [data-date-pick]")
		clickOn("a day on the calendar", fmt.Sprintf(`[data-calendar] button[data-day="%s"]`, day.Format("2006-01-02")))
		x.run("mousemove", fmt.Sprint(rest.X), fmt.Sprint(rest.Y))
		clicked := w.datesScript(t, "the clicked day", lang, `
    for (let i = 0; i < 50 && document.querySelector('[data-calendar]'); i++) await new Promise((r) => setTimeout(r, 100));
    report({ lang: document.documentElement.lang, from: document.querySelector('[data-range-from]').value });`)
		if want := day.Format("02.01.2006"); clicked.From != want {
			t.Errorf("%s: after a click on %s in the calendar the first day reads %q", lang, want, clicked.From)
		}
	}

	// The snooze menu's day and time, in German.
	w.datesScript(t, "open the snooze menu", "de", `
    await go('inbox', '[role=listbox] .row');
    document.querySelector('[role=listbox] .row').click();
    (await wait('[data-action=snooze]')).click();
    const d = await wait('[data-snooze-menu] input[data-snooze-date]');
    d.focus();
    d.select();
    await new Promise((r) => setTimeout(r, 300));
    report({ lang: document.documentElement.lang, focused: document.activeElement === d, placeholder: d.placeholder });`)
	until := time.Date(today.Year(), today.Month(), today.Day()+3, 7, 5, 0, 0, time.Local)
	typeText(until.Format("2.1.2006"))
	x.run("key", "Tab", "Tab", "ctrl+a") // past the calendar button to the time
	typeText("7:05")
	savePNG(t, screenshot(t, display), filepath.Join(shots, "snooze-custom-de.png"))
	x.run("key", "Return")
	s := w.datesScript(t, "snoozed", "de", `
    for (let i = 0; i < 100 && document.querySelector('[data-snooze-menu]'); i++) await new Promise((r) => setTimeout(r, 100));
    const res = await window.go.main.InboxService.Conversations({ status: '', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '',
      unassigned: false, mine: false, order: 'newest', cursor: '', limit: 5, snoozed: true });
    report({ lang: document.documentElement.lang, until: res.items.length === 1 ? res.items[0].snoozedUntil : String(res.items.length) + ' snoozed',
      message: document.querySelector('[data-snooze-error]')?.textContent ?? '' });`)
	at, err := time.Parse(time.RFC3339, s.Until)
	if err != nil || !at.Equal(until) {
		t.Errorf("after typing %s 7:05 Go holds the snooze until %q (%v), want %s; the menu says %q", until.Format("2.1.2006"), s.Until, err, until.Format(time.RFC3339), s.Message)
	}
}

// datesScript runs steps in the page in lang and returns their report.
func (w *evalWindow) datesScript(t *testing.T, name, lang, steps string) datesResult {
	t.Helper()
	return langScript[datesResult](t, w, "dates-result", datesResultRE, name, lang, steps)
}
