//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
)

// Theme colours of the light theme, which the window uses under Xvfb, read from
// frontend/src/app.css so a change of palette (the contrast work) moves the test with it.
var (
	danger   = lightToken("--danger")    // negatives
	accent   = lightToken("--accent")    // the crisis chart's baseline
	okGreen  = lightToken("--ok")        // positive sentiment
	fgSubtle = lightToken("--fg-subtle") // inbound on the timeline
)

// lightToken is the #rrggbb value of name in app.css's first (light) :root block.
func lightToken(name string) color.RGBA {
	css, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "app.css"))
	if err != nil {
		panic(fmt.Sprintf("theme colours: %v", err))
	}
	block := string(css)
	if i := strings.Index(block, ":root {"); i >= 0 {
		block = block[i:]
		block = block[:strings.Index(block, "}")]
	}
	m := regexp.MustCompile(regexp.QuoteMeta(name) + `:\s*#([0-9a-fA-F]{6})\s*;`).FindStringSubmatch(block)
	if m == nil {
		panic(fmt.Sprintf("theme colour %s not found in app.css's :root block", name))
	}
	v, _ := strconv.ParseUint(m[1], 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// chartKind says how to find one kind of chart on a screenshot: by the solid
// legend key of its negative series (its size tells the charts apart), and
// where its plot lies relative to that key.
type chartKind struct {
	name   string
	keyW   int
	keyH   int
	plotAt func(key image.Rectangle) image.Rectangle
	// series are the colours that must be drawn inside the plot, with how many pixels at least.
	series []seriesColour
}

type seriesColour struct {
	name string
	c    color.RGBA
	min  int
}

// uPlotChart is a canvas chart of the given height above its legend row (figcaption, margin 4px).
func uPlotChart(name string, keyW, keyH, height int, series ...seriesColour) chartKind {
	return chartKind{name: name, keyW: keyW, keyH: keyH, series: series, plotAt: func(k image.Rectangle) image.Rectangle {
		return image.Rect(k.Min.X-4, k.Min.Y-14-height, k.Min.X+1100, k.Min.Y-2)
	}}
}

var (
	crisisChart = uPlotChart("crisis chart", 12, 10, 220,
		seriesColour{"baseline", accent, 300}, seriesColour{"negatives", danger, 20})
	sentimentChart = uPlotChart("sentiment chart", 12, 3, 200,
		seriesColour{"negative", danger, 100}, seriesColour{"positive", okGreen, 100})
	// The timeline's volume bars (240×36 SVG) sit left of their caption, which starts with the key.
	timelineChart = chartKind{name: "crisis timeline", keyW: 10, keyH: 10,
		series: []seriesColour{{"negative", danger, 40}, {"inbound", fgSubtle, 20}},
		plotAt: func(k image.Rectangle) image.Rectangle {
			cy := (k.Min.Y + k.Max.Y) / 2
			return image.Rect(k.Min.X-10-250, cy-22, k.Min.X-2, cy+22)
		}}
)

// TestWindowDrawsCharts opens every chart screen in the built binary under Xvfb
// and counts the series' pixels inside each plot: the crisis stream chart and
// the crisis timeline on the dashboard, an alert's chart, and the Analytics
// sentiment chart. A legend under an empty box fails. It runs with WebKitGTK's
// compositing on and off, as the window may run either way.
func TestWindowDrawsCharts(t *testing.T) {
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool drives the window's keyboard and mouse: install it (make deps-apt-test)")
	}
	for _, tc := range []struct {
		name string
		env  []string
	}{
		{"composited", nil},
		{"compositing disabled", []string{"WEBKIT_DISABLE_COMPOSITING_MODE=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCharts(t, tc.env) })
	}
}

func checkCharts(t *testing.T, env []string) {
	display, a, _ := startChartWindow(t, env)
	x := xdo{t: t, display: display}
	// Keys typed while the window is still coming up can be lost, so each look
	// that finds no chart types the shortcut again. Nothing is clicked: focus
	// stays on the page's body, so shift+Tab below reaches its last control.
	crisis := func() { x.keys("g", "c") }
	crisis()
	expectChart(t, display, timelineChart, "crisis-timeline", crisis, nil)
	stream := expectChart(t, display, crisisChart, "crisis-stream", crisis, nil)

	// The last control on the dashboard is the oldest alert's row: open it, then
	// scroll its detail to the top, where its chart is. Until the detail shows,
	// the stream's chart is still on screen: the alert's must be another picture.
	x.keys("shift+Tab", "Return")
	x.scroll(4, 30)
	expectChart(t, display, crisisChart, "crisis-alert", func() { x.scroll(4, 10) }, stream)

	x.keys("g", "a")
	expectChart(t, display, sentimentChart, "analytics-sentiment", func() { x.keys("g", "a"); x.scroll(5, 3) }, nil)

	if strings.Contains(a.logs.String(), "level=ERROR") {
		t.Errorf("the app logged errors:\n%s", a.logs.String())
	}
}

// startChartWindow starts the window on the demo data with every chart
// populated, on its own Xvfb display, and returns once the page and the crisis
// monitor run. Crisis mode opened just now and a burst since: the timeline has
// one hour (the case a line chart drew nothing for) and the monitor raises an alert.
// It returns the display, the app and its database file.
func startChartWindow(t *testing.T, env []string) (string, *app, string) {
	t.Helper()
	const account = "nordlicht-bahn-telegram"
	dir := t.TempDir()
	db := filepath.Join(dir, "stormdesk.db")
	if out, errOut, code := runCLI(t, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s%s", code, out, errOut)
	}
	since := openCrisisMode(t, db, account)
	importBurst(t, dir, db, account, since)

	display := startXvfb(t)
	a := startApp(t, display, dir, env, "--db", db)
	if !waitFor(90*time.Second, func() bool {
		out := a.logs.String()
		return strings.Contains(out, "frontend ready") && strings.Contains(out, "crisis monitor watching")
	}) {
		t.Fatalf("the window did not get ready; app output:\n%s", a.logs.String())
	}
	return display, a, db
}

// openStore opens the test's database beside the app (SQLite in WAL mode
// takes a second connection); the caller closes it.
func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// openCrisisMode switches crisis mode on for account as the button does (the
// switch and its timeline entry) and returns when.
func openCrisisMode(t *testing.T, db, account string) time.Time {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	acc, err := st.AccountByName(ctx, account)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetCrisis(ctx, acc.ID, true); err != nil {
		t.Fatal(err)
	}
	since, on, err := st.CrisisSince(ctx, acc.ID)
	if err != nil || !on {
		t.Fatalf("crisis mode of %s: on=%v err=%v", account, on, err)
	}
	if _, err := st.AddCrisisEvent(ctx, store.CrisisEvent{AccountID: acc.ID, At: since, Kind: store.CrisisOpened, Text: "e2e"}); err != nil {
		t.Fatal(err)
	}
	return since
}

// importBurst imports 40 negative and 20 neutral messages for account right after since.
func importBurst(t *testing.T, dir, db, account string, since time.Time) {
	t.Helper()
	rows := []string{"id,account,time,author,sentiment,text"}
	for i := range 60 {
		at := since.Add(time.Duration(i+1) * time.Millisecond).UTC().Format(time.RFC3339Nano)
		sentiment, text := "negative", fmt.Sprintf("Der Zug fällt schon wieder aus, niemand informiert uns! #%d", i)
		if i >= 40 {
			sentiment, text = "neutral", fmt.Sprintf("Fährt der Zug um 9:12 heute? #%d", i)
		}
		rows = append(rows, fmt.Sprintf(`chart-%d,%s,%s,@rider%d,%s,"%s"`, i, account, at, i, sentiment, text))
	}
	importRows(t, dir, db, "telegram", rows)
}

// expectChart waits until a chart of kind is fully on screen with every series
// drawn inside its plot, and returns that plot's picture; unless nil, the plot
// must differ from unlike. Between looks it calls step (to scroll), if given.
// The last screenshot is saved on failure (the plot returned is then nil), and
// under STORMDESK_SCREENSHOT_DIR.
func expectChart(t *testing.T, display string, kind chartKind, shot string, step func(), unlike image.Image) image.Image {
	t.Helper()
	var last, plot image.Image
	var report string
	ok := waitFor(2*time.Minute, func() bool { // generous: the machine may be busy
		last = screenshot(t, display)
		var found bool
		found, plot, report = plotDrawn(last, kind, unlike)
		if !found && step != nil {
			step()
		}
		return found && report == ""
	})
	shot = "window-" + shot + "-" + strings.ReplaceAll(filepath.Base(t.Name()), " ", "-") + ".png"
	if dir := os.Getenv("STORMDESK_SCREENSHOT_DIR"); dir != "" {
		savePNG(t, last, filepath.Join(dir, shot))
	}
	if !ok {
		path := filepath.Join(os.TempDir(), shot)
		savePNG(t, last, path)
		if report == "" {
			report = "no legend of it in view"
		}
		// The other charts are still worth a look: report this one and go on.
		t.Errorf("%s: %s (screenshot %s)", kind.name, report, path)
		return nil
	}
	return plot
}

// plotDrawn finds the chart's legend key and counts each series' colour in its
// plot. found is false while no such chart (other than unlike) is wholly on
// screen; report says which series are missing ("" when all are drawn).
func plotDrawn(img image.Image, kind chartKind, unlike image.Image) (found bool, plot image.Image, report string) {
	for _, key := range solidBlocks(img, danger, kind.keyW, kind.keyH) {
		r := kind.plotAt(key)
		r.Max.X = min(r.Max.X, img.Bounds().Max.X)
		if !r.In(img.Bounds()) {
			continue // cut off at an edge of the screen
		}
		plot = crop(img, r)
		if unlike != nil && differing(plot, unlike) < 0.02 {
			continue
		}
		var missing []string
		for _, s := range kind.series {
			if n := countNear(plot, s.c, 40); n < s.min {
				missing = append(missing, fmt.Sprintf("%s: %d pixels of %s, want at least %d", s.name, n, hex(s.c), s.min))
			}
		}
		if len(missing) == 0 {
			return true, plot, ""
		}
		return true, plot, fmt.Sprintf("plot %v above legend key at %v lacks %s", r, key.Min, strings.Join(missing, "; "))
	}
	return false, nil, ""
}

// crop copies r out of img, so the picture outlives the screenshot.
func crop(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// differing is the share of pixels that differ between two pictures of the same size (1 when the sizes differ).
func differing(a, b image.Image) float64 {
	if a.Bounds() != b.Bounds() {
		return 1
	}
	n, all := 0, 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			all++
			if !near(a.At(x, y), color.RGBAModel.Convert(b.At(x, y)).(color.RGBA), 8) {
				n++
			}
		}
	}
	return float64(n) / float64(all)
}

// solidBlocks returns the bounding boxes of areas of exactly colour c whose size
// is w×h (one pixel less either way, for rounded corners and sub-pixel layout).
func solidBlocks(img image.Image, c color.RGBA, w, h int) []image.Rectangle {
	b := img.Bounds()
	seen := make([]bool, b.Dx()*b.Dy())
	idx := func(p image.Point) int { return (p.Y-b.Min.Y)*b.Dx() + p.X - b.Min.X }
	var out []image.Rectangle
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := image.Pt(x, y)
			if seen[idx(p)] || !near(img.At(x, y), c, 2) {
				continue
			}
			// Flood-fill the area, bounding it.
			box, n := image.Rectangle{p, p.Add(image.Pt(1, 1))}, 0
			stack := []image.Point{p}
			seen[idx(p)] = true
			for len(stack) > 0 {
				q := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				n++
				box = box.Union(image.Rectangle{q, q.Add(image.Pt(1, 1))})
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					r := q.Add(d)
					if r.In(b) && !seen[idx(r)] && near(img.At(r.X, r.Y), c, 2) {
						seen[idx(r)] = true
						stack = append(stack, r)
					}
				}
			}
			if box.Dx() >= w-1 && box.Dx() <= w && box.Dy() >= h-1 && box.Dy() <= h && n*10 >= w*h*7 {
				out = append(out, box)
			}
		}
	}
	return out
}

func countNear(img image.Image, c color.RGBA, tol int) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.At(x, y), c, tol) {
				n++
			}
		}
	}
	return n
}

// near reports whether every channel of a is within tol of c.
func near(a color.Color, c color.RGBA, tol int) bool {
	r, g, b, _ := a.RGBA()
	d := func(v uint32, w uint8) bool { x := int(v>>8) - int(w); return x <= tol && x >= -tol }
	return d(r, c.R) && d(g, c.G) && d(b, c.B)
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// xdo drives the window on an Xvfb display with xdotool. Without a window
// manager keyboard focus follows the pointer, so the pointer rests on the
// window's sidebar header, away from the charts' hover cursors and tooltips.
type xdo struct {
	t       *testing.T
	display string
}

var rest = image.Pt(100, 45)

func (x xdo) run(args ...string) {
	x.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		x.t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// keys presses each key in turn (xdotool key names).
func (x xdo) keys(keys ...string) {
	x.t.Helper()
	x.run("mousemove", fmt.Sprint(rest.X), fmt.Sprint(rest.Y))
	x.run(append([]string{"key", "--delay", "120"}, keys...)...)
}

// scroll turns the wheel over the main pane: button 4 up, 5 down.
func (x xdo) scroll(button, clicks int) {
	x.t.Helper()
	x.run("mousemove", "800", "450", "click", "--repeat", fmt.Sprint(clicks), "--delay", "30", fmt.Sprint(button))
	x.run("mousemove", fmt.Sprint(rest.X), fmt.Sprint(rest.Y))
}
