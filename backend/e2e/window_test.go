//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWindowRendersInbox starts the built app on an empty database under Xvfb and
// checks that the frontend reached Go through the bindings, the demo data was
// stored, and the window shows a rendered screen rather than a blank one.
func TestWindowRendersInbox(t *testing.T) {
	display := startXvfb(t)
	blank := screenshot(t, display)
	blankDistinct, _ := colourStats(blank)

	dir := t.TempDir()
	db := filepath.Join(dir, "stormdesk.db")
	a := startApp(t, display, dir, nil, "--db", db)
	logs, stop := a.logs, a.stop

	if !waitFor(90*time.Second, func() bool {
		return strings.Contains(logs.String(), "frontend ready") && strings.Contains(logs.String(), "demo data stored")
	}) {
		t.Fatalf("the frontend never called Go, or demo data was not stored; app output:\n%s", logs.String())
	}

	// The list fills after the inbox:changed event; wait for a rendered, varied screen.
	var distinct int
	var dominant float64
	rendered := waitFor(30*time.Second, func() bool {
		img := screenshot(t, display)
		distinct, dominant = colourStats(img)
		if distinct > 400 && dominant < 0.9 {
			if dir := os.Getenv("STORMDESK_SCREENSHOT_DIR"); dir != "" {
				time.Sleep(time.Second) // let the list settle for a clean picture
				savePNG(t, screenshot(t, display), filepath.Join(dir, "inbox-window.png"))
			}
			return true
		}
		return false
	})
	if !rendered {
		savePNG(t, screenshot(t, display), filepath.Join(t.TempDir(), "failed.png"))
		t.Fatalf("window looks blank: %d colours (blank screen had %d), dominant colour covers %.0f%%; app output:\n%s",
			distinct, blankDistinct, dominant*100, logs.String())
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the app logged errors:\n%s", logs.String())
	}
	stop()

	// The same database, read by the headless command of the same binary.
	out, errOut, code := runCLI(t, nil, "stats", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, errOut)
	}
	var st struct {
		Channels []struct {
			Channel string `json:"channel"`
			Open    int    `json:"open"`
		} `json:"channels"`
		Messages int64 `json:"messages"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("stats json: %v\n%s", err, out)
	}
	if st.Messages < 1000 {
		t.Errorf("demo data has %d messages, want at least 1000", st.Messages)
	}
	seen := map[string]bool{}
	for _, c := range st.Channels {
		seen[c.Channel] = true
	}
	for _, ch := range []string{"mail", "telegram", "vk", "mastodon", "youtube"} {
		if !seen[ch] {
			t.Errorf("demo data has no %s conversations (stats: %s)", ch, out)
		}
	}
}
