//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The window has no DOM to ask, so the language is switched as a person does it,
// with the sidebar's language select (a GTK popup menu in WebKitGTK), and the
// switch is seen on screen: the sidebar's labels change. Bulk selection is
// checked there too, by the checked rows' accent bars, and snooze by what Go
// stores. The UI has no marker for
// a missing text (a missing key shows as the key itself), so what a screenshot
// can prove is that the screens render and the charts draw in each language;
// i18n.test.ts proves every key exists in every language.

var (
	// langSelect is the centre of the sidebar's language select in the 1360×860
	// window that Xvfb's window manager-less screen puts at its top left.
	langSelect = image.Pt(143, 804)
	// sidebarLabels is the part of the sidebar holding screen and view names.
	sidebarLabels = image.Rect(40, 70, 250, 480)
	// neutral is a point on the thread pane's empty space, with no conversation open.
	neutral = image.Pt(1000, 700)
	// listEdge is the left edge of the conversation list, where a checked row
	// shows a 3px bar in the accent colour (inside the highlight's border).
	listEdge = image.Rect(252, 140, 262, 860)
)

// TestWindowInRussianAndGerman switches the window to Russian and to German and
// checks the inbox renders, rows can be checked and cleared and a row snoozed
// from the keyboard, and the Crisis and Analytics charts draw in each.
func TestWindowInRussianAndGerman(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		downs int // the language's place below English in the select
	}{
		{"ru", 1},
		{"de", 2},
	} {
		t.Run(tc.lang, func(t *testing.T) { checkLanguage(t, tc.lang, tc.downs) })
	}
}

func checkLanguage(t *testing.T, lang string, downs int) {
	display, a, db := startChartWindow(t, nil)
	x := xdo{t: t, display: display}
	english := waitRendered(t, display, "inbox-en")
	switchLanguage(t, x, display, crop(english, sidebarLabels), downs)
	// The select keeps the focus and would take the shortcuts' letters as its
	// type-ahead: a click on the empty thread pane gives them back to the page.
	x.run("mousemove", fmt.Sprint(neutral.X), fmt.Sprint(neutral.Y), "click", "1")
	waitRendered(t, display, "inbox-"+lang)
	checkBulkSelection(t, x, display)
	checkSnooze(t, x, db)

	crisis := func() { x.keys("g", "c") }
	crisis()
	expectChart(t, display, timelineChart, "crisis-timeline-"+lang, crisis, nil)
	expectChart(t, display, crisisChart, "crisis-stream-"+lang, crisis, nil)
	x.keys("g", "a")
	expectChart(t, display, sentimentChart, "analytics-sentiment-"+lang, func() { x.keys("g", "a"); x.scroll(5, 3) }, nil)

	if strings.Contains(a.logs.String(), "level=ERROR") {
		t.Errorf("the app logged errors:\n%s", a.logs.String())
	}
}

// waitRendered waits for a varied, non-blank screen and returns it.
func waitRendered(t *testing.T, display, name string) image.Image {
	t.Helper()
	var img image.Image
	var distinct int
	var dominant float64
	if !waitFor(60*time.Second, func() bool {
		img = screenshot(t, display)
		distinct, dominant = colourStats(img)
		return distinct > 400 && dominant < 0.9
	}) {
		path := filepath.Join(t.TempDir(), "window-"+name+".png")
		savePNG(t, img, path)
		t.Fatalf("%s: window looks blank: %d colours, dominant colour covers %.0f%% (screenshot %s)", name, distinct, dominant*100, path)
	}
	return img
}

// switchLanguage opens the language select, moves down the popup menu by
// downs entries and picks it, then waits until the sidebar's labels differ
// from before (the English ones).
func switchLanguage(t *testing.T, x xdo, display string, before image.Image, downs int) {
	t.Helper()
	var last image.Image
	changed := func() bool {
		last = screenshot(t, display)
		return differing(crop(last, sidebarLabels), before) > 0.01
	}
	for attempt := 0; attempt < 3 && !changed(); attempt++ {
		x.run("mousemove", fmt.Sprint(langSelect.X), fmt.Sprint(langSelect.Y), "click", "1")
		time.Sleep(time.Second) // the popup menu takes the keyboard once it is mapped
		keys := []string{"key", "--delay", "150"}
		for range downs {
			keys = append(keys, "Down")
		}
		x.run(append(keys, "Return")...)
		x.run("mousemove", fmt.Sprint(rest.X), fmt.Sprint(rest.Y))
		waitFor(5*time.Second, changed)
	}
	if !changed() {
		path := filepath.Join(t.TempDir(), "window-language.png")
		savePNG(t, last, path)
		t.Fatalf("the sidebar did not change language (screenshot %s)", path)
	}
}

// checkBulkSelection checks two rows with x and shift+J and sees their accent
// bars at the list's edge (about 70 pixels tall each), then clears them with Esc.
func checkBulkSelection(t *testing.T, x xdo, display string) {
	t.Helper()
	bars := func() int { return countNear(crop(screenshot(t, display), listEdge), accent, 4) }
	before := bars()
	x.keys("x", "shift+j")
	n := 0
	if !waitFor(20*time.Second, func() bool { n = bars(); return n >= before+300 }) {
		path := filepath.Join(t.TempDir(), "window-bulk.png")
		savePNG(t, screenshot(t, display), path)
		t.Errorf("x and shift+J: %d accent pixels at the list's edge, want %d more than the %d before (screenshot %s)", n, 300, before, path)
		return
	}
	t.Logf("accent pixels at the list's edge: %d before, %d with two rows checked", before, n)
	x.keys("Escape")
	if !waitFor(20*time.Second, func() bool { n = bars(); return n <= before+20 }) {
		t.Errorf("Esc left %d accent pixels at the list's edge, %d before checking", n, before)
	}
}

// checkSnooze checks the highlighted row (x), opens the snooze menu (s), whose
// first preset takes the focus, and picks it (Return); Go then holds one snooze.
func checkSnooze(t *testing.T, x xdo, db string) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	snoozed := func() int {
		s, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.Snoozed
	}
	if n := snoozed(); n != 0 {
		t.Fatalf("%d conversations snoozed before the test snoozed one", n)
	}
	x.keys("x", "s")
	time.Sleep(time.Second) // the menu moves the focus to its first preset once shown
	x.keys("Return")
	if !waitFor(30*time.Second, func() bool { return snoozed() == 1 }) {
		t.Errorf("after x, s and Return Go holds %d snoozed conversations, want 1", snoozed())
	}
}
