//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// TestWindowAxe runs axe-core (WCAG 2.1 A and AA rules, as frontend/e2e/a11y.test.mjs
// does in Chromium) inside the real window's WebKitGTK under Xvfb: the inbox, a thread,
// Crisis, Analytics and Settings in the light and dark themes, and the first screen of
// a desktop without a choice (choose, the server form, its error, the compare step
// against a real team server). 0 violations.
//
// WebKitGTK has no remote protocol a test can drive without developer extras, so the
// test builds the binary once more with the e2e tag: only that build runs the scripts
// the test drops into STORMDESK_E2E_EVAL_DIR (e2e_eval.go), and they report through the
// Wails runtime's log. The page and the WebKit engine are the shipped ones.
func TestWindowAxe(t *testing.T) {
	axeSrc := readFile(t, filepath.Join("..", "..", "frontend", "node_modules", "axe-core", "axe.min.js"))
	t.Setenv("STORMDESK_BIN", evalBinary(t))
	display := startXvfb(t)

	t.Run("screens", func(t *testing.T) {
		dir := t.TempDir()
		w := startEvalWindow(t, display, dir, axeSrc, "--db", filepath.Join(dir, "stormdesk.db"))
		if !waitFor(90*time.Second, func() bool {
			l := w.app.logs.String()
			return strings.Contains(l, "frontend ready") && strings.Contains(l, "demo data stored")
		}) {
			t.Fatalf("the window never showed the demo data; app output:\n%s", w.app.logs.String())
		}
		for _, theme := range []string{"light", "dark"} {
			for _, s := range []struct{ name, steps string }{
				{"inbox", `await go('inbox', '[role=listbox] .row');`},
				{"thread", `await go('inbox', '[role=listbox] .row'); (await wait('[role=listbox] .row')).click(); await wait('.thread .messages > *');`},
				{"crisis", `await go('crisis', '.crisis-screen .card');`},
				{"analytics", `await go('analytics', '.analytics-screen section.block');`},
				{"analytics calendar", `await go('analytics', '.analytics-screen section.block'); document.querySelector('[data-custom-range] [data-date-pick]').click(); await wait('[data-calendar]');`},
				{"settings", `await go('settings', '.settings-screen section');`},
			} {
				w.check(t, s.name, theme, s.steps)
			}
		}
	})

	t.Run("first screen", func(t *testing.T) {
		dsn, keyPath, _ := initTeamDB(t, "a11yjoin")
		srv := startTeamServer(t, dsn, keyPath, tlscert.New(t), t.TempDir(), "127.0.0.1:0")
		home := t.TempDir()
		// No --db and no choice recorded: the window asks first (alone or in a team).
		w := startEvalWindow(t, display, home, axeSrc)
		if !waitFor(90*time.Second, func() bool { return strings.Contains(w.app.logs.String(), "offer=true") }) {
			t.Fatalf("the first screen was not offered; app output:\n%s", w.app.logs.String())
		}
		// A port nothing listens on: the probe fails and the form says so.
		fill := func(server string) string {
			return fmt.Sprintf(`(await wait('[data-action=join-team]')).click();
				const f = await wait('form.form');
				const set = (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); };
				set(f.querySelector('input[name=server]'), %q);
				f.querySelector('input[name=using][value=token]').click();
				set(await wait('input[name=token]'), 'a'.repeat(64));`, server)
		}
		for _, lang := range []string{"en", "ru", "de"} {
			for _, theme := range []string{"light", "dark"} {
				for _, s := range []struct{ name, steps string }{
					{"first screen: choose", `await wait('[data-action=join-alone]');`},
					{"first screen: server form", `(await wait('[data-action=join-team]')).click(); await wait('form.form input[name=server]');`},
					{"first screen: probe error", fill("127.0.0.1:9") + `(await wait('[data-action=join-continue]:not([disabled])')).click(); await wait('[data-testid=join-error]');`},
					{"first screen: compare", fill(srv.addr) + `(await wait('[data-action=join-continue]:not([disabled])')).click(); await wait('[data-testid=join-fingerprint]');`},
				} {
					// Each state starts from the choice in its language: the page is loaded again
					// (the theme and the language stay in localStorage).
					w.checkLang(t, s.name, lang, theme, fmt.Sprintf(`if (localStorage.getItem('stormdesk.lang') !== %q || !document.querySelector('[data-action=join-alone]')) {
						localStorage.setItem('stormdesk.lang', %q); location.reload(); return 'reload'; }`, lang, lang)+s.steps)
				}
			}
		}
	})
}

// evalBinary builds the app with the e2e tag (frontend/dist as it is), once per test run,
// unless STORMDESK_E2E_EVAL_BIN names one.
func evalBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("STORMDESK_E2E_EVAL_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "stormdesk-e2e")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "sqlite_fts5 webkit2_41 desktop production e2e", "-o", bin, ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the e2e binary: %v\n%s", err, out)
	}
	return bin
}

// evalWindow is a window whose page runs the scripts the test drops into dir.
type evalWindow struct {
	app     *app
	display string
	dir     string
	axe     string
	seq     int
}

func startEvalWindow(t *testing.T, display, home, axeSrc string, args ...string) *evalWindow {
	t.Helper()
	dir := t.TempDir()
	w := &evalWindow{display: display, dir: dir, axe: axeSrc}
	env := []string{"STORMDESK_E2E_EVAL_DIR=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "LANG=en_US.UTF-8", "LANGUAGE=en"}
	w.app = startApp(t, display, home, env, args...)
	return w
}

// startDemoEvalWindow starts the e2e build's window on `stormdesk demo`
// data and waits until its page is ready; it also answers where the test's
// screenshots go: STORMDESK_WINDOW_SHOTS when set, else a temp dir.
func startDemoEvalWindow(t *testing.T, display string) (w *evalWindow, shots string) {
	t.Helper()
	shots = os.Getenv("STORMDESK_WINDOW_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	home := t.TempDir()
	db := filepath.Join(home, "stormdesk.db")
	if out, errOut, code := runCLI(t, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s%s", code, out, errOut)
	}
	w = startEvalWindow(t, display, home, "", "--db", db)
	if !waitFor(90*time.Second, func() bool { return strings.Contains(w.app.logs.String(), "frontend ready") }) {
		t.Fatalf("the window did not get ready; app output:\n%s", w.app.logs.String())
	}
	return w, shots
}

var axeResultRE = regexp.MustCompile(`a11y-result (\{.*\})`)

type axeResult struct {
	Seq    int    `json:"seq"`
	Lang   string `json:"lang"`
	Theme  string `json:"theme"`
	Reload bool   `json:"reload"`
	Error  string `json:"error"`
	// ContrastChecked counts the elements whose contrast axe checked and passed: a state
	// that is not what the test thinks (an empty page) shows here rather than as 0 violations.
	ContrastChecked int `json:"contrastChecked"`
	Violations      []struct {
		ID    string   `json:"id"`
		Help  string   `json:"help"`
		Nodes []string `json:"nodes"`
	} `json:"violations"`
}

// check reaches a state with steps (JavaScript in an async function with wait(selector)
// and go(screen, readySelector)) in theme, runs axe on the whole document and fails the
// test on any violation. Steps that return 'reload' are run again on the new page.
func (w *evalWindow) check(t *testing.T, name, theme, steps string) {
	t.Helper()
	w.checkLang(t, name, "", theme, steps)
}

// checkLang is check for a page that must be in lang ("" takes the page's own).
func (w *evalWindow) checkLang(t *testing.T, name, lang, theme, steps string) {
	t.Helper()
	for attempt := 0; attempt < 3; attempt++ {
		r := w.run(t, name, theme, steps)
		if r.Reload {
			time.Sleep(3 * time.Second) // a script dropped while the page loads could be lost
			continue
		}
		if r.Error != "" {
			failShot(t, w.display)
			t.Fatalf("%s (%s): %s", name, theme, r.Error)
		}
		if r.Theme != theme {
			t.Fatalf("%s: the page is in the %q theme, want %q", name, r.Theme, theme)
		}
		if lang != "" && r.Lang != lang {
			t.Fatalf("%s: the page is in %q, want %q", name, r.Lang, lang)
		}
		if r.ContrastChecked < 5 {
			failShot(t, w.display)
			t.Errorf("%s (%s): axe checked the contrast of %d elements only: not the screen the test meant", name, theme, r.ContrastChecked)
		}
		for _, v := range r.Violations {
			t.Errorf("%s (%s, %s): %s — %s\n    %s", name, r.Lang, theme, v.ID, v.Help, strings.Join(v.Nodes, "\n    "))
		}
		t.Logf("%s (%s, %s): %d violations, contrast of %d elements passed", name, r.Lang, theme, len(r.Violations), r.ContrastChecked)
		return
	}
	t.Fatalf("%s (%s): the page kept reloading", name, theme)
}

// run drops one script (axe first, when the page has none) and waits for its report.
func (w *evalWindow) run(t *testing.T, name, theme, steps string) axeResult {
	t.Helper()
	w.seq++
	seq := w.seq
	js := reportingScript("a11y-result", seq, fmt.Sprintf(`%s
    localStorage.setItem('stormdesk.theme', %q);
    document.documentElement.setAttribute('data-theme', %q);
    const step = await (async () => { %s })();
    if (step === 'reload') return report({ reload: true });
    // Transitions (a theme change, a panel sliding in) end before axe reads colours.
    await new Promise((r) => setTimeout(r, 800));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations', 'passes'] });
    const contrast = res.passes.find((p) => p.id === 'color-contrast');
    report({
      contrastChecked: contrast ? contrast.nodes.length : 0,
      lang: document.documentElement.lang,
      theme: document.documentElement.getAttribute('data-theme'),
      violations: res.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 8).map((n) => n.target.join(' ') + ': ' + String(n.failureSummary).replace(/\n/g, ' ')) })),
    });`, pageHelpersJS, theme, theme, steps))
	// axe is (re)loaded before each script: a reload drops it, and defining it again is cheap.
	w.drop(t, fmt.Sprintf("%06d-a-axe.js", seq), "if (typeof window.axe !== 'object') {\n"+w.axe+"\n}")
	w.drop(t, fmt.Sprintf("%06d-b-%s.js", seq, "state"), js)
	return awaitReport(t, w, name+" ("+theme+")", axeResultRE, func(r axeResult) int { return r.Seq }, seq)
}

// reportingScript wraps body, a script for the window, in an async function
// that defines report(o): o, with seq, logged through the runtime as a line
// starting with tag, which the test reads back from the app's log. An
// exception is reported as {error}, so a failing script never leaves the
// test waiting for a report that will not come.
func reportingScript(tag string, seq int, body string) string {
	return fmt.Sprintf(`(async () => {
  const report = (o) => window.runtime.LogError(%q + ' ' + JSON.stringify({ seq: %d, ...o }));
  try {
%s
  } catch (e) {
    report({ error: String(e && e.message ? e.message + ' ' + (e.stack || '') : e) });
  }
})();`, tag, seq, body)
}

// pageHelpersJS defines, for a script the window runs, wait(selector) (the
// first element matching, waited for up to 30 s) and go(screen, ready) (a
// sidebar screen opened, then ready waited for).
const pageHelpersJS = `    const wait = async (sel) => {
      for (let i = 0; i < 300; i++) {
        const el = document.querySelector(sel);
        if (el) return el;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('nothing matches ' + sel);
    };
    const go = async (screen, ready) => {
      (await wait('nav.sidebar .screen[data-screen=' + screen + ']')).click();
      return wait(ready);
    };`

// awaitReport waits for the report numbered seq that a dropped script logs
// (re's first group is its JSON) and decodes it.
func awaitReport[T any](t *testing.T, w *evalWindow, name string, re *regexp.Regexp, seqOf func(T) int, seq int) T {
	t.Helper()
	var res T
	if !waitFor(120*time.Second, func() bool {
		for _, m := range re.FindAllStringSubmatch(w.app.logs.String(), -1) {
			var r T
			if json.Unmarshal([]byte(m[1]), &r) == nil && seqOf(r) == seq {
				res = r
				return true
			}
		}
		return false
	}) {
		t.Fatalf("%s: no report from the page; app output:\n%s", name, w.app.logs.String())
	}
	return res
}

// scriptReport is what every report of a dropped script carries: its number,
// that the page reloaded instead (the script switched its language), or the
// script's exception.
type scriptReport struct {
	Seq    int    `json:"seq"`
	Reload bool   `json:"reload"`
	Error  string `json:"error"`
}

func (r scriptReport) report() scriptReport { return r }

// runScript drops the script script(seq) makes (reported under tag, read
// back with re) and returns its report; a reload drops it again on the new
// page, an exception fails the test with a screenshot.
func runScript[T interface{ report() scriptReport }](t *testing.T, w *evalWindow, name string, re *regexp.Regexp, script func(seq int) string) T {
	t.Helper()
	for attempt := 0; attempt < 3; attempt++ {
		w.seq++
		seq := w.seq
		w.drop(t, fmt.Sprintf("%06d-script.js", seq), script(seq))
		res := awaitReport(t, w, name, re, func(r T) int { return r.report().Seq }, seq)
		if res.report().Reload {
			time.Sleep(3 * time.Second) // a script dropped while the page loads could be lost
			continue
		}
		if e := res.report().Error; e != "" {
			failShot(t, w.display)
			t.Fatalf("%s: %s", name, e)
		}
		return res
	}
	t.Fatalf("%s: the page kept reloading", name)
	var zero T
	return zero
}

// langScript runs steps (with wait and go, pageHelpersJS) in the page in
// lang, switching the language with a reload first, and returns their
// report, logged under tag and read back with re.
func langScript[T interface{ report() scriptReport }](t *testing.T, w *evalWindow, tag string, re *regexp.Regexp, name, lang, steps string) T {
	t.Helper()
	return runScript[T](t, w, name+" ("+lang+")", re, func(seq int) string {
		return reportingScript(tag, seq, fmt.Sprintf(`    const LANG = %q;
%s
    if (localStorage.getItem('stormdesk.lang') !== LANG || !document.querySelector('nav.sidebar')) {
      localStorage.setItem('stormdesk.lang', LANG);
      location.reload();
      return report({ reload: true });
    }
%s`, lang, pageHelpersJS, steps))
	})
}

// drop writes a script whole (under another name first) for the window to run.
func (w *evalWindow) drop(t *testing.T, name, js string) {
	t.Helper()
	tmp := filepath.Join(w.dir, name+".tmp")
	writeFile(t, tmp, js)
	if err := os.Rename(tmp, filepath.Join(w.dir, name)); err != nil {
		t.Fatal(err)
	}
}
